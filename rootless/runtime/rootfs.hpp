// Setting up a container's root filesystem from its config.json, inside the container's own
// mount namespace (and user namespace, when rootless), then switching into it.
//
// Called by the container's init process after it has entered its namespaces (a new mount
// namespace, and a new pid namespace when the spec mounts proc) and before it execs the user's
// program; the process is root in its user namespace and single-threaded. Order:
//   plan (pure, mount_plan.hpp: bad destinations are refused before anything is mounted) →
//   "/" made MS_REC|MS_SLAVE (or rootfsPropagation; a shared one is applied after pivot_root) →
//   the rootfs bound onto itself → the spec's mounts in order, each target resolved inside the
//   rootfs (a symlink never leads out of it) and mounted on through /proc/self/fd → default
//   devices when the spec mounts its own /dev (/dev/null, zero, full, random, urandom, tty:
//   mknod as root, bind-mounted from the host when rootless) and linux.devices → links /dev/fd,
//   stdin, stdout, stderr, and ptmx when devpts is on /dev/pts (no /dev/core, as runc) →
//   createContainer hooks → pivot_root → linux.sysctl → read-only paths → masked paths → the root read-only when asked.
// Rootless fallbacks, logged at debug level: sysfs or mqueue refused (EPERM) → a read-only
// rbind of the host's /sys or /dev/mqueue; cgroup refused (always, for cgroup v1) → a read-only
// rbind of the host's /sys/fs/cgroup, rootless or not. Bind remounts keep the flags a user
// namespace locks (nosuid, nodev, noexec, ro, atime) instead of failing with EPERM.
// Throws pod::Error naming the mount and the reason ("mounting `proc` on `/proc`: Operation not
// permitted"); the caller reports it to the runtime. On failure the mount namespace is left
// half set up: the caller must not exec, only report and exit.
#pragma once

#include <functional>
#include <string>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

struct RootfsContext {
  std::string rootfs;     // absolute path of the root filesystem (bundle + root.path)
  bool rootless = false;  // in a user namespace without real root: devices are bind-mounted
  std::function<void()> before_pivot;  // the createContainer hooks; may be empty
};

void setup_rootfs(const core::oci::RuntimeSpec& spec, const RootfsContext& context);

}  // namespace pod::rootless::runtime
