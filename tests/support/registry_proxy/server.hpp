// The accept loop: one thread per client connection, until SIGTERM or SIGINT. Then it stops
// accepting, shuts every live socket down and waits (bounded) for the connection threads.
// The caller must have blocked SIGTERM and SIGINT in every thread (block_stop_signals) before
// starting any thread, so they arrive on our signalfd and nowhere else.
#pragma once

#include "libcore/sys/fd.hpp"
#include "tests/support/registry_proxy/context.hpp"

namespace pod::testsupport::proxy {

void block_stop_signals();
// Returns once stopped; false if some connection threads did not finish in time.
bool run_server(Context& ctx, UniqueFd listener);

}  // namespace pod::testsupport::proxy
