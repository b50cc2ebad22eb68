// Byte streams: the small pull interface every blob travels through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pod::core {

// A source of bytes. read() returns 0 only at the end; failures throw pod::Error.
// Not thread-safe.
class Reader {
 public:
  virtual ~Reader() = default;
  virtual std::size_t read(void* buffer, std::size_t size) = 0;
};

// Reads a whole in-memory string; the bytes are not copied and must outlive the reader.
class StringReader final : public Reader {
 public:
  explicit StringReader(std::string_view data) : data_(data) {}
  std::size_t read(void* buffer, std::size_t size) override;

 private:
  std::string_view data_;
};

// Reads from a file descriptor it does not own, retrying EINTR.
class FdReader final : public Reader {
 public:
  explicit FdReader(int fd, std::string_view name) : fd_(fd), name_(name) {}
  std::size_t read(void* buffer, std::size_t size) override;

 private:
  int fd_;
  std::string name_;
};

// Reads the rest of `in` into memory, failing once more than `limit` bytes arrive:
// every in-memory read of untrusted data is bounded (manifests 4 MiB, error bodies 1 MiB).
std::string read_bounded(Reader& in, std::size_t limit, std::string_view what);

inline constexpr std::size_t kManifestLimit = 4u << 20;
inline constexpr std::size_t kConfigLimit = 4u << 20;
inline constexpr std::size_t kSmallBodyLimit = 1u << 20;

}  // namespace pod::core
