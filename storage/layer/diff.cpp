#include "storage/layer/diff.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "libcore/archive/libarchive_api.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "storage/layer/layer_writer.hpp"

namespace pod::storage {
namespace {

using detail::kOpaqueWhiteout;
using detail::kWhiteoutPrefix;

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

// Xattrs a layer carries: file capabilities and the user's own; not overlay's bookkeeping,
// not trusted.* or security labels of this host.
bool keeps_xattr(std::string_view name) {
  if (name == "security.capability") return true;
  return name.starts_with("user.") && !name.starts_with("user.overlay.");
}

class TreeWriter {
 public:
  TreeWriter(const DiffOptions& options, const TarSink& sink)
      : options_(options), sink_(sink), archive_(core::libarchive().archive_write_new(), core::libarchive().archive_write_free),
        entry_(core::libarchive().archive_entry_new(), core::libarchive().archive_entry_free) {
    const auto& la = core::libarchive();
    la.archive_write_set_format_pax_restricted(archive_.get());
    la.archive_write_set_bytes_in_last_block(archive_.get(), 1);
    if (la.archive_write_open(archive_.get(), this, nullptr, &TreeWriter::on_write, nullptr) != ARCHIVE_OK) fail("opening");
  }

  void write_dir(int dir_fd, const std::string& prefix, const std::string& shown) {
    for (const auto& name : sorted_entries(dir_fd, shown)) write_node(dir_fd, name, prefix + name, shown + "/" + name);
  }

  void finish() {
    if (core::libarchive().archive_write_close(archive_.get()) != ARCHIVE_OK) fail("finishing");
  }

 private:
  static la_ssize_t on_write(archive*, void* self, const void* data, size_t size) {
    auto* w = static_cast<TreeWriter*>(self);
    try {
      w->sink_(static_cast<const char*>(data), size);
    } catch (...) {
      w->sink_error_ = std::current_exception();
      return -1;
    }
    return static_cast<la_ssize_t>(size);
  }

  [[noreturn]] void fail(const std::string& what) {
    if (sink_error_) std::rethrow_exception(sink_error_);
    const char* msg = core::libarchive().archive_error_string(archive_.get());
    throw Error("writing layer tar: " + what + ": " + (msg ? msg : "unknown error"));
  }

  void start_entry(const std::string& name, const struct stat& st, mode_t type) {
    const auto& la = core::libarchive();
    la.archive_entry_clear(entry_.get());
    la.archive_entry_set_pathname(entry_.get(), name.c_str());
    la.archive_entry_set_filetype(entry_.get(), type);
    la.archive_entry_set_perm(entry_.get(), st.st_mode & 07777);
    la.archive_entry_set_uid(entry_.get(), st.st_uid);
    la.archive_entry_set_gid(entry_.get(), st.st_gid);
    la.archive_entry_set_mtime(entry_.get(), options_.timestamp.value_or(st.st_mtim.tv_sec), 0);
  }

  void add_xattrs(int fd, const std::string& shown) {
    char names[4096];
    const ssize_t n = ::flistxattr(fd, names, sizeof names);
    if (n < 0) {
      if (errno == ENOTSUP) return;
      throw_errno("list xattrs of", shown);
    }
    std::vector<std::string> kept;
    for (ssize_t i = 0; i < n; i += static_cast<ssize_t>(std::strlen(names + i)) + 1) {
      if (keeps_xattr(names + i)) kept.emplace_back(names + i);
    }
    std::sort(kept.begin(), kept.end());
    for (const auto& name : kept) {
      char value[65536];
      const ssize_t size = ::fgetxattr(fd, name.c_str(), value, sizeof value);
      if (size < 0) throw_errno("read xattr " + name + " of", shown);
      core::libarchive().archive_entry_xattr_add_entry(entry_.get(), name.c_str(), value, static_cast<size_t>(size));
    }
  }

  void header(const std::string& name) {
    if (core::libarchive().archive_write_header(archive_.get(), entry_.get()) != ARCHIVE_OK) fail(name);
  }

  void whiteout(const std::string& name, const struct stat& st) {
    struct stat plain = st;
    plain.st_mode = 0;
    start_entry(name, plain, AE_IFREG);
    core::libarchive().archive_entry_set_size(entry_.get(), 0);
    header(name);
  }

  bool is_opaque(int fd) const {
    char value[2];
    const char* xattr = options_.opaque_xattr == OpaqueXattr::trusted ? "trusted.overlay.opaque" : "user.overlay.opaque";
    const ssize_t n = ::fgetxattr(fd, xattr, value, sizeof value);
    return n == 1 && value[0] == 'y';
  }

  void write_node(int dir_fd, const std::string& name, const std::string& path, const std::string& shown) {
    struct stat st{};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) throw_errno("stat", shown);
    const auto& la = core::libarchive();
    const std::string parent = path.substr(0, path.size() - name.size());
    if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) return whiteout(parent + std::string(kWhiteoutPrefix) + name, st);
    if (S_ISDIR(st.st_mode)) {
      const UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!fd) throw_errno("open directory", shown);
      start_entry(path + "/", st, AE_IFDIR);
      add_xattrs(fd.get(), shown);
      header(path);
      if (is_opaque(fd.get())) whiteout(path + "/" + std::string(kOpaqueWhiteout), st);
      write_dir(fd.get(), path + "/", shown);
      return;
    }
    if (S_ISREG(st.st_mode)) return write_file(dir_fd, name, path, shown, st);
    if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
      const ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
      if (n < 0) throw_errno("read link", shown);
      target.resize(static_cast<std::size_t>(n));
      start_entry(path, st, AE_IFLNK);
      la.archive_entry_set_symlink(entry_.get(), target.c_str());
      return header(path);
    }
    const mode_t type = S_ISCHR(st.st_mode) ? AE_IFCHR : S_ISBLK(st.st_mode) ? AE_IFBLK : S_ISFIFO(st.st_mode) ? AE_IFIFO : 0;
    if (type == 0) return;  // sockets are not part of images
    start_entry(path, st, type);
    la.archive_entry_set_rdevmajor(entry_.get(), major(st.st_rdev));
    la.archive_entry_set_rdevminor(entry_.get(), minor(st.st_rdev));
    header(path);
  }

  void write_file(int dir_fd, const std::string& name, const std::string& path, const std::string& shown,
                  const struct stat& st) {
    const auto& la = core::libarchive();
    if (st.st_nlink > 1) {
      const auto [it, first] = links_.try_emplace({st.st_dev, st.st_ino}, path);
      if (!first) {
        start_entry(path, st, AE_IFREG);
        la.archive_entry_set_hardlink(entry_.get(), it->second.c_str());
        la.archive_entry_set_size(entry_.get(), 0);
        return header(path);
      }
    }
    const UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) throw_errno("open", shown);
    start_entry(path, st, AE_IFREG);
    la.archive_entry_set_size(entry_.get(), st.st_size);
    add_xattrs(fd.get(), shown);
    header(path);
    buffer_.resize(1u << 20);
    off_t left = st.st_size;
    while (left > 0) {
      const ssize_t n = ::read(fd.get(), buffer_.data(), std::min<std::size_t>(buffer_.size(), static_cast<std::size_t>(left)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw_errno("read", shown);
      if (n == 0) throw Error("reading " + quote(shown) + ": the file shrank while it was written to the layer");
      if (la.archive_write_data(archive_.get(), buffer_.data(), static_cast<size_t>(n)) != n) fail(path);
      left -= n;
    }
  }

  const DiffOptions& options_;
  const TarSink& sink_;
  ArchivePtr archive_;
  EntryPtr entry_;
  std::exception_ptr sink_error_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
  std::vector<char> buffer_;
};

}  // namespace

void write_layer_tar(const std::string& dir, const DiffOptions& options, const TarSink& sink) {
  const UniqueFd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!root) throw_errno("open directory", dir);
  TreeWriter writer(options, sink);
  writer.write_dir(root.get(), "", dir);
  writer.finish();
}

}  // namespace pod::storage
