// The config `pod-runtime spec [--rootless]` writes. The content follows `runc spec`
// (libcontainer/specconv) so that bundles made for runc behave the same under pod-runtime;
// where we depart from it, the comment says why.
#include "libcore/oci/runtime_spec.hpp"

namespace pod::core::oci {
namespace {

using Strings = std::vector<std::string>;

// runc grants these three in the bounding, effective and permitted sets only. Inheritable
// ones let them survive into exec'd programs (CVE-2022-29162), and an ambient capability
// needs the inheritable one, so both stay empty (crun's template still fills ambient).
Capabilities default_capabilities() {
  const Strings names = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  Capabilities caps;
  caps.bounding = names;
  caps.effective = names;
  caps.permitted = names;
  return caps;
}

Process default_process() {
  Process p;
  p.terminal = true;
  p.args = {"sh"};
  p.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"};
  p.cwd = "/";
  p.capabilities = default_capabilities();
  p.rlimits = {Rlimit{"RLIMIT_NOFILE", 1024, 1024}};
  p.no_new_privileges = true;
  return p;
}

Mount devpts_mount(bool rootless) {
  Mount m{"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}};
  // gid 5 (tty) is not mapped in a rootless user namespace, and devpts refuses unmapped ids.
  if (!rootless) m.options.push_back("gid=5");
  return m;
}

// sysfs may only be mounted by the user namespace that owns the network namespace; a rootless
// container may join the host's network, so it gets a read-only bind of the host's /sys.
Mount sys_mount(bool rootless) {
  if (rootless) return Mount{"/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}};
  return Mount{"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}};
}

std::vector<Mount> default_mounts(bool rootless) {
  return {
      Mount{"/proc", "proc", "proc", {}},
      Mount{"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      devpts_mount(rootless),
      Mount{"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      Mount{"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      sys_mount(rootless),
      // Kept when rootless as runc keeps it: the runtime mounts the container's own cgroup.
      Mount{"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
}

// Kernel interfaces that leak host information or allow host-wide changes.
Strings default_masked_paths() {
  return {"/proc/acpi",       "/proc/asound",      "/proc/kcore",       "/proc/keys",    "/proc/latency_stats",
          "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"};
}

Strings default_readonly_paths() { return {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}; }

// runc --rootless drops the network namespace; we keep it (as crun does): owned by the
// container's user namespace it is allowed, and it is what a rootless network helper
// (slirp4netns) attaches to. A container that should share the host's network removes it.
std::vector<Namespace> default_namespaces(bool rootless, bool cgroup_namespace) {
  std::vector<Namespace> out;
  for (auto type :
       {NamespaceType::pid, NamespaceType::network, NamespaceType::ipc, NamespaceType::uts, NamespaceType::mount}) {
    out.push_back(Namespace{type, ""});
  }
  if (cgroup_namespace) out.push_back(Namespace{NamespaceType::cgroup, ""});
  if (rootless) out.push_back(Namespace{NamespaceType::user, ""});
  return out;
}

LinuxSpec default_linux(bool rootless, std::uint32_t uid, std::uint32_t gid, bool cgroup_namespace) {
  LinuxSpec l;
  l.namespaces = default_namespaces(rootless, cgroup_namespace);
  if (rootless) {
    l.uid_mappings = {IdMapping{0, uid, 1}};
    l.gid_mappings = {IdMapping{0, gid, 1}};
  } else {
    // Deny every device in the device cgroup; the runtime allows the default ones itself.
    // Rootless has no device cgroup to write to, so it sets no resources at all.
    Resources resources;
    resources.devices = {DeviceRule{false, "", std::nullopt, std::nullopt, "rwm"}};
    l.resources = resources;
  }
  l.masked_paths = default_masked_paths();
  l.readonly_paths = default_readonly_paths();
  return l;
}

}  // namespace

RuntimeSpec default_spec(bool rootless, std::uint32_t uid, std::uint32_t gid, bool cgroup_namespace) {
  RuntimeSpec s;
  s.oci_version = std::string(kRuntimeSpecVersion);
  s.process = default_process();
  s.root = Root{"rootfs", true};
  s.hostname = "pod";
  s.mounts = default_mounts(rootless);
  s.linux_spec = default_linux(rootless, uid, gid, cgroup_namespace);
  return s;
}

}  // namespace pod::core::oci
