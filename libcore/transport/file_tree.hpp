// The files of an image layout, read from a directory or straight out of a tar archive (no
// unpacking: each file is found by scanning the archive's headers, skipping data with seeks).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "libcore/stream.hpp"

namespace pod::core::transport {

class FileTree {
 public:
  virtual ~FileTree() = default;
  // `path` is relative ("index.json", "blobs/sha256/…").
  virtual bool exists(const std::string& path) = 0;
  // The size of a file (after symlinks); nullopt when it is missing.
  virtual std::optional<std::int64_t> size(const std::string& path) = 0;
  // The whole file, bounded; nullopt when it is missing.
  virtual std::optional<std::string> read_small(const std::string& path, std::size_t limit) = 0;
  // Error(not_found) naming the file when it is missing.
  virtual std::unique_ptr<Reader> open(const std::string& path) = 0;
  // "PATH" or "ARCHIVE:PATH", for messages.
  virtual std::string where(const std::string& path) const = 0;
};

// Error(not_found) when `dir` is not a directory.
std::unique_ptr<FileTree> open_directory_tree(const std::string& dir);
// Error(not_found) when `archive` is missing, Error(invalid_input) when it is not a tar (plain,
// gzip or zstd).
std::unique_ptr<FileTree> open_tar_tree(const std::string& archive);

}  // namespace pod::core::transport
