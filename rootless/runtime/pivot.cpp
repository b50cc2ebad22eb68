// Mount propagation and the switch into the new root.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "libcore/sys/error.hpp"
#include "rootless/runtime/mount_exec.hpp"

namespace pod::rootless::runtime::detail {

void set_propagation(const char* path, unsigned long flags) {
  if (::mount(nullptr, path, nullptr, flags, nullptr) != 0) throw_errno("setting the mount propagation of", path);
}

// pivot_root needs the new root to be a mount point; a bind of the directory onto itself makes
// it one, whatever the directory is on the host.
void bind_rootfs_onto_itself(const std::string& rootfs) {
  if (::mount(rootfs.c_str(), rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    throw_errno("binding the rootfs onto itself:", rootfs);
  }
}

// runc's trick: pivot_root(".", ".") stacks the old root on top of the new one at the same
// place, so no put_old directory is needed in the image; unmounting "." then drops the old
// root. It is made a slave first so that the unmount cannot propagate back to the host should
// the root have been shared.
void pivot_into(int root_fd) {
  if (::fchdir(root_fd) != 0) throw_errno("entering the new root");
  if (::syscall(SYS_pivot_root, ".", ".") != 0) throw_errno("pivot_root");
  if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0) throw_errno("making the old root a slave");
  if (::umount2(".", MNT_DETACH) != 0) throw_errno("unmounting the old root");
  if (::chdir("/") != 0) throw_errno("chdir", "/");
}

}  // namespace pod::rootless::runtime::detail
