// One client connection: requests one after another (HTTP/1.1 keep-alive) until the client
// closes, asks to close, a mode cuts the connection, or the proxy stops. Decides per request:
// /token (under --token-auth), an injected 503 (--fail-first, checked before auth), a 401
// without a valid token, or forwarding. Logs one line per request. Never throws.
#pragma once

#include <cstdint>

#include "libcore/sys/fd.hpp"
#include "tests/support/registry_proxy/context.hpp"

namespace pod::testsupport::proxy {

void serve_connection(Context& ctx, UniqueFd client, std::uint64_t id) noexcept;

}  // namespace pod::testsupport::proxy
