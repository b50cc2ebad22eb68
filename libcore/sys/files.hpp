// Crash-safe file primitives: atomic replacement, advisory locks, temporary directories.
// All fds are close-on-exec. Nothing here follows symlinks it did not expect to.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "libcore/sys/fd.hpp"

namespace pod {

// Writes a file that appears whole or not at all: a temp file in the same directory, then
// write → fsync → rename → fsync of the directory. Destroyed without commit(), the temp
// file is removed and the old file (if any) stays.
class AtomicFile {
 public:
  AtomicFile(std::string path, unsigned mode = 0644);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view data);
  int fd() const { return fd_.get(); }
  // Flushes (file and directory) before and after the rename, unless `durable` is false: for
  // state that means nothing after a reboot (a running container's), where atomic is enough.
  void commit(bool durable = true);

 private:
  std::string path_;
  std::string temp_path_;
  UniqueFd fd_;
  bool committed_ = false;
};

// Replaces `path` with `content` atomically (AtomicFile in one call).
void write_file_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);
// The same without the flushes: atomic, not durable across a power cut (see commit()).
void write_state_file(const std::string& path, std::string_view content, unsigned mode = 0644);

// Reads a whole small file; throws SysError (kind not_found for ENOENT). Bounded by `limit`.
std::string read_file(const std::string& path, std::size_t limit = 16u << 20);
// The same, but a file that does not exist (ENOENT, ENOTDIR) is nullopt: an expected outcome.
std::optional<std::string> try_read_file(const std::string& path, std::size_t limit = 16u << 20);

// flock(2) on a lock file (created 0644 if missing). Released by the destructor or unlock().
// flock locks belong to the open file description, so they also guard against other
// threads of this process that open the file themselves.
class FileLock {
 public:
  enum class Mode { shared, exclusive };
  FileLock(const std::string& path, Mode mode);
  static std::optional<FileLock> try_lock(const std::string& path, Mode mode);
  FileLock(FileLock&&) noexcept = default;
  FileLock& operator=(FileLock&&) noexcept = default;
  void unlock() { fd_.reset(); }
  // Converts the held lock (flock conversion is not atomic: another waiter may get in between).
  void set_mode(Mode mode);

 private:
  FileLock() = default;
  UniqueFd fd_;
};

// A fresh directory, removed recursively unless release()d: "<parent>/<prefix>XXXXXX", or
// exactly `path` with at().
class TempDir {
 public:
  TempDir(const std::string& parent, std::string_view prefix);
  static TempDir at(const std::string& path, unsigned mode = 0700);
  // Takes over a directory someone else made (removed unless released, like the others).
  static TempDir at_existing(const std::string& path);
  TempDir(TempDir&& other) noexcept : path_(other.release()) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string release();

 private:
  TempDir() = default;
  std::string path_;
};

// The names in the directory `dir_fd` (not "." and ".."), sorted bytewise; `shown` names it in
// errors.
std::vector<std::string> sorted_entries(int dir_fd, const std::string& shown);

// mkdir -p with `mode` for the directories it creates.
void make_dirs(const std::string& path, unsigned mode = 0755);
// rm -rf that never follows symlinks and never crosses into another filesystem's mounts
// (it does not check that; callers remove only store-owned trees). Missing path is fine.
void remove_tree(const std::string& path);
// fsync a directory so a rename in it is durable.
void sync_dir(const std::string& path);

}  // namespace pod
