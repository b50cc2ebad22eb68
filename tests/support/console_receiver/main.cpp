// pod-test-console-receiver SOCKET: the other end of `--console-socket`, as a container monitor
// would hold it. Listens on SOCKET, takes one connection, receives the pty master (SCM_RIGHTS),
// prints "master: <name of the fd's tty>" on stderr, then relays its stdin to the pty and the
// pty to its stdout until the container side is closed. Exit 0 when a master came, else 1.
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/terminal.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s SOCKET\n", argv[0]);
    return 2;
  }
  try {
    const pod::UniqueFd listener = pod::listen_unix(argv[1]);
    const pod::UniqueFd connection(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!connection) pod::throw_errno("accept");
    const pod::UniqueFd master = pod::receive_fd(connection.get());
    char name[64] = "?";
    ::ptsname_r(master.get(), name, sizeof name);
    std::fprintf(stderr, "master: %s\n", name);
    pod::relay_terminal(STDIN_FILENO, STDOUT_FILENO, master.get());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pod-test-console-receiver: %s\n", e.what());
    return 1;
  }
}
