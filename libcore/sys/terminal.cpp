#include "libcore/sys/terminal.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"

namespace pod {
namespace {

// Writes all of `data`; false when the reader is gone.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// SIGWINCH as a readable fd, blocked for the relay's duration; restores the old mask.
class WinchFd {
 public:
  WinchFd() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  ~WinchFd() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  int get() const { return fd_.get(); }
  void drain() const {
    signalfd_siginfo info;
    while (::read(fd_.get(), &info, sizeof info) > 0) {
    }
  }

 private:
  sigset_t old_{};
  UniqueFd fd_;
};

}  // namespace

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
  termios raw = saved_;
  ::cfmakeraw(&raw);
  active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
}

RawTerminal::~RawTerminal() {
  if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

std::optional<winsize> window_size(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0) return std::nullopt;
  return size;
}

void set_window_size(int fd, const winsize& size) {
  if (::ioctl(fd, TIOCSWINSZ, &size) != 0) throw_errno("set the terminal's window size");
}

void relay_terminal(int in, int out, int master) {
  const WinchFd winch;
  const bool follow_size = ::isatty(in);
  if (follow_size) {
    if (auto size = window_size(in)) set_window_size(master, *size);
  }
  bool reading_in = true;
  char buf[16384];
  for (;;) {
    pollfd fds[3] = {{master, POLLIN, 0}, {reading_in ? in : -1, POLLIN, 0}, {winch.get(), POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll the terminal");
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // EIO: no process holds the pty's other side any more
      if (!write_all(out, buf, static_cast<std::size_t>(n))) return;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::read(in, buf, sizeof buf);
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        reading_in = false;
      } else if (!write_all(master, buf, static_cast<std::size_t>(n))) {
        return;
      }
    }
    if (fds[2].revents & POLLIN) {
      winch.drain();
      if (follow_size) {
        if (auto size = window_size(in)) set_window_size(master, *size);
      }
    }
  }
}

}  // namespace pod
