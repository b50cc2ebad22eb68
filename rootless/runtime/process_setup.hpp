// The last steps of a container's init before exec, run inside the container (after
// pivot_root): limits, identity, capabilities, then the program itself.
#pragma once

#include <string>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

class SeccompFilter;

// What the container's init and every exec'd process go through, in this order.
struct ProcessLaunch {
  const core::oci::Process* process = nullptr;
  const SeccompFilter* seccomp = nullptr;  // built before; loaded by prepare or launch
  int console_socket = -1;                 // with process->terminal: where the pty master goes
  int preserve_fds = 0;                    // fds 3 … 3+N-1 stay open in the program (--preserve-fds)
};

// Terminal (when asked) → limits → seccomp, unless no_new_privs lets it wait → user and
// capabilities → the executable resolved (returned). Throws; nothing is exec'd yet.
std::string prepare_process(const ProcessLaunch& launch);

// Seccomp (when no_new_privs: as late as possible), every fd above stdio and the preserved ones
// marked close-on-exec (nothing of the runtime or its caller leaks in), then exec_process.
[[noreturn]] void launch_process(const ProcessLaunch& launch, const std::string& executable);

// rlimits, umask, oom_score_adj: while the process is still root in its namespace.
void apply_limits(const core::oci::Process& process);

// Groups, gid, uid (keeping capabilities across the uid change), then exactly the requested
// capability sets (bounding dropped first, ambient raised last) and no_new_privs.
void become_user(const core::oci::Process& process);

// The program to exec: args[0] itself when it has a '/', else searched in the container's
// PATH (from process.env). Throws Error "executable file `x` not found in $PATH" — checked
// before "created" is reported, so `create` fails instead of a silent start.
std::string resolve_executable(const core::oci::Process& process);

// chdir(cwd) and execve; never returns. Failures go to stderr with exit 127 (not found) or
// 126 (cannot be run), as shells and podman report them.
[[noreturn]] void exec_process(const core::oci::Process& process, const std::string& executable);

}  // namespace pod::rootless::runtime
