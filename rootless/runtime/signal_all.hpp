// `kill --all`: every process of a container, found as the processes in its init's pid
// namespace (cgroups are not used for this yet). A container sharing the runtime's pid
// namespace is refused: "all" would be every process of the host the caller may signal.
#pragma once

#include "rootless/runtime/state.hpp"

namespace pod::rootless::runtime {

void signal_all_processes(const StateStore& store, const ContainerState& state, int signal);

}  // namespace pod::rootless::runtime
