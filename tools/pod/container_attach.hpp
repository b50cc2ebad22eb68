// The client side of a container monitor's attach socket (rootless/monitor/attach_protocol.hpp):
// what `pod run` in the foreground, `pod start -a` and `pod attach` do.
#pragma once

#include <sys/types.h>

#include <string>

#include "libcore/sys/fd.hpp"

namespace pod::tools {

struct AttachOptions {
  bool tty = false;         // the container has a pty: raw mode here, sizes follow
  bool send_stdin = false;  // -i
  bool sig_proxy = true;    // without a tty: forward SIGINT, SIGTERM… to the container
  pid_t init = 0;           // where forwarded signals go
};

// Connects to a running container's monitor; Error when it is not there.
UniqueFd connect_attach(const std::string& socket_path);

// Sends this terminal's size (when stdin is one) for the container's pty: before the start,
// so the program's first look at its size is right.
void send_window_size(int socket);

// Relays until the monitor reports the exit code (returned), or closes (-1).
int attach_session(int socket, const AttachOptions& options);

}  // namespace pod::tools
