// Where a layout's files are written: a directory (each file lands by rename once complete) or
// a tar archive written straight through (a hidden temporary renamed into place at commit).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "libcore/stream.hpp"

namespace pod::core::transport {

class FileSink {
 public:
  virtual ~FileSink() = default;
  virtual bool has(const std::string& path) = 0;
  // Writes `size` bytes (-1: as many as come) from `in` to `path`. When `in` throws or gives
  // another count, the file does not appear (a tar is then unusable and never committed).
  // Safe to call from several threads.
  virtual void write(const std::string& path, std::int64_t size, Reader& in) = 0;
  void write(const std::string& path, std::string_view bytes);
  virtual void commit() = 0;
};

// Creates `dir` when missing; files already there stay (a layout is added to).
std::unique_ptr<FileSink> open_directory_sink(const std::string& dir);
// Replaces `archive` at commit; until then it is untouched.
std::unique_ptr<FileSink> open_tar_sink(const std::string& archive);

}  // namespace pod::core::transport
