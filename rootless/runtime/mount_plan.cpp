#include "rootless/runtime/mount_plan.hpp"

#include <sys/mount.h>

#include <map>
#include <optional>

#include "libcore/oci/mount_options.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/root_path.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::Mount;
using core::oci::RuntimeSpec;

// The flags a bind remount can change; the rest of mount(8)'s vocabulary means nothing there.
constexpr unsigned long kBindRemountable = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                           MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW;

[[noreturn]] void throw_invalid(const std::string& what, const std::string& why) {
  throw Error(what + ": " + why, ErrorKind::invalid_input);
}

// "/dev/pts" → "dev/pts". `what` names the owner for the error ("mount `/dev/pts`").
std::string clean_target(const std::string& unsafe_path, const std::string& what) {
  if (unsafe_path.empty() || unsafe_path.front() != '/') throw_invalid(what, "the path must be absolute");
  const auto parts = try_clean_path(unsafe_path);
  if (!parts) throw_invalid(what, "the path climbs out of the container's root with `..`");
  if (parts->empty()) throw_invalid(what, "the path is the container's root itself");
  return join_parts(*parts);
}

MountKind kind_of(const std::string& type) {
  static const std::map<std::string, MountKind, std::less<>> kKinds = {
      {"proc", MountKind::proc},     {"sysfs", MountKind::sysfs},   {"tmpfs", MountKind::tmpfs},
      {"devpts", MountKind::devpts}, {"mqueue", MountKind::mqueue}, {"cgroup", MountKind::cgroup},
      {"cgroup2", MountKind::cgroup}, {"overlay", MountKind::overlay},
  };
  const auto it = kKinds.find(type);
  return it == kKinds.end() ? MountKind::other : it->second;
}

// Where a rootless container takes a filesystem from when the kernel refuses to mount a new
// one in its user namespace (crun and runc --rootless do the same binds).
std::string host_fallback_for(MountKind kind) {
  switch (kind) {
    case MountKind::sysfs: return "/sys";
    case MountKind::cgroup: return "/sys/fs/cgroup";
    case MountKind::mqueue: return "/dev/mqueue";
    default: return "";
  }
}

MountOp plan_mount(const Mount& m) {
  const std::string what = "mount " + quote_path(m.destination);
  MountOp op;
  op.destination = m.destination;
  op.target = clean_target(m.destination, what);
  op.source = m.source;
  const auto parsed = core::oci::parse_mount_options(m.options);
  op.propagation = parsed.propagation;
  op.data = parsed.data;
  op.is_bind = parsed.bind || m.type == "bind" || m.type == "rbind";
  op.recursive = parsed.recursive || m.type == "rbind";
  const unsigned long settable = parsed.flags & kBindRemountable;
  if (op.is_bind) {
    if (m.source.empty() || m.source.front() != '/') throw_invalid(what, "a bind source must be an absolute path");
    op.kind = MountKind::bind;
    op.flags = MS_BIND | (op.recursive ? MS_REC : 0);
    op.remount_flags = settable;
    op.remount = settable != 0;
    return op;
  }
  if (m.type.empty() || m.type == "none") throw_invalid(what, "no filesystem type and no `bind` option");
  op.kind = kind_of(m.type);
  op.fstype = m.type;
  op.flags = parsed.flags & ~(MS_BIND | MS_REC);
  op.remount_flags = settable;  // used only by the host fallback's bind
  op.host_fallback = host_fallback_for(op.kind);
  return op;
}

void put_device(std::vector<DeviceOp>& devices, DeviceOp device) {
  for (auto& d : devices) {
    if (d.target == device.target) {
      d = std::move(device);  // config.json overrides a default of the same path
      return;
    }
  }
  devices.push_back(std::move(device));
}

DeviceOp plan_device(const core::oci::Device& d) {
  DeviceOp op;
  op.target = clean_target(d.path, "device " + quote_path(d.path));
  op.host_path = "/" + op.target;
  op.type = d.type;
  op.major = d.major;
  op.minor = d.minor;
  op.mode = d.file_mode.value_or(0666) & 07777;
  op.uid = d.uid;
  op.gid = d.gid;
  return op;
}

bool mounts_own_dev(const std::vector<MountOp>& mounts) {
  for (const auto& m : mounts) {
    if (m.target == "dev" && !m.is_bind) return true;
  }
  return false;
}

bool mounts_devpts(const std::vector<MountOp>& mounts) {
  for (const auto& m : mounts) {
    if (m.target == "dev/pts" && m.kind == MountKind::devpts) return true;
  }
  return false;
}

std::vector<std::string> plan_paths(const std::vector<std::string>& paths, const char* what) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back("/" + clean_target(p, std::string(what) + " " + quote_path(p)));
  return out;
}

void plan_propagation(const std::string& value, RootfsPlan& plan) {
  plan.root_propagation = MS_REC | MS_SLAVE;
  if (value.empty()) return;
  const unsigned long flags = core::oci::parse_mount_options({value}).propagation;
  if (flags == 0) throw_invalid("rootfsPropagation", "unknown propagation " + quote_untrusted(value));
  if ((flags & MS_SHARED) != 0) {
    plan.final_root_propagation = flags;  // pivot_root refuses a shared parent: made shared after
  } else {
    plan.root_propagation = flags;
  }
}

}  // namespace

std::vector<DeviceOp> default_devices() {
  struct Node {
    const char* name;
    std::int64_t major, minor;
  };
  static constexpr Node kNodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                                    {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
  std::vector<DeviceOp> out;
  for (const auto& n : kNodes) {
    DeviceOp d;
    d.target = std::string("dev/") + n.name;
    d.host_path = "/" + d.target;
    d.type = 'c';
    d.major = n.major;
    d.minor = n.minor;
    d.mode = 0666;
    out.push_back(std::move(d));
  }
  return out;
}

RootfsPlan plan_rootfs(const RuntimeSpec& spec, bool rootless) {
  RootfsPlan plan;
  const core::oci::LinuxSpec no_linux;
  const auto& linux_spec = spec.linux_spec ? *spec.linux_spec : no_linux;
  plan_propagation(linux_spec.rootfs_propagation, plan);
  for (const auto& m : spec.mounts) plan.mounts.push_back(plan_mount(m));
  plan.bind_devices = rootless;
  if (mounts_own_dev(plan.mounts)) {
    plan.devices = default_devices();
    plan.links = {{"dev/fd", "/proc/self/fd"},
                  {"dev/stdin", "/proc/self/fd/0"},
                  {"dev/stdout", "/proc/self/fd/1"},
                  {"dev/stderr", "/proc/self/fd/2"}};
    if (mounts_devpts(plan.mounts)) plan.links.push_back({"dev/ptmx", "pts/ptmx"});
  }
  for (const auto& d : linux_spec.devices) put_device(plan.devices, plan_device(d));
  plan.readonly_paths = plan_paths(linux_spec.readonly_paths, "read-only path");
  plan.masked_paths = plan_paths(linux_spec.masked_paths, "masked path");
  plan.readonly_root = spec.root.readonly;
  return plan;
}

}  // namespace pod::rootless::runtime
