#include "rootless/runtime/console.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/terminal.hpp"

namespace pod::rootless::runtime {

void set_up_terminal(int console_socket, const std::optional<core::oci::ConsoleSize>& size) {
  const UniqueFd master(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) throw_errno("open the container's /dev/ptmx (is devpts mounted on /dev/pts?)");
  if (::unlockpt(master.get()) != 0) throw_errno("unlock the pty");
  // The peer from the master itself: no path lookup that a container could redirect.
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) throw_errno("open the pty's terminal side");
  if (size && size->height > 0 && size->width > 0) {
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(size->height);
    ws.ws_col = static_cast<unsigned short>(size->width);
    set_window_size(master.get(), ws);
  }
  char name[64] = "/dev/ptmx";
  ::ptsname_r(master.get(), name, sizeof name);
  send_fd(console_socket, master.get(), name);
  if (::ioctl(slave.get(), TIOCSCTTY, 0) != 0) throw_errno("make the pty the controlling terminal");
  for (int target = 0; target <= 2; ++target) {
    if (::dup2(slave.get(), target) < 0) throw_errno("attach the pty to stdio");
  }
}

UniqueFd console_connection(int connected_fd, const std::string& socket_path, const std::string& missing) {
  if (connected_fd >= 0) return UniqueFd(::fcntl(connected_fd, F_DUPFD_CLOEXEC, 3));
  if (socket_path.empty()) throw Error(missing, ErrorKind::invalid_input);
  return with_context("--console-socket", [&] { return connect_unix(socket_path); });
}

}  // namespace pod::rootless::runtime
