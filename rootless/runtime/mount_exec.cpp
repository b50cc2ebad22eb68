// The spec's mounts: target creation inside the rootfs, the mount itself, bind remounts that
// keep locked flags, propagation, and the rootless fallbacks (sysfs, cgroup, mqueue).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/runtime/mount_exec.hpp"

namespace pod::rootless::runtime::detail {
namespace {

// statfs(2)'s ST_NOSYMFOLLOW (Linux 5.10), which glibc 2.36 does not name yet.
constexpr unsigned long kStNoSymfollow = 0x2000;
constexpr int kMaxSymlinks = 40;
constexpr unsigned long kAtimeFlags = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;

std::string mount_what(std::string_view source, std::string_view where) {
  return "mounting " + quote_untrusted(source.empty() ? "none" : source, 256) + " on " + quote_path(where);
}

// The flags the mount at `fd` has now, as mount(2) spells them.
unsigned long current_flags(int fd, std::string_view where) {
  struct statvfs st {};
  if (::fstatvfs(fd, &st) != 0) throw_path_error(errno, "statvfs", where);
  struct Pair {
    unsigned long st, ms;
  };
  static constexpr Pair kPairs[] = {{ST_RDONLY, MS_RDONLY},     {ST_NOSUID, MS_NOSUID},
                                    {ST_NODEV, MS_NODEV},       {ST_NOEXEC, MS_NOEXEC},
                                    {ST_NOATIME, MS_NOATIME},   {ST_NODIRATIME, MS_NODIRATIME},
                                    {ST_RELATIME, MS_RELATIME}, {kStNoSymfollow, MS_NOSYMFOLLOW}};
  unsigned long out = 0;
  for (const auto& p : kPairs) {
    if ((st.f_flag & p.st) != 0) out |= p.ms;
  }
  return out;
}

void apply_propagation(int root_fd, const MountOp& op) {
  if (op.propagation == 0) return;
  // Reopened: the fd used for the mount still points at what is now underneath it.
  const UniqueFd fd = open_in_root(root_fd, op.target, O_PATH);
  if (::mount(nullptr, fd_path(fd.get()).c_str(), nullptr, op.propagation, nullptr) != 0) {
    throw_path_error(errno, "setting the propagation of", op.destination);
  }
}

// The target of the symlink `name` in `dir_fd`.
std::string read_link_at(int dir_fd, const char* name, std::string_view where) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlinkat(dir_fd, name, buf, sizeof buf);
  if (n < 0) throw_path_error(errno, "readlink", where);
  if (static_cast<std::size_t>(n) == sizeof buf) throw_path_error(ENAMETOOLONG, "readlink", where);
  return std::string(buf, static_cast<std::size_t>(n));
}

// An empty file or a directory `name` in `dir_fd`: 0 or the errno.
int create_at(int dir_fd, const char* name, bool as_file) {
  if (!as_file) return ::mkdirat(dir_fd, name, 0755) == 0 ? 0 : errno;
  const UniqueFd made(::openat(dir_fd, name, O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
  return made ? 0 : errno;
}

bool is_file_source(const MountOp& op) {
  struct stat st {};
  if (::stat(op.source.c_str(), &st) != 0) throw_path_error(errno, "stat bind source", op.source);
  return !S_ISDIR(st.st_mode);
}

void bind_mount(int root_fd, const MountOp& op) {
  {
    const UniqueFd target = ensure_target_in_root(root_fd, op.target, is_file_source(op));
    mount_on(op.source.c_str(), target.get(), nullptr, op.flags, nullptr, op.destination);
  }
  if (op.remount) {
    const UniqueFd fd = open_in_root(root_fd, op.target, O_PATH);  // the new mount now
    remount_bind_tree(fd.get(), op.remount_flags, op.recursive, op.destination);
  }
  apply_propagation(root_fd, op);
}

// Binds that replace a filesystem the kernel will not mount here.
bool should_fall_back(const MountOp& op, int err, bool rootless) {
  if (op.host_fallback.empty()) return false;
  // cgroup v1 ("cgroup" with no controller named) wants every hierarchy in one mount, which a
  // host that mounted them apart refuses with EBUSY even to root; in a user namespace only
  // cgroup2 may be mounted at all. runc binds the controllers one by one; we bind the host's
  // whole /sys/fs/cgroup read-only, rootless or not.
  if (op.kind == MountKind::cgroup) return err == EPERM || err == EBUSY || err == EINVAL || err == ENOENT;
  return rootless && err == EPERM;
}

MountOp fallback_bind(const MountOp& op) {
  MountOp bind = op;
  bind.kind = MountKind::bind;
  bind.source = op.host_fallback;
  bind.fstype.clear();
  bind.data.clear();
  bind.is_bind = true;
  bind.recursive = true;
  bind.flags = MS_BIND | MS_REC;
  bind.remount_flags = op.remount_flags | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
  bind.remount = true;
  return bind;
}

}  // namespace

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

void mount_on(const char* source, int target_fd, const char* fstype, unsigned long flags, const char* data,
              std::string_view where) {
  if (::mount(source, fd_path(target_fd).c_str(), fstype, flags, data) == 0) return;
  const int err = errno;
  throw SysError(err, mount_what(source != nullptr ? source : "", where));
}

UniqueFd ensure_target_in_root(int root_fd, const std::string& target, bool as_file) {
  std::string path = target;
  for (int links = 0;; ++links) {
    if (auto fd = try_open_in_root(root_fd, path, O_PATH)) return std::move(*fd);
    const auto parts = try_clean_path(path);
    if (!parts || parts->empty()) throw Error("mount target " + quote_path(target) + " is not below the root");
    const UniqueFd parent = mkdir_all_in_root(root_fd, *parts, parts->size() - 1);
    const char* name = parts->back().c_str();
    const int err = create_at(parent.get(), name, as_file);
    if (err == 0) return open_in_root(root_fd, path, O_PATH);
    if (err != EEXIST) throw_path_error(err, as_file ? "create" : "create directory", path);
    // It exists but does not resolve: a dangling symlink (an image's /etc/resolv.conf pointing
    // into an empty /run). Like runc, make what it points to, inside the root.
    if (links >= kMaxSymlinks) throw_path_error(ELOOP, "open", target);
    const std::string link = read_link_at(parent.get(), name, path);
    path = link.starts_with('/') ? link : join_parts(*parts, parts->size() - 1) + "/" + link;
  }
}

void remount_bind(int fd, unsigned long flags, std::string_view where) {
  const std::string path = fd_path(fd);
  constexpr unsigned long kRemount = MS_REMOUNT | MS_BIND;
  if (::mount(nullptr, path.c_str(), nullptr, kRemount | flags, nullptr) == 0) return;
  if (errno != EPERM) throw_path_error(errno, "remounting", where);
  unsigned long locked = current_flags(fd, where);
  if ((flags & kAtimeFlags) != 0) locked &= ~kAtimeFlags;  // the atime asked for wins
  log::debug("remounting " + quote_path(where) + ": EPERM, retrying with the flags the mount has (locked in a user namespace)");
  if (::mount(nullptr, path.c_str(), nullptr, kRemount | flags | locked, nullptr) != 0) {
    throw_path_error(errno, "remounting", where);
  }
}

void remount_bind_tree(int fd, unsigned long flags, bool recursive, std::string_view where) {
  remount_bind(fd, flags, where);
  if (!recursive) return;
  mount_attr attr{};
  if ((flags & MS_RDONLY) != 0) attr.attr_set |= MOUNT_ATTR_RDONLY;
  if ((flags & MS_NOSUID) != 0) attr.attr_set |= MOUNT_ATTR_NOSUID;
  if ((flags & MS_NODEV) != 0) attr.attr_set |= MOUNT_ATTR_NODEV;
  if ((flags & MS_NOEXEC) != 0) attr.attr_set |= MOUNT_ATTR_NOEXEC;
  if (attr.attr_set == 0) return;
  if (::mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) == 0) return;
  if (errno != ENOSYS) throw_path_error(errno, "setting the flags of the mounts below", where);
  log::warn_once("mount-setattr-missing",
                 "mount_setattr is not available (Linux < 5.12): the flags of a recursive bind (`rbind,ro`) apply to "
                 "its top mount only");
}

void execute_mount(int root_fd, const MountOp& op, bool rootless) {
  if (op.is_bind) {
    with_context(mount_what(op.source, op.destination), [&] { bind_mount(root_fd, op); });
    return;
  }
  int err = 0;
  {
    const UniqueFd target = with_context(mount_what(op.source, op.destination),
                                         [&] { return ensure_target_in_root(root_fd, op.target, false); });
    const char* data = op.data.empty() ? nullptr : op.data.c_str();
    if (::mount(op.source.c_str(), fd_path(target.get()).c_str(), op.fstype.c_str(), op.flags, data) != 0) err = errno;
  }
  if (err == 0) {
    apply_propagation(root_fd, op);
    return;
  }
  if (!should_fall_back(op, err, rootless)) throw SysError(err, mount_what(op.source, op.destination));
  log::debug(mount_what(op.source, op.destination) + ": " + std::strerror(err) + "; binding the host's " +
             quote_path(op.host_fallback) + " read-only instead");
  const MountOp bind = fallback_bind(op);
  with_context(mount_what(bind.source, bind.destination), [&] { bind_mount(root_fd, bind); });
}

}  // namespace pod::rootless::runtime::detail
