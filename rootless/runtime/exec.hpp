// `pod-runtime exec`: another process in a running container. It joins every namespace the
// container's init has (user first, so it has the capabilities to join the rest; pid last, which
// only its child enters), then goes through the same steps as the init (terminal, limits,
// seccomp, user, capabilities) and execs. The runtime is a subreaper, so it can wait for the
// process even though the joining process that forked it has exited.
#pragma once

#include <sys/types.h>

#include <string>

#include "libcore/oci/runtime_spec.hpp"
#include "rootless/runtime/state.hpp"

namespace pod::rootless::runtime {

struct ExecOptions {
  std::string console_socket;  // with process.terminal: a listening socket's path, or
  int console_fd = -1;         // an already connected socket (`exec -t` relaying itself)
  std::string pid_file;
  int preserve_fds = 0;
};

// Returns the new process's pid once it has exec'd. Error(conflict) unless the container runs;
// a process that cannot be set up is an error naming why, and nothing is left running.
pid_t exec_in_container(const StateStore& store, const std::string& id, const core::oci::Process& process,
                        const ExecOptions& options);

// The process `exec` runs when given only args: config.json's process with these args, as runc
// does, so it gets the container's user, env, capabilities and rlimits.
core::oci::Process process_from_bundle(const ContainerState& state);

}  // namespace pod::rootless::runtime
