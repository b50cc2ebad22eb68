// The half of layer application that knows no tar library: one parsed entry at a time is
// written below the layer root. apply.cpp feeds it from libarchive.
// Internal to storage/layer.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "libcore/stream.hpp"
#include "storage/layer/apply.hpp"
#include "storage/layer/safe_path.hpp"

namespace pod::storage::detail {

enum class EntryType { regular, directory, symlink, hardlink, char_device, block_device, fifo };

// A tar header as the layer states it; every string is untrusted.
struct TarEntry {
  std::string unsafe_name;
  EntryType type = EntryType::regular;
  std::string unsafe_link;  // symlink target, or hardlink target path
  mode_t perm = 0644;       // permission bits with setuid/setgid/sticky
  std::int64_t uid = 0;
  std::int64_t gid = 0;
  unsigned rdev_major = 0;
  unsigned rdev_minor = 0;
  timespec atime{};
  timespec mtime{};
  std::vector<std::pair<std::string, std::string>> xattrs;
};

// Where an entry now lives: its parent directory and its name there; `fd` when one is open
// on the entry itself (regular files, directories), else -1.
struct EntryPlace {
  int parent_fd;
  const std::string& name;
  int fd;
};

// Owner, xattrs, mode and times of a created entry (metadata.cpp). Order matters: chown
// clears setuid bits and file capabilities, so it comes first, then xattrs, then the mode.
void set_owner(const EntryPlace& at, const TarEntry& entry, const ApplyOptions& opts);
void set_xattrs(const EntryPlace& at, const TarEntry& entry, const ApplyOptions& opts);
void set_mode(const EntryPlace& at, mode_t perm);
void set_times(const EntryPlace& at, const TarEntry& entry);

// Writes entries one by one. Not thread-safe; one writer per layer.
class LayerWriter {
 public:
  LayerWriter(int root_fd, const ApplyOptions& opts) : root_fd_(root_fd), opts_(opts) {}

  // Writes `entry` (for a regular file, its content comes from `data`); returns the bytes of
  // content written. Throws on an escaping name or any failure to write.
  std::uint64_t write(const TarEntry& entry, core::Reader& data);
  // Sets the recorded modes and times of directories, deepest first, so no later write
  // changes them again. Call once, after the last entry.
  void finish();

 private:
  struct DirStamp {
    std::string path;  // joined parts, "" for the root
    dev_t dev;
    ino_t ino;
    mode_t perm;
    timespec atime;
    timespec mtime;
  };

  void write_root(const TarEntry& entry);
  void write_directory(int parent_fd, const PathParts& parts, const TarEntry& entry);
  std::uint64_t write_regular(int parent_fd, const std::string& name, const TarEntry& entry, core::Reader& data);
  void write_symlink(int parent_fd, const std::string& name, const TarEntry& entry);
  void write_hardlink(const PathParts& parts, const TarEntry& entry);
  void write_node(int parent_fd, const std::string& name, const TarEntry& entry);
  void write_whiteout(const PathParts& parts, const TarEntry& entry);  // whiteout.cpp
  void record_directory(const std::string& path, int dir_fd, const TarEntry& entry);

  int root_fd_;
  const ApplyOptions& opts_;
  std::vector<DirStamp> dirs_;
  std::unordered_map<std::string, std::size_t> dir_index_;  // path -> dirs_ index
  std::vector<char> buffer_;  // file content passes through here, one chunk at a time
};

// Whiteout names (OCI image spec "Whiteouts").
inline constexpr std::string_view kWhiteoutPrefix = ".wh.";
inline constexpr std::string_view kWhiteoutMetaPrefix = ".wh..wh.";
inline constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";

// Makes room for a new entry called `name` in `parent_fd`: removes what is there, recursively
// for a directory — unless `keep_directory` and it is one. Returns true when a directory was
// kept.
bool clear_place(int parent_fd, const std::string& name, bool keep_directory);

}  // namespace pod::storage::detail
