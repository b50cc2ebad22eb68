// Move-only owner of a file descriptor. Never retries close(): Linux frees the fd even when
// close() reports EINTR (STYLE.md §3).
#pragma once

#include <utility>

namespace pod {

class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  explicit operator bool() const noexcept { return fd_ >= 0; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
};

// True when both descriptors refer to the same file (device and inode): how namespaces
// opened from /proc/PID/ns are compared.
bool same_file(int a, int b);

// Both ends of a pipe, close-on-exec.
struct Pipe {
  UniqueFd read;
  UniqueFd write;
};
// Throws SysError.
Pipe make_pipe();

}  // namespace pod
