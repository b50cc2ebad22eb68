#include "tools/pod-runtime/terminal_session.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/terminal.hpp"

namespace pod::tools {

ConsoleReceiver::ConsoleReceiver() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw_errno("socketpair");
  ours_.reset(fds[0]);
  container_end_.reset(fds[1]);
}

UniqueFd ConsoleReceiver::take_master() {
  container_end_.reset();
  try {
    return receive_fd(ours_.get());
  } catch (const Error&) {
    return {};  // nothing was sent: the process has no terminal
  }
}

void relay_session(int master) {
  const RawTerminal raw(STDIN_FILENO);
  relay_terminal(STDIN_FILENO, STDOUT_FILENO, master);
}

}  // namespace pod::tools
