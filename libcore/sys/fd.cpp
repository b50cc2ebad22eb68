#include "libcore/sys/fd.hpp"

#include <unistd.h>

namespace pod {

void UniqueFd::reset(int fd) noexcept {
  if (fd_ >= 0) ::close(fd_);  // no retry on EINTR: the fd is gone either way
  fd_ = fd;
}

}  // namespace pod
