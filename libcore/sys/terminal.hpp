// The caller's terminal: raw mode for the length of an interactive session, window sizes,
// and the relay between it and a pty master (what `pod-runtime run` does for a container with
// process.terminal and no --console-socket, as crun does).
#pragma once

#include <sys/ioctl.h>
#include <termios.h>

#include <optional>

namespace pod {

// Puts `fd` in raw mode when it is a terminal and restores its settings when destroyed.
class RawTerminal {
 public:
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

std::optional<winsize> window_size(int fd);  // nullopt when `fd` is not a terminal
void set_window_size(int fd, const winsize& size);

// Copies `in` to `master` and `master` to `out` until the pty's other side is closed by every
// process (read gives EIO or EOF); the window size of `in` follows SIGWINCH when it is a tty.
// End of `in` stops only that direction, as a terminal would.
void relay_terminal(int in, int out, int master);

}  // namespace pod
