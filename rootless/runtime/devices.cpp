// Device nodes and the /dev symlinks of a container with its own /dev.
//
// Really root: mknod, then the owner and mode config.json gives (mknod's mode is cut by the
// umask). Rootless, a user namespace cannot make device nodes (the kernel refuses mknod of
// anything but a fifo), so each node is an empty file with the host's node bind-mounted on it,
// as runc and crun do; root inside someone else's user namespace falls back the same way.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/runtime/mount_exec.hpp"

namespace pod::rootless::runtime::detail {
namespace {

// The parent directory of `target` (created as needed) and the last component.
std::pair<UniqueFd, std::string> parent_in_root(int root_fd, const std::string& target) {
  const auto parts = try_clean_path(target);
  if (!parts || parts->empty()) throw Error(quote_path(target) + " is not below the container's root");
  return {mkdir_all_in_root(root_fd, *parts, parts->size() - 1), parts->back()};
}

mode_t type_bits(char type) {
  switch (type) {
    case 'b': return S_IFBLK;
    case 'p': return S_IFIFO;
    default: return S_IFCHR;  // 'c' and 'u'
  }
}

// Owner and mode through an fd of the node we made (never following a symlink).
void set_owner_and_mode(int parent_fd, const std::string& name, const DeviceOp& d) {
  const UniqueFd fd(::openat(parent_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) throw_path_error(errno, "open", d.target);
  if (::chmod(fd_path(fd.get()).c_str(), d.mode) != 0) throw_path_error(errno, "chmod", d.target);
  if (!d.uid && !d.gid) return;
  const uid_t uid = d.uid ? *d.uid : static_cast<uid_t>(-1);
  const gid_t gid = d.gid ? *d.gid : static_cast<gid_t>(-1);
  if (::fchownat(fd.get(), "", uid, gid, AT_EMPTY_PATH) != 0) throw_path_error(errno, "chown", d.target);
}

// false (errno EPERM) when the kernel refuses; throws on other failures.
bool try_mknod(int parent_fd, const std::string& name, const DeviceOp& d) {
  const dev_t dev = d.type == 'p' ? 0 : ::makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor));
  if (::mknodat(parent_fd, name.c_str(), type_bits(d.type) | (d.mode & 07777), dev) != 0) {
    if (errno == EPERM) return false;
    if (errno != EEXIST) throw_path_error(errno, "mknod", d.target);
    return true;  // the image has it already: left as it is, as runc does
  }
  set_owner_and_mode(parent_fd, name, d);
  return true;
}

void bind_from_host(int parent_fd, const std::string& name, const DeviceOp& d) {
  const UniqueFd made(::openat(parent_fd, name.c_str(), O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!made && errno != EEXIST) throw_path_error(errno, "create", d.target);
  const UniqueFd target(::openat(parent_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!target) throw_path_error(errno, "open", d.target);
  struct stat st {};
  if (::fstat(target.get(), &st) != 0) throw_path_error(errno, "stat", d.target);
  if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
    throw Error("binding device " + quote_path(d.host_path) + ": " + quote_path("/" + d.target) +
                " in the rootfs is a symlink or a directory");
  }
  mount_on(d.host_path.c_str(), target.get(), nullptr, MS_BIND, nullptr, "/" + d.target);
}

void create_device(int root_fd, const DeviceOp& d, bool bind) {
  auto [parent, name] = parent_in_root(root_fd, d.target);
  if (!bind || d.type == 'p') {  // a fifo needs no privilege and has no host node to bind
    if (try_mknod(parent.get(), name, d)) return;
    if (d.type == 'p') throw_path_error(EPERM, "mknod", d.target);
    log::debug("mknod " + quote_path(d.target) + ": refused; binding the host's node instead");
  }
  bind_from_host(parent.get(), name, d);
}

}  // namespace

void create_devices(int root_fd, const std::vector<DeviceOp>& devices, bool bind) {
  for (const auto& d : devices) {
    with_context("creating device " + quote_path("/" + d.target), [&] { create_device(root_fd, d, bind); });
  }
}

void create_links(int root_fd, const std::vector<LinkOp>& links) {
  for (const auto& l : links) {
    with_context("creating symlink " + quote_path("/" + l.target), [&] {
      auto [parent, name] = parent_in_root(root_fd, l.target);
      if (::symlinkat(l.link_to.c_str(), parent.get(), name.c_str()) != 0 && errno != EEXIST) {
        throw_path_error(errno, "symlink", l.target);
      }
    });
  }
}

}  // namespace pod::rootless::runtime::detail
