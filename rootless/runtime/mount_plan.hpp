// The rootfs setup of a container as a list of operations, planned from config.json before
// anything irreversible happens (STYLE.md §7: bubblewrap's SetupOp list). Planning is pure —
// no syscalls, no host lookups — so every rule below is unit-tested; rootfs.cpp executes it.
//
// Every `target` is a cleaned path relative to the container's root ("dev/pts", "" for the root
// itself), resolved at execution time inside the rootfs, never outside it. What depends on the
// host (is a bind source a file? does mounting sysfs work here?) is decided when the op runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

enum class MountKind { bind, proc, sysfs, tmpfs, devpts, mqueue, cgroup, overlay, other };

struct MountOp {
  MountKind kind = MountKind::other;
  std::string destination;  // as config.json spells it, for messages
  std::string target;       // cleaned, relative to the rootfs
  std::string source;       // a host path for binds, else the mount's "source" (device name)
  std::string fstype;       // empty for binds
  unsigned long flags = 0;  // the first mount(2): MS_BIND[|MS_REC] for binds, else every flag
  std::string data;
  bool is_bind = false;
  bool recursive = false;  // rbind
  // Binds ignore all flags but MS_BIND|MS_REC on the first mount(2); ro, nosuid, nodev,
  // noexec, atime… need a second mount(2) with MS_REMOUNT|MS_BIND|remount_flags.
  bool remount = false;
  unsigned long remount_flags = 0;  // MS_RDONLY, MS_NOSUID, … (without MS_REMOUNT|MS_BIND)
  unsigned long propagation = 0;    // MS_PRIVATE, MS_SLAVE|MS_REC, …: a separate mount(2); 0 for none
  // Where to take the filesystem from when mounting it is refused in a user namespace (sysfs
  // without a network namespace of its own, cgroup v1, mqueue without an ipc namespace): an
  // rbind of this host path, with the op's remount flags. Empty: no fallback.
  std::string host_fallback;
};

enum class DeviceAction { create, link };

// A device node (type 'c', 'b', 'u' or 'p') at `target`: mknod when really root; a bind of
// `host_path` onto an empty file when rootless (or when mknod is refused).
struct DeviceOp {
  std::string target;     // cleaned, relative to the rootfs ("dev/null")
  std::string host_path;  // the same node on the host ("/dev/null")
  char type = 'c';
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::uint32_t mode = 0666;  // permission bits
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
};

// A symlink at `target` (relative to the rootfs) pointing to `link_to`, as given.
struct LinkOp {
  std::string target;
  std::string link_to;
};

struct RootfsPlan {
  // mount(NULL, "/", NULL, root_propagation) first: MS_REC|MS_SLAVE unless config.json says
  // otherwise (a shared root is made a slave here: pivot_root refuses a shared parent).
  unsigned long root_propagation = 0;
  // Applied to "/" after pivot_root when config.json asks for a shared root; else 0.
  unsigned long final_root_propagation = 0;
  std::vector<MountOp> mounts;  // in config.json's order
  bool bind_devices = false;    // rootless: no mknod, bind the host's nodes
  std::vector<DeviceOp> devices;
  std::vector<LinkOp> links;
  // After pivot_root, absolute paths inside the container.
  std::vector<std::string> readonly_paths;
  std::vector<std::string> masked_paths;
  bool readonly_root = false;
};

// Throws Error(invalid_input) naming the mount or device: a relative destination, one that
// climbs out with "..", the root itself as a mount target, an unknown rootfsPropagation.
RootfsPlan plan_rootfs(const core::oci::RuntimeSpec& spec, bool rootless);

// The default devices a container gets when it has its own /dev (runc's and crun's list).
std::vector<DeviceOp> default_devices();

}  // namespace pod::rootless::runtime
