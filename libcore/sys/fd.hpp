// Move-only owner of a file descriptor. Never retries close(): Linux frees the fd even when
// close() reports EINTR (STYLE.md §3).
#pragma once

#include <cstddef>
#include <string_view>

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

// Writes all of `data`, retrying EINTR and short writes; throws naming `what` on failure.
void write_all(int fd, const void* data, std::size_t size, std::string_view what);
// Copies `from` to its end into `to`.
void copy_fd(int from, int to, std::string_view what);

// Both ends of a pipe, close-on-exec.
struct Pipe {
  UniqueFd read;
  UniqueFd write;
};
// Throws SysError.
Pipe make_pipe();

}  // namespace pod
