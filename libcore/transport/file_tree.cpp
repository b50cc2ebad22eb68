#include "libcore/transport/file_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <vector>

#include "libcore/archive/libarchive_api.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/blob_streams.hpp"

namespace pod::core::transport {
namespace {

class DirectoryTree final : public FileTree {
 public:
  explicit DirectoryTree(std::string dir) : dir_(std::move(dir)) {}
  bool exists(const std::string& path) override {
    struct stat st {};
    return ::stat(where(path).c_str(), &st) == 0 && S_ISREG(st.st_mode);
  }
  std::optional<std::int64_t> size(const std::string& path) override {
    struct stat st {};
    if (::stat(where(path).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return st.st_size;
  }
  std::optional<std::string> read_small(const std::string& path, std::size_t limit) override {
    if (!exists(path)) return std::nullopt;
    return read_file(where(path), limit);
  }
  std::unique_ptr<Reader> open(const std::string& path) override { return open_file_reader(where(path), where(path)); }
  std::string where(const std::string& path) const override { return dir_ + "/" + path; }

 private:
  std::string dir_;
};

struct ArchiveFree {
  void operator()(archive* a) const { libarchive().archive_read_free(a); }
};
using ArchiveHandle = std::unique_ptr<archive, ArchiveFree>;

// "./a/b" and "a/b" are the same member.
std::string normalize(std::string name) {
  while (name.rfind("./", 0) == 0) name.erase(0, 2);
  return name;
}

// "a/./b/../c" → "a/c"; nullopt when it climbs above the top.
std::optional<std::string> collapse(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// A member's bytes, read from the archive handle positioned at it.
class MemberReader final : public Reader {
 public:
  MemberReader(UniqueFd fd, ArchiveHandle handle, std::string where)
      : fd_(std::move(fd)), handle_(std::move(handle)), where_(std::move(where)) {}
  std::size_t read(void* buffer, std::size_t size) override {
    const la_ssize_t n = libarchive().archive_read_data(handle_.get(), buffer, size);
    if (n < 0) {
      const char* why = libarchive().archive_error_string(handle_.get());
      throw Error("reading " + where_ + ": " + (why ? why : "damaged archive"), ErrorKind::invalid_input);
    }
    return static_cast<std::size_t>(n);
  }

 private:
  UniqueFd fd_;
  ArchiveHandle handle_;
  std::string where_;
};

class TarTree final : public FileTree {
 public:
  explicit TarTree(std::string path) : archive_(std::move(path)) {
    // One pass over the headers: what the archive holds, symlinks resolved later.
    scan([&](archive_entry* e, archive*) {
      const auto type = libarchive().archive_entry_filetype(e);
      std::string name = normalize(libarchive().archive_entry_pathname(e));
      if (type == AE_IFREG) {
        members_[name] = "";
        sizes_[name] = libarchive().archive_entry_size(e);
      }
      if (type == AE_IFLNK) members_[name] = libarchive().archive_entry_symlink(e);
      return false;
    });
  }

  bool exists(const std::string& path) override { return resolve(path).has_value(); }

  std::optional<std::int64_t> size(const std::string& path) override {
    const auto target = resolve(path);
    if (!target) return std::nullopt;
    return sizes_.at(*target);
  }

  std::optional<std::string> read_small(const std::string& path, std::size_t limit) override {
    if (!exists(path)) return std::nullopt;
    auto in = open(path);
    return read_bounded(*in, limit, where(path));
  }

  std::unique_ptr<Reader> open(const std::string& path) override {
    const auto target = resolve(path);
    if (!target) throw Error(where(path) + " is missing", ErrorKind::not_found);
    UniqueFd fd;
    ArchiveHandle handle;
    const bool found = scan(
        [&](archive_entry* e, archive*) { return normalize(libarchive().archive_entry_pathname(e)) == *target; }, &fd,
        &handle);
    if (!found) throw Error(where(path) + " is missing", ErrorKind::not_found);
    return std::make_unique<MemberReader>(std::move(fd), std::move(handle), where(path));
  }

  std::string where(const std::string& path) const override { return archive_ + ":" + path; }

 private:
  // Follows symlinks inside the archive (old `docker save` links repeated layers).
  std::optional<std::string> resolve(std::string path) const {
    path = normalize(path);
    for (int hops = 0; hops < 16; ++hops) {
      const auto it = members_.find(path);
      if (it == members_.end()) return std::nullopt;
      if (it->second.empty()) return path;
      const std::string& link = it->second;
      if (link.front() == '/') return std::nullopt;
      const auto slash = path.rfind('/');
      const auto joined = collapse((slash == std::string::npos ? "" : path.substr(0, slash + 1)) + link);
      if (!joined) return std::nullopt;
      path = *joined;
    }
    return std::nullopt;
  }

  // Visits headers until `stop` says so; returns whether it did, leaving the handle (when
  // asked for) positioned at that member's data.
  template <typename Stop>
  bool scan(Stop stop, UniqueFd* keep_fd = nullptr, ArchiveHandle* keep_handle = nullptr) const {
    UniqueFd fd(::open(archive_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
      if (errno == ENOENT) throw Error("archive " + quote(archive_) + " does not exist", ErrorKind::not_found);
      throw_errno("open", archive_);
    }
    const auto& la = libarchive();
    ArchiveHandle a(la.archive_read_new());
    la.archive_read_support_format_tar(a.get());
    la.archive_read_support_filter_gzip(a.get());
    la.archive_read_support_filter_zstd(a.get());
    if (la.archive_read_open_fd(a.get(), fd.get(), 64 * 1024) != ARCHIVE_OK) fail(a.get());
    for (;;) {
      archive_entry* entry = nullptr;
      const int r = la.archive_read_next_header(a.get(), &entry);
      if (r == ARCHIVE_EOF) return false;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) fail(a.get());
      if (stop(entry, a.get())) {
        if (keep_fd) *keep_fd = std::move(fd);
        if (keep_handle) *keep_handle = std::move(a);
        return true;
      }
    }
  }

  [[noreturn]] void fail(archive* a) const {
    const char* why = libarchive().archive_error_string(a);
    throw Error("reading archive " + quote(archive_) + ": " + (why ? why : "not a tar archive"), ErrorKind::invalid_input);
  }

  std::string archive_;
  std::map<std::string, std::string> members_;  // regular files → "", symlinks → target
  std::map<std::string, std::int64_t> sizes_;    // of regular files
};

}  // namespace

std::unique_ptr<FileTree> open_directory_tree(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error("directory " + quote(dir) + " does not exist", ErrorKind::not_found);
  }
  return std::make_unique<DirectoryTree>(dir);
}

std::unique_ptr<FileTree> open_tar_tree(const std::string& path) { return std::make_unique<TarTree>(path); }

}  // namespace pod::core::transport
