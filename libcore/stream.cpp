#include "libcore/stream.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"

namespace pod::core {

std::size_t StringReader::read(void* buffer, std::size_t size) {
  const std::size_t n = std::min(size, data_.size());
  std::memcpy(buffer, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

std::size_t FdReader::read(void* buffer, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) throw_errno("read", name_);
  }
}

std::string read_bounded(Reader& in, std::size_t limit, std::string_view what) {
  std::string out;
  char buf[16384];
  for (;;) {
    const std::size_t n = in.read(buf, sizeof buf);
    if (n == 0) return out;
    if (out.size() + n > limit) {
      throw Error("reading " + std::string(what) + ": exceeds the limit of " + std::to_string(limit) +
                      " bytes",
                  ErrorKind::invalid_input);
    }
    out.append(buf, n);
  }
}

}  // namespace pod::core
