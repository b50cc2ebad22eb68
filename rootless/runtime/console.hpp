// process.terminal: the container's process gets a new pty, made inside the container (on its
// own devpts) so that its /dev/pts/N is the container's; the master goes to whoever holds the
// console socket (SCM_RIGHTS), exactly as crun and runc hand it over, so that a monitor can
// own it and the runtime can exit.
#pragma once

#include <optional>
#include <string>

#include "libcore/sys/fd.hpp"

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

// Called in the container's process after pivot_root (or after joining the mount namespace
// for exec), in its own session: opens /dev/ptmx, sends the master over `console_socket`, makes
// the pty its controlling terminal and its stdin, stdout and stderr.
void set_up_terminal(int console_socket, const std::optional<core::oci::ConsoleSize>& size);

// The runtime's end of the console socket for a process with a terminal: a copy of
// `connected_fd` (run/exec relaying the pty themselves), else a connection to `socket_path`.
// Error(invalid_input) `missing` when there is neither.
UniqueFd console_connection(int connected_fd, const std::string& socket_path, const std::string& missing);

}  // namespace pod::rootless::runtime
