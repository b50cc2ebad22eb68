// Passing file descriptors over unix sockets (SCM_RIGHTS): how a pty master travels from the
// container to whoever holds the --console-socket, as crun and runc send it.
#pragma once

#include <string>

#include "libcore/sys/fd.hpp"

namespace pod {

// Sends `fd` with `name` as the message (runc sends the pty's path; receivers ignore it).
void send_fd(int socket, int fd, const std::string& name);
// Receives one descriptor (made O_CLOEXEC). Throws Error when the peer closed without sending
// one or sent something else.
UniqueFd receive_fd(int socket);

// A connected socket (SOCK_STREAM unless `type` says otherwise) to the unix socket at `path`,
// of any length. Throws Error naming the path.
UniqueFd connect_unix(const std::string& path, int type = 1 /* SOCK_STREAM */);
// A listening socket bound to `path` (which must not exist), of any length.
UniqueFd listen_unix(const std::string& path, int type = 1 /* SOCK_STREAM */);

}  // namespace pod
