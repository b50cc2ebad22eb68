// A container's root filesystem: the image's layer directories under a writable upper
// directory. Mounted by `pod start` inside pod's user + mount namespace, which the container's
// monitor inherits (keeping the mount alive exactly as long as the container); no other pod
// process needs to see it. Drivers, best first:
//   overlay         the kernel's, in the user namespace (Linux ≥ 5.11, option userxattr)
//   fuse-overlayfs  where the kernel refuses (older kernels), when installed and /dev/fuse is
//                   usable
//   vfs             a full copy of the layers (vfs_copy.hpp): slow, the last resort
// The choice is probed once per boot (cached in the runroot), shown by `pod info`, and a
// fallback is warned about once with its reason and fix. `--storage-driver` forces one.
#pragma once

#include <string>
#include <vector>

namespace pod::rootless::container {

struct DriverChoice {
  std::string driver;  // "overlay", "fuse-overlayfs" or "vfs"
  std::string reason;  // why not the best one; empty when it is
};

// Throws Error(unsupported) naming what failed and the fix when no driver works, or when
// `forced` (empty: choose) is unknown or does not work here.
DriverChoice choose_driver(const std::string& store_root, const std::string& runroot, bool rootless,
                           const std::string& forced = "");

// Mounts `layers` (directories, top first) under `upper`/`work` on `merged`.
void mount_rootfs(const std::string& driver, const std::vector<std::string>& layers, const std::string& upper,
                  const std::string& work, const std::string& merged, bool rootless);

// Mounts `layers` (top first) read-only on `merged` with the kernel's overlay (a bind mount
// for a single layer): an image's files to read (pod build's COPY --from).
void mount_layers_read_only(const std::vector<std::string>& layers, const std::string& merged, bool rootless);

}  // namespace pod::rootless::container
