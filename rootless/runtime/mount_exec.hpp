// Executing a RootfsPlan (mount_plan.hpp), one concern per file: mount_exec.cpp (the spec's
// mounts, bind remounts), devices.cpp (nodes and /dev links), pivot.cpp (propagation,
// pivot_root), masked_paths.cpp (read-only and masked paths, read-only root). Internal to
// rootless/runtime; setup_rootfs() in rootfs.cpp calls these in order.
//
// All of it runs in the container's init process, single-threaded, inside its own mount
// namespace. Targets are resolved below `root_fd` with libcore's open_in_root and mounted on
// through "/proc/self/fd/N", so a symlink planted in the rootfs cannot redirect a mount out of
// it, not even by being swapped in between the check and the mount (STYLE.md §5, crun).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libcore/sys/fd.hpp"
#include "rootless/runtime/mount_plan.hpp"

namespace pod::rootless::runtime::detail {

// "/proc/self/fd/N": the path mount(2) takes for an fd.
std::string fd_path(int fd);

// mount(2) on the object `target_fd` refers to; throws SysError "mounting `SOURCE` on `WHERE`".
void mount_on(const char* source, int target_fd, const char* fstype, unsigned long flags, const char* data,
              std::string_view where);

// Opens `target` (relative to root_fd, symlinks followed inside the root) as O_PATH, creating
// it when missing: parents as directories, the last one as a directory or, with `as_file`, as
// an empty file (the mount point for a bind of a file or a device). A dangling symlink at the
// end is followed, as runc does: what it points to is made, inside the root.
UniqueFd ensure_target_in_root(int root_fd, const std::string& target, bool as_file);

// MS_REMOUNT|MS_BIND|flags on the mount at `fd`. A mount copied from a more privileged
// namespace has its nosuid, nodev, noexec, read-only and atime flags locked: a remount that
// would clear one fails with EPERM. So on EPERM this retries with the flags the mount has now
// (fstatvfs) added, as runc does; what was asked is still set.
void remount_bind(int fd, unsigned long flags, std::string_view where);

// With `recursive`, also sets ro/nosuid/nodev/noexec on every mount below `fd` (mount_setattr
// AT_RECURSIVE; the top mount alone, with a warning, on kernels before 5.12).
void remount_bind_tree(int fd, unsigned long flags, bool recursive, std::string_view where);

// One of the spec's mounts, with its remount and propagation steps and the rootless fallbacks.
void execute_mount(int root_fd, const MountOp& op, bool rootless);

// devices.cpp
void create_devices(int root_fd, const std::vector<DeviceOp>& devices, bool bind_from_host);
void create_links(int root_fd, const std::vector<LinkOp>& links);

// pivot.cpp
void set_propagation(const char* path, unsigned long flags);
void bind_rootfs_onto_itself(const std::string& rootfs);
// Makes the directory `root_fd` refers to (a mount point) the root and drops the old root.
void pivot_into(int root_fd);

// masked_paths.cpp — after pivot_root; paths are absolute inside the container.
void make_paths_readonly(int root_fd, const std::vector<std::string>& paths);
void mask_paths(int root_fd, const std::vector<std::string>& paths);
void make_root_readonly(int root_fd);

}  // namespace pod::rootless::runtime::detail
