#include "tools/pod/container_attach.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/terminal.hpp"
#include "rootless/monitor/attach_protocol.hpp"

namespace pod::tools {
namespace {

using rootless::monitor::Frame;

void send_frame(int socket, Frame kind, const void* data, std::size_t size) {
  std::string frame(1, static_cast<char>(kind));
  frame.append(static_cast<const char*>(data), size);
  [[maybe_unused]] auto n = ::send(socket, frame.data(), frame.size(), MSG_NOSIGNAL);
}

}  // namespace

void send_window_size(int socket) {
  const auto size = window_size(STDIN_FILENO);
  if (!size) return;
  const std::uint16_t dims[2] = {size->ws_row, size->ws_col};
  send_frame(socket, Frame::resize, dims, sizeof dims);
}

namespace {

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// The signals a foreground container gets instead of pod (sig-proxy), and SIGWINCH.
UniqueFd signal_fd(bool proxy) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGWINCH);
  if (proxy) {
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
  }
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  return UniqueFd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
}

}  // namespace

UniqueFd connect_attach(const std::string& socket_path) {
  return with_context("attaching to the container", [&] { return connect_unix(socket_path, SOCK_SEQPACKET); });
}

int attach_session(int socket, const AttachOptions& o) {
  const RawTerminal raw(o.tty && o.send_stdin ? STDIN_FILENO : -1);
  const UniqueFd signals = signal_fd(o.sig_proxy && !o.tty);
  if (o.tty) send_window_size(socket);
  bool reading_stdin = o.send_stdin;
  char buf[rootless::monitor::kMaxFrame];
  for (;;) {
    pollfd fds[3] = {{socket, POLLIN, 0}, {reading_stdin ? STDIN_FILENO : -1, POLLIN, 0}, {signals.get(), POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (fds[0].revents) {
      const ssize_t n = ::recv(socket, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return -1;
      const auto kind = static_cast<Frame>(buf[0]);
      if (kind == Frame::stdout_data) write_all(STDOUT_FILENO, buf + 1, static_cast<std::size_t>(n - 1));
      if (kind == Frame::stderr_data) write_all(STDERR_FILENO, buf + 1, static_cast<std::size_t>(n - 1));
      if (kind == Frame::exit && n >= 5) {
        std::int32_t code = 0;
        std::memcpy(&code, buf + 1, sizeof code);
        return code;
      }
    }
    if (fds[1].revents) {
      const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf - 1);
      if (n > 0) {
        send_frame(socket, Frame::stdin_data, buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        reading_stdin = false;
        send_frame(socket, Frame::stdin_eof, nullptr, 0);
      }
    }
    if (fds[2].revents) {
      signalfd_siginfo info{};
      while (::read(signals.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGWINCH) {
          if (o.tty) send_window_size(socket);
        } else if (o.init > 0) {
          ::kill(o.init, static_cast<int>(info.ssi_signo));
        }
      }
    }
  }
}

}  // namespace pod::tools
