#include "libcore/sys/fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"

namespace pod {

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);  // no retry on EINTR: the fd is gone either way
  fd_ = fd;
}

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

bool same_file(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace pod
