// Owner, xattrs, mode and times of entries written by LayerWriter.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "storage/layer/layer_writer.hpp"

namespace pod::storage::detail {
namespace {

constexpr std::int64_t kMaxId = 0xfffffffe;  // (uid_t)-1 means "unchanged" to chown

// Whether `id` has a mapping in /proc/self/{uid,gid}_map ("inside outside count" lines).
bool is_id_mapped(const char* map_file, std::int64_t id) {
  std::ifstream in(map_file);
  if (!in) return true;  // cannot tell: do not blame the mapping
  std::int64_t inside = 0, outside = 0, count = 0;
  while (in >> inside >> outside >> count) {
    if (id >= inside && id - inside < count) return true;
  }
  return false;
}

[[noreturn]] void throw_unmapped(const EntryPlace& at, const TarEntry& entry, int err) {
  if (!is_id_mapped("/proc/self/uid_map", entry.uid)) {
    throw Error("uid " + std::to_string(entry.uid) + " of " + quote_path(at.name) +
                " is not mapped in this user namespace (check /etc/subuid)");
  }
  if (!is_id_mapped("/proc/self/gid_map", entry.gid)) {
    throw Error("gid " + std::to_string(entry.gid) + " of " + quote_path(at.name) +
                " is not mapped in this user namespace (check /etc/subgid)");
  }
  throw SysError(err, "chown " + quote_path(at.name) + " to " + std::to_string(entry.uid) + ":" + std::to_string(entry.gid));
}

bool has_prefix(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Why an xattr from the layer is not set, or nullptr to set it.
const char* why_skip_xattr(std::string_view key, const EntryPlace& at, const ApplyOptions& opts) {
  // Overlay reads its own xattrs (opaque, redirect, metacopy, …) from the layer directory: a
  // layer must not smuggle them in. Opaque directories come from ".wh..wh..opq" only.
  if (has_prefix(key, "trusted.overlay.") || has_prefix(key, "user.overlay.")) return "it is reserved for overlay";
  if (opts.rootless && has_prefix(key, "trusted.")) return "trusted.* needs real root";
  // security.capability is written by the kernel as a namespaced (v3) capability in a user
  // namespace; the rest of security.* (selinux, ima, evm) is the host's business.
  if (opts.rootless && has_prefix(key, "security.") && key != "security.capability") return "security.* needs real root";
  // The kernel allows user.* only on regular files and directories.
  if (at.fd < 0 && has_prefix(key, "user.")) return "user.* is only allowed on files and directories";
  return nullptr;
}

}  // namespace

void set_owner(const EntryPlace& at, const TarEntry& entry, const ApplyOptions& opts) {
  if (!opts.chown) return;
  if (entry.uid < 0 || entry.uid > kMaxId || entry.gid < 0 || entry.gid > kMaxId) {
    throw Error("invalid owner " + std::to_string(entry.uid) + ":" + std::to_string(entry.gid), ErrorKind::invalid_input);
  }
  const auto uid = static_cast<uid_t>(entry.uid);
  const auto gid = static_cast<gid_t>(entry.gid);
  const int rc = at.fd >= 0 ? ::fchown(at.fd, uid, gid)
                            : ::fchownat(at.parent_fd, at.name.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW);
  if (rc == 0) return;
  const int err = errno;
  if (err == EINVAL) throw_unmapped(at, entry, err);
  throw SysError(err, "chown " + quote_path(at.name) + " to " + std::to_string(uid) + ":" + std::to_string(gid));
}

void set_xattrs(const EntryPlace& at, const TarEntry& entry, const ApplyOptions& opts) {
  for (const auto& [key, value] : entry.xattrs) {
    if (const char* why = why_skip_xattr(key, at, opts)) {
      log::debug("layer " + quote(opts.layer_name) + ": not setting xattr " + quote_path(key) + " on " + quote_path(entry.unsafe_name) +
                 ": " + why);
      continue;
    }
    int rc = 0;
    if (at.fd >= 0) {
      rc = ::fsetxattr(at.fd, key.c_str(), value.data(), value.size(), 0);
    } else {
      // Symlinks, fifos and device nodes cannot be opened for fsetxattr without following or
      // opening them; the parent is already resolved, so only `name` is looked up here.
      const std::string path = "/proc/self/fd/" + std::to_string(at.parent_fd) + "/" + at.name;
      rc = ::lsetxattr(path.c_str(), key.c_str(), value.data(), value.size(), 0);
    }
    if (rc == 0) continue;
    const int err = errno;
    if (err == ENOTSUP || (err == EPERM && opts.rootless)) {
      log::warn_once("layer-xattr:" + key, "layer " + quote(opts.layer_name) + ": cannot set xattr " + quote_path(key) + " on " +
                                               quote_path(entry.unsafe_name) + " (" + std::strerror(err) +
                                               "); continuing without it");
      continue;
    }
    throw SysError(err, "set xattr " + quote_path(key));
  }
}

void set_mode(const EntryPlace& at, mode_t perm) {
  // fchmodat follows symlinks: only used for fifos and device nodes this writer just made.
  const int rc = at.fd >= 0 ? ::fchmod(at.fd, perm & 07777) : ::fchmodat(at.parent_fd, at.name.c_str(), perm & 07777, 0);
  if (rc != 0) throw_path_error(errno, "chmod", at.name);
}

void set_times(const EntryPlace& at, const TarEntry& entry) {
  const timespec times[2] = {entry.atime, entry.mtime};
  const int rc = at.fd >= 0 ? ::futimens(at.fd, times)
                            : ::utimensat(at.parent_fd, at.name.c_str(), times, AT_SYMLINK_NOFOLLOW);
  if (rc != 0) throw_path_error(errno, "set times of", at.name);
}

}  // namespace pod::storage::detail
