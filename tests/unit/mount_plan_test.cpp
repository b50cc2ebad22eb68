#include "rootless/runtime/mount_plan.hpp"

#include <sys/mount.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"

using Catch::Matchers::Contains;
using pod::core::oci::default_spec;
using pod::core::oci::Device;
using pod::core::oci::Mount;
using pod::core::oci::RuntimeSpec;
using pod::rootless::runtime::DeviceOp;
using pod::rootless::runtime::MountKind;
using pod::rootless::runtime::MountOp;
using pod::rootless::runtime::plan_rootfs;

namespace {

const MountOp& op_at(const std::vector<MountOp>& ops, const std::string& target) {
  const auto it = std::find_if(ops.begin(), ops.end(), [&](const MountOp& op) { return op.target == target; });
  REQUIRE(it != ops.end());
  return *it;
}

std::vector<std::string> targets(const std::vector<MountOp>& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops) out.push_back(op.target);
  return out;
}

RuntimeSpec spec_with_mounts(std::vector<Mount> mounts) {
  RuntimeSpec spec = default_spec(true, 1000, 1000);
  spec.mounts = std::move(mounts);
  return spec;
}

}  // namespace

TEST_CASE("the rootless default spec plans its mounts in order", "[mount_plan]") {
  const auto plan = plan_rootfs(default_spec(true, 1000, 1000), true);
  CHECK(targets(plan.mounts) ==
        std::vector<std::string>{"proc", "dev", "dev/pts", "dev/shm", "dev/mqueue", "sys", "sys/fs/cgroup"});
  CHECK(plan.root_propagation == (MS_REC | MS_SLAVE));
  CHECK(plan.final_root_propagation == 0);
  CHECK(plan.readonly_root);
  CHECK(plan.bind_devices);

  const auto& proc = op_at(plan.mounts, "proc");
  CHECK(proc.kind == MountKind::proc);
  CHECK(proc.fstype == "proc");
  CHECK_FALSE(proc.is_bind);
  CHECK(proc.host_fallback.empty());

  const auto& dev = op_at(plan.mounts, "dev");
  CHECK(dev.kind == MountKind::tmpfs);
  CHECK(dev.flags == (MS_NOSUID | MS_STRICTATIME));
  CHECK(dev.data == "mode=755,size=65536k");

  const auto& pts = op_at(plan.mounts, "dev/pts");
  CHECK(pts.kind == MountKind::devpts);
  CHECK(pts.data == "newinstance,ptmxmode=0666,mode=0620");  // no gid=5 rootless

  // Rootless /sys is the host's, bound recursively, then remounted with the asked flags.
  const auto& sys = op_at(plan.mounts, "sys");
  CHECK(sys.kind == MountKind::bind);
  CHECK(sys.is_bind);
  CHECK(sys.recursive);
  CHECK(sys.source == "/sys");
  CHECK(sys.flags == (MS_BIND | MS_REC));
  CHECK(sys.remount);
  CHECK(sys.remount_flags == (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));

  const auto& cgroup = op_at(plan.mounts, "sys/fs/cgroup");
  CHECK(cgroup.kind == MountKind::cgroup);
  CHECK(cgroup.host_fallback == "/sys/fs/cgroup");
  CHECK((cgroup.flags & MS_RDONLY) != 0);
  CHECK(op_at(plan.mounts, "dev/mqueue").host_fallback == "/dev/mqueue");
}

TEST_CASE("the root default spec mounts sysfs, with a host fallback", "[mount_plan]") {
  const auto plan = plan_rootfs(default_spec(false, 0, 0), false);
  CHECK_FALSE(plan.bind_devices);
  const auto& sys = op_at(plan.mounts, "sys");
  CHECK(sys.kind == MountKind::sysfs);
  CHECK_FALSE(sys.is_bind);
  CHECK(sys.flags == (MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV));
  CHECK(sys.host_fallback == "/sys");
  CHECK(op_at(plan.mounts, "dev/pts").data == "newinstance,ptmxmode=0666,mode=0620,gid=5");
}

TEST_CASE("a tmpfs /dev gets the default devices and links", "[mount_plan]") {
  const auto plan = plan_rootfs(default_spec(true, 1000, 1000), true);
  std::vector<std::string> devices;
  for (const auto& d : plan.devices) devices.push_back(d.target);
  CHECK(devices == std::vector<std::string>{"dev/null", "dev/zero", "dev/full", "dev/random", "dev/urandom", "dev/tty"});
  CHECK(plan.devices[0].host_path == "/dev/null");
  CHECK(plan.devices[0].major == 1);
  CHECK(plan.devices[0].minor == 3);
  CHECK(plan.devices[0].mode == 0666);
  std::vector<std::string> links;
  for (const auto& l : plan.links) links.push_back(l.target + " -> " + l.link_to);
  CHECK(links == std::vector<std::string>{"dev/fd -> /proc/self/fd", "dev/stdin -> /proc/self/fd/0",
                                          "dev/stdout -> /proc/self/fd/1", "dev/stderr -> /proc/self/fd/2",
                                          "dev/ptmx -> pts/ptmx"});
}

TEST_CASE("without its own /dev a container gets only the devices it names", "[mount_plan]") {
  auto spec = spec_with_mounts({Mount{"/proc", "proc", "proc", {}}, Mount{"/dev", "", "/dev", {"rbind"}}});
  spec.linux_spec->devices = {Device{'c', "/dev/fuse", 10, 229, 0600, 0, 0}};
  const auto plan = plan_rootfs(spec, true);
  CHECK(plan.links.empty());
  REQUIRE(plan.devices.size() == 1);
  CHECK(plan.devices[0].target == "dev/fuse");
  CHECK(plan.devices[0].host_path == "/dev/fuse");
  CHECK(plan.devices[0].mode == 0600);
  CHECK(plan.devices[0].uid == 0u);
}

TEST_CASE("a device in config.json replaces the default of the same path", "[mount_plan]") {
  auto spec = default_spec(false, 0, 0);
  spec.linux_spec->devices = {Device{'c', "/dev/null", 1, 3, 0600, std::nullopt, std::nullopt},
                              Device{'p', "/dev/my-fifo", 0, 0, std::nullopt, std::nullopt, std::nullopt}};
  const auto plan = plan_rootfs(spec, false);
  REQUIRE(plan.devices.size() == 7);
  CHECK(plan.devices[0].target == "dev/null");
  CHECK(plan.devices[0].mode == 0600);
  CHECK(plan.devices[6].target == "dev/my-fifo");
  CHECK(plan.devices[6].type == 'p');
  CHECK(plan.devices[6].mode == 0666);
}

TEST_CASE("bind mounts with options", "[mount_plan]") {
  const auto plan = plan_rootfs(
      spec_with_mounts({Mount{"/data", "bind", "/srv/data", {"rbind", "ro", "nosuid", "rslave"}},
                        Mount{"/etc/hosts", "", "/etc/hosts", {"bind"}},
                        Mount{"/cache", "none", "/var/cache", {"bind", "noexec", "nodev", "private"}},
                        Mount{"/sub/../work/./dir", "", "/w", {"bind", "rw", "noatime"}}}),
      true);
  CHECK(targets(plan.mounts) == std::vector<std::string>{"data", "etc/hosts", "cache", "work/dir"});

  const auto& data = plan.mounts[0];
  CHECK(data.is_bind);
  CHECK(data.recursive);
  CHECK(data.flags == (MS_BIND | MS_REC));
  CHECK(data.remount);
  CHECK(data.remount_flags == (MS_RDONLY | MS_NOSUID));
  CHECK(data.propagation == (MS_SLAVE | MS_REC));
  CHECK(data.source == "/srv/data");

  const auto& hosts = plan.mounts[1];
  CHECK(hosts.kind == MountKind::bind);
  CHECK_FALSE(hosts.recursive);
  CHECK(hosts.flags == MS_BIND);
  CHECK_FALSE(hosts.remount);  // nothing to change: one mount(2)
  CHECK(hosts.propagation == 0);

  const auto& cache = plan.mounts[2];
  CHECK(cache.remount_flags == (MS_NOEXEC | MS_NODEV));
  CHECK(cache.propagation == MS_PRIVATE);

  const auto& work = plan.mounts[3];
  CHECK(work.destination == "/sub/../work/./dir");
  CHECK(work.remount_flags == MS_NOATIME);
}

TEST_CASE("a bind of type `rbind` is recursive without the option", "[mount_plan]") {
  const auto plan = plan_rootfs(spec_with_mounts({Mount{"/x", "rbind", "/x", {}}}), true);
  CHECK(plan.mounts[0].recursive);
  CHECK(plan.mounts[0].flags == (MS_BIND | MS_REC));
}

TEST_CASE("bad destinations and sources are refused before anything is mounted", "[mount_plan]") {
  struct Case {
    Mount mount;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Mount{"proc", "proc", "proc", {}}, "mount `proc`: the path must be absolute"},
      {Mount{"", "tmpfs", "tmpfs", {}}, "mount `.`: the path must be absolute"},
      {Mount{"/../etc", "tmpfs", "tmpfs", {}}, "mount `/../etc`: the path climbs out of the container's root"},
      {Mount{"/a/../../b", "", "/b", {"bind"}}, "climbs out"},
      {Mount{"/", "tmpfs", "tmpfs", {}}, "mount `/`: the path is the container's root itself"},
      {Mount{"/a/..", "tmpfs", "tmpfs", {}}, "the path is the container's root itself"},
      {Mount{"/data", "", "data", {"bind"}}, "mount `/data`: a bind source must be an absolute path"},
      {Mount{"/data", "", "/data", {}}, "mount `/data`: no filesystem type and no `bind` option"},
  };
  for (const auto& c : cases) {
    INFO(c.mount.destination);
    REQUIRE_THROWS_WITH(plan_rootfs(spec_with_mounts({c.mount}), true), Contains(c.message));
  }
}

TEST_CASE("bad masked, read-only and device paths are refused", "[mount_plan]") {
  auto spec = default_spec(true, 1000, 1000);
  spec.linux_spec->masked_paths = {"/proc/kcore", "proc/keys"};
  REQUIRE_THROWS_WITH(plan_rootfs(spec, true), Contains("masked path `proc/keys`: the path must be absolute"));
  spec = default_spec(true, 1000, 1000);
  spec.linux_spec->readonly_paths = {"/proc/../../sys"};
  REQUIRE_THROWS_WITH(plan_rootfs(spec, true), Contains("read-only path `/proc/../../sys`: the path climbs out"));
  spec = default_spec(true, 1000, 1000);
  spec.linux_spec->devices = {Device{'c', "/dev/../../null", 1, 3, std::nullopt, std::nullopt, std::nullopt}};
  REQUIRE_THROWS_WITH(plan_rootfs(spec, true), Contains("device `/dev/../../null`: the path climbs out"));
}

TEST_CASE("masked and read-only paths keep their order, cleaned", "[mount_plan]") {
  auto spec = default_spec(true, 1000, 1000);
  spec.linux_spec->masked_paths = {"/proc//kcore", "/sys/./firmware"};
  const auto plan = plan_rootfs(spec, true);
  CHECK(plan.masked_paths == std::vector<std::string>{"/proc/kcore", "/sys/firmware"});
  CHECK(plan.readonly_paths ==
        std::vector<std::string>{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"});
}

TEST_CASE("rootfsPropagation", "[mount_plan]") {
  auto spec = default_spec(true, 1000, 1000);
  spec.linux_spec->rootfs_propagation = "private";
  CHECK(plan_rootfs(spec, true).root_propagation == MS_PRIVATE);
  spec.linux_spec->rootfs_propagation = "rshared";
  const auto shared = plan_rootfs(spec, true);
  CHECK(shared.root_propagation == (MS_REC | MS_SLAVE));  // pivot_root refuses a shared parent
  CHECK(shared.final_root_propagation == (MS_REC | MS_SHARED));
  spec.linux_spec->rootfs_propagation = "sideways";
  REQUIRE_THROWS_WITH(plan_rootfs(spec, true), Contains("rootfsPropagation: unknown propagation `sideways`"));
}

TEST_CASE("a spec without a linux section plans only its mounts", "[mount_plan]") {
  RuntimeSpec spec;
  spec.root.path = "rootfs";
  spec.mounts = {Mount{"/tmp", "tmpfs", "tmpfs", {"size=1m"}}};
  const auto plan = plan_rootfs(spec, false);
  CHECK(targets(plan.mounts) == std::vector<std::string>{"tmp"});
  CHECK(plan.devices.empty());
  CHECK(plan.masked_paths.empty());
  CHECK_FALSE(plan.readonly_root);
}
