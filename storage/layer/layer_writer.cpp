#include "storage/layer/layer_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <numeric>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::storage::detail {
namespace {

constexpr std::size_t kCopyChunk = 128 * 1024;

void write_all(int fd, const char* data, std::size_t size, const std::string& name) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_path_error(errno, "write", name);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool is_device(EntryType type) { return type == EntryType::char_device || type == EntryType::block_device; }

std::size_t depth_of(const std::string& path) {
  return path.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

}  // namespace

bool clear_place(int parent_fd, const std::string& name, bool keep_directory) {
  struct stat st {};
  if (::fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    throw_path_error(errno, "stat", name);
  }
  if (S_ISDIR(st.st_mode)) {
    if (keep_directory) return true;
    remove_all_at(parent_fd, name);
    return false;
  }
  if (::unlinkat(parent_fd, name.c_str(), 0) != 0 && errno != ENOENT) throw_path_error(errno, "remove", name);
  return false;
}

std::uint64_t LayerWriter::write(const TarEntry& entry, core::Reader& data) {
  if (entry.unsafe_name.empty()) throw Error("the entry has no name", ErrorKind::invalid_input);
  const auto parts = try_clean_path(entry.unsafe_name);
  if (!parts) throw Error("path is outside of the layer", ErrorKind::invalid_input);
  if (parts->empty()) {
    write_root(entry);
    return 0;
  }
  if (parts->back().starts_with(kWhiteoutPrefix)) {
    write_whiteout(*parts, entry);
    return 0;
  }
  if (entry.type == EntryType::hardlink) {
    write_hardlink(*parts, entry);
    return 0;
  }
  const UniqueFd parent = mkdir_all_in_root(root_fd_, *parts, parts->size() - 1);
  const std::string& name = parts->back();
  switch (entry.type) {
    case EntryType::regular:
      return write_regular(parent.get(), name, entry, data);
    case EntryType::directory:
      write_directory(parent.get(), *parts, entry);
      return 0;
    case EntryType::symlink:
      write_symlink(parent.get(), name, entry);
      return 0;
    case EntryType::char_device:
    case EntryType::block_device:
    case EntryType::fifo:
      write_node(parent.get(), name, entry);
      return 0;
    case EntryType::hardlink:
      break;
  }
  return 0;
}

void LayerWriter::write_root(const TarEntry& entry) {
  if (entry.type != EntryType::directory) {
    throw Error("a non-directory cannot replace the root of the layer", ErrorKind::invalid_input);
  }
  UniqueFd fd(::openat(root_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) throw_path_error(errno, "open", "");
  static const std::string kDot = ".";
  const EntryPlace at{root_fd_, kDot, fd.get()};
  set_owner(at, entry, opts_);
  set_xattrs(at, entry, opts_);
  record_directory("", fd.get(), entry);
}

void LayerWriter::write_directory(int parent_fd, const PathParts& parts, const TarEntry& entry) {
  const std::string& name = parts.back();
  // An existing directory is kept (its content stays) and only gets this entry's metadata.
  // New directories start private; their mode is set by finish(), after their children.
  if (!clear_place(parent_fd, name, /*keep_directory=*/true) && ::mkdirat(parent_fd, name.c_str(), 0700) != 0) {
    throw_path_error(errno, "create directory", name);
  }
  UniqueFd fd(::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_path_error(errno, "open directory", name);
  const EntryPlace at{parent_fd, name, fd.get()};
  set_owner(at, entry, opts_);
  set_xattrs(at, entry, opts_);
  record_directory(join_parts(parts), fd.get(), entry);
}

std::uint64_t LayerWriter::write_regular(int parent_fd, const std::string& name, const TarEntry& entry,
                                         core::Reader& data) {
  clear_place(parent_fd, name, false);
  UniqueFd fd(::openat(parent_fd, name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600));
  if (!fd) throw_path_error(errno, "create", name);
  if (buffer_.empty()) buffer_.resize(kCopyChunk);
  std::uint64_t total = 0;
  for (;;) {
    const std::size_t n = data.read(buffer_.data(), buffer_.size());
    if (n == 0) break;
    write_all(fd.get(), buffer_.data(), n, name);
    total += n;
  }
  const EntryPlace at{parent_fd, name, fd.get()};
  set_owner(at, entry, opts_);
  set_xattrs(at, entry, opts_);
  set_mode(at, entry.perm);
  set_times(at, entry);
  return total;
}

void LayerWriter::write_symlink(int parent_fd, const std::string& name, const TarEntry& entry) {
  // The target is stored as it is: a symlink is only dangerous when followed, and every
  // lookup in this writer stays inside the root.
  clear_place(parent_fd, name, false);
  if (::symlinkat(entry.unsafe_link.c_str(), parent_fd, name.c_str()) != 0) throw_path_error(errno, "create symlink", name);
  const EntryPlace at{parent_fd, name, -1};
  set_owner(at, entry, opts_);
  set_xattrs(at, entry, opts_);
  set_times(at, entry);
}

void LayerWriter::write_hardlink(const PathParts& parts, const TarEntry& entry) {
  const auto target = try_clean_path(entry.unsafe_link);
  if (!target) throw Error("hardlink target " + quote_path(entry.unsafe_link) + " is outside of the layer", ErrorKind::invalid_input);
  if (target->empty()) throw Error("hardlink target " + quote_path(entry.unsafe_link) + " is the layer root", ErrorKind::invalid_input);
  if (*target == parts) return;  // a link to itself: the file is already there
  const std::string& target_name = target->back();
  const auto target_parent = try_open_in_root(root_fd_, join_parts(*target, target->size() - 1), O_PATH | O_DIRECTORY);
  struct stat st {};
  if (!target_parent || ::fstatat(target_parent->get(), target_name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    throw Error("hardlink target " + quote_path(entry.unsafe_link) + " does not exist in the layer", ErrorKind::invalid_input);
  }
  if (S_ISDIR(st.st_mode)) throw Error("hardlink target " + quote_path(entry.unsafe_link) + " is a directory", ErrorKind::invalid_input);

  const UniqueFd parent = mkdir_all_in_root(root_fd_, parts, parts.size() - 1);
  const std::string& name = parts.back();
  clear_place(parent.get(), name, false);
  // No AT_SYMLINK_FOLLOW: a link to a symlink links the symlink itself. Metadata is not set:
  // the inode has it from its own entry.
  if (::linkat(target_parent->get(), target_name.c_str(), parent.get(), name.c_str(), 0) != 0) {
    if (errno == ENOENT) {
      throw Error("hardlink target " + quote_path(entry.unsafe_link) + " does not exist in the layer", ErrorKind::invalid_input);
    }
    const int err = errno;
    throw SysError(err, "link " + quote_path(name) + " to " + quote_path(entry.unsafe_link));
  }
}

void LayerWriter::write_node(int parent_fd, const std::string& name, const TarEntry& entry) {
  const bool overlay_whiteout = entry.type == EntryType::char_device && entry.rdev_major == 0 && entry.rdev_minor == 0;
  if (opts_.rootless && is_device(entry.type) && !overlay_whiteout) {
    log::warn_once("layer-device:" + opts_.layer_name + ":" + entry.unsafe_name,
                   "layer " + quote(opts_.layer_name) + ": skipping device node " + quote_path(entry.unsafe_name) +
                       ": rootless cannot create device nodes");
    return;
  }
  const mode_t type = entry.type == EntryType::fifo ? S_IFIFO : entry.type == EntryType::char_device ? S_IFCHR : S_IFBLK;
  const dev_t dev = entry.type == EntryType::fifo ? 0 : makedev(entry.rdev_major, entry.rdev_minor);
  clear_place(parent_fd, name, false);
  if (::mknodat(parent_fd, name.c_str(), type | (entry.perm & 07777), dev) != 0) throw_path_error(errno, "create node", name);
  const EntryPlace at{parent_fd, name, -1};
  set_owner(at, entry, opts_);
  set_xattrs(at, entry, opts_);
  set_mode(at, entry.perm);
  set_times(at, entry);
}

void LayerWriter::record_directory(const std::string& path, int dir_fd, const TarEntry& entry) {
  struct stat st {};
  if (::fstat(dir_fd, &st) != 0) throw_path_error(errno, "stat directory", path);
  DirStamp stamp{path, st.st_dev, st.st_ino, entry.perm, entry.atime, entry.mtime};
  const auto [it, inserted] = dir_index_.emplace(path, dirs_.size());
  if (inserted) {
    dirs_.push_back(std::move(stamp));
  } else {
    dirs_[it->second] = std::move(stamp);  // the later entry wins, as it would on disk
  }
}

void LayerWriter::finish() {
  std::vector<std::size_t> order(dirs_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return depth_of(dirs_[a].path) > depth_of(dirs_[b].path); });
  for (const std::size_t i : order) {
    const DirStamp& dir = dirs_[i];
    with_context("directory " + quote_path(dir.path.empty() ? "/" : dir.path), [&] {
      UniqueFd fd;
      if (dir.path.empty()) {
        fd.reset(::openat(root_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      } else {
        const auto parts = *try_clean_path(dir.path);
        const auto parent = try_open_in_root(root_fd_, join_parts(parts, parts.size() - 1), O_PATH | O_DIRECTORY);
        if (!parent) return;  // replaced by a later entry
        fd.reset(::openat(parent->get(), parts.back().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)) return;  // replaced
      }
      if (!fd) throw_errno("open");
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0) throw_errno("stat");
      if (st.st_dev != dir.dev || st.st_ino != dir.ino) return;  // a different directory took its place
      if (::fchmod(fd.get(), dir.perm & 07777) != 0) throw_errno("chmod");
      const timespec times[2] = {dir.atime, dir.mtime};
      if (::futimens(fd.get(), times) != 0) throw_errno("set times");
    });
  }
}

}  // namespace pod::storage::detail
