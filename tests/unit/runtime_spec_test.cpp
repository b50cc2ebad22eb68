#include "libcore/oci/runtime_spec.hpp"

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "tests/unit/test_support.hpp"

using pod::core::oci::default_spec;
using pod::core::oci::IdMapping;
using pod::core::oci::Mount;
using pod::core::oci::NamespaceType;
using pod::core::oci::parse_runtime_spec;
using pod::core::oci::RuntimeSpec;
using pod::core::oci::serialize;

namespace {

using Strings = std::vector<std::string>;

// `runc spec` output, filled in the way an engine (podman, containerd) fills it, plus fields
// pod does not model (scheduler, intelRdt, vm, personality), which are ignored.
const std::string kRealistic = R"({
  "ociVersion": "1.0.2-dev",
  "process": {
    "terminal": true,
    "consoleSize": {"height": 40, "width": 120},
    "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [10, 4294967294]},
    "args": ["/bin/sh", "-c", "exec nginx -g 'daemon off;'"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "HOME=/root"],
    "cwd": "/srv",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_CHECKPOINT_RESTORE"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
      "inheritable": [],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [
      {"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1024},
      {"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 18446744073709551615}
    ],
    "noNewPrivileges": true,
    "oomScoreAdj": -500,
    "apparmorProfile": "containers-default-0.50.0",
    "selinuxLabel": "system_u:system_r:container_t:s0:c1,c2",
    "scheduler": {"policy": "SCHED_OTHER"},
    "ioPriority": {"class": "IOPRIO_CLASS_IDLE"}
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "web",
  "domainname": "example.org",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]},
    {"destination": "/data", "source": "/srv/data", "options": ["rbind", "rprivate"]}
  ],
  "hooks": {
    "prestart": [{"path": "/usr/bin/old-hook"}],
    "createRuntime": [{"path": "/usr/libexec/net-hook", "args": ["net-hook", "up"], "env": ["A=1"], "timeout": 5}],
    "poststop": [{"path": "/usr/libexec/cleanup"}]
  },
  "annotations": {"org.opencontainers.image.title": "web", "io.pod.owner": "alice"},
  "linux": {
    "namespaces": [
      {"type": "pid"}, {"type": "network", "path": "/run/netns/web"}, {"type": "ipc"},
      {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}, {"type": "user"}, {"type": "time"}
    ],
    "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}, {"containerID": 1, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
    "devices": [
      {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
      {"type": "p", "path": "/dev/log-fifo"}
    ],
    "resources": {
      "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}],
      "memory": {"limit": 536870912, "reservation": 268435456, "swap": -1, "swappiness": 10},
      "cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0-3", "mems": "0"},
      "pids": {"limit": 2048},
      "blockIO": {"weight": 500},
      "unified": {"memory.high": "400000000"},
      "hugepageLimits": []
    },
    "cgroupsPath": "user.slice:pod:web",
    "sysctl": {"net.ipv4.ip_forward": "1"},
    "seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO",
      "defaultErrnoRet": 1,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
      "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
      "syscalls": [
        {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"},
                  {"index": 1, "value": 18446744073709551615, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
      ]
    },
    "maskedPaths": ["/proc/kcore", "/sys/firmware"],
    "readonlyPaths": ["/proc/sys"],
    "rootfsPropagation": "rslave",
    "mountLabel": "system_u:object_r:container_file_t:s0:c1,c2",
    "intelRdt": {"closID": "x"},
    "personality": {"domain": "LINUX"}
  },
  "vm": {"hypervisor": {"path": "/usr/bin/qemu"}}
})";

std::vector<NamespaceType> namespace_types(const RuntimeSpec& s) {
  std::vector<NamespaceType> out;
  for (const auto& ns : s.linux_spec->namespaces) out.push_back(ns.type);
  return out;
}

const Mount& mount_at(const RuntimeSpec& s, const std::string& destination) {
  for (const auto& m : s.mounts) {
    if (m.destination == destination) return m;
  }
  FAIL("no mount at " << destination);
  throw;
}

bool same(const IdMapping& a, const IdMapping& b) {
  return a.container_id == b.container_id && a.host_id == b.host_id && a.size == b.size;
}

}  // namespace

TEST_CASE("parse a realistic config.json: process, root, mounts, hooks", "[runtime_spec]") {
  const RuntimeSpec s = parse_runtime_spec(kRealistic);
  CHECK(s.oci_version == "1.0.2-dev");
  REQUIRE(s.process);
  const auto& p = *s.process;
  CHECK(p.terminal);
  REQUIRE(p.console_size);
  CHECK(p.console_size->height == 40);
  CHECK(p.console_size->width == 120);
  CHECK(p.user.uid == 1000);
  CHECK(p.user.umask == 18u);
  CHECK(p.user.additional_gids == std::vector<std::uint32_t>{10, 4294967294u});
  CHECK(p.args == Strings{"/bin/sh", "-c", "exec nginx -g 'daemon off;'"});
  CHECK(p.env.size() == 3);
  CHECK(p.cwd == "/srv");
  CHECK(p.capabilities.bounding.back() == "CAP_CHECKPOINT_RESTORE");
  CHECK(p.capabilities.inheritable.empty());
  CHECK(p.capabilities.ambient.empty());
  REQUIRE(p.rlimits.size() == 2);
  CHECK(p.rlimits[0].hard == 1048576);
  CHECK(p.rlimits[1].hard == UINT64_MAX);  // RLIM_INFINITY as Go writes it
  CHECK(p.no_new_privileges);
  CHECK(p.oom_score_adj == -500);
  CHECK(p.apparmor_profile == "containers-default-0.50.0");
  CHECK(p.selinux_label == "system_u:system_r:container_t:s0:c1,c2");

  CHECK(s.root.path == "rootfs");
  CHECK(s.root.readonly);
  CHECK(s.hostname == "web");
  CHECK(s.domainname == "example.org");
  REQUIRE(s.mounts.size() == 5);
  CHECK(s.mounts[0].options.empty());
  CHECK(s.mounts[4].type.empty());
  CHECK(s.mounts[4].options == Strings{"rbind", "rprivate"});
  REQUIRE(s.hooks.prestart.size() == 1);
  REQUIRE(s.hooks.create_runtime.size() == 1);
  CHECK(s.hooks.create_runtime[0].args == Strings{"net-hook", "up"});
  CHECK(s.hooks.create_runtime[0].timeout == 5);
  CHECK(s.hooks.create_container.empty());
  CHECK(s.hooks.poststop[0].path == "/usr/libexec/cleanup");
  CHECK_FALSE(s.hooks.poststop[0].timeout);
  CHECK(s.annotations.at("io.pod.owner") == "alice");
}

TEST_CASE("parse a realistic config.json: the linux object", "[runtime_spec]") {
  const RuntimeSpec s = parse_runtime_spec(kRealistic);
  REQUIRE(s.linux_spec);
  const auto& l = *s.linux_spec;
  CHECK(namespace_types(s) == std::vector<NamespaceType>{NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                                                         NamespaceType::uts, NamespaceType::mount,
                                                         NamespaceType::cgroup, NamespaceType::user,
                                                         NamespaceType::time});
  CHECK(l.namespaces[1].path == "/run/netns/web");
  REQUIRE(l.uid_mappings.size() == 2);
  CHECK(same(l.uid_mappings[1], IdMapping{1, 100000, 65536}));
  REQUIRE(l.devices.size() == 2);
  CHECK(l.devices[0].type == 'c');
  CHECK(l.devices[0].minor == 229);
  CHECK(l.devices[0].file_mode == 0666u);
  CHECK(l.devices[1].type == 'p');
  CHECK_FALSE(l.devices[1].uid);

  REQUIRE(l.resources);
  const auto& r = *l.resources;
  REQUIRE(r.devices.size() == 2);
  CHECK_FALSE(r.devices[0].allow);
  CHECK(r.devices[0].type.empty());
  CHECK_FALSE(r.devices[0].major);
  CHECK(r.devices[1].major == 10);
  CHECK(r.memory->limit == 536870912);
  CHECK(r.memory->swap == -1);
  CHECK(r.cpu->shares == 1024u);
  CHECK(r.cpu->cpus == "0-3");
  CHECK(r.pids_limit == 2048);
  CHECK(r.block_io_weight == 500);
  CHECK(r.unified == std::map<std::string, std::string>{{"memory.high", "400000000"}});

  CHECK(l.cgroups_path == "user.slice:pod:web");
  CHECK(l.sysctl.at("net.ipv4.ip_forward") == "1");
  REQUIRE(l.seccomp);
  CHECK(l.seccomp->default_action == "SCMP_ACT_ERRNO");
  CHECK(l.seccomp->default_errno_ret == 1u);
  CHECK(l.seccomp->architectures == Strings{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"});
  REQUIRE(l.seccomp->syscalls.size() == 3);
  const auto& args = l.seccomp->syscalls[1].args;
  REQUIRE(args.size() == 2);
  CHECK(args[0].value == 4294967295u);
  CHECK(args[1].value == UINT64_MAX);
  CHECK(args[1].value_two == 8);
  CHECK(args[1].op == "SCMP_CMP_MASKED_EQ");
  CHECK(l.seccomp->syscalls[2].errno_ret == 38u);
  CHECK(l.masked_paths == Strings{"/proc/kcore", "/sys/firmware"});
  CHECK(l.readonly_paths == Strings{"/proc/sys"});
  CHECK(l.rootfs_propagation == "rslave");
  CHECK(l.mount_label == "system_u:object_r:container_file_t:s0:c1,c2");
}

TEST_CASE("serialize → parse round-trips config.json", "[runtime_spec]") {
  const RuntimeSpec parsed = parse_runtime_spec(kRealistic);
  const std::string first = serialize(parsed);
  CAPTURE(first);
  CHECK(first.find('\n') == std::string::npos);
  CHECK(first.find("intelRdt") == std::string::npos);  // unknown fields are not carried
  CHECK(serialize(parse_runtime_spec(first)) == first);
  const std::string pretty = serialize(parsed, true);
  CHECK(pretty.find("\n    \"ociVersion\": \"1.0.2-dev\"") != std::string::npos);
  CHECK(serialize(parse_runtime_spec(pretty)) == first);
}

TEST_CASE("a minimal config: no process, no linux, nulls are absent", "[runtime_spec]") {
  const RuntimeSpec s = parse_runtime_spec(
      R"({"ociVersion":"1.1.0","root":{"path":"/var/lib/rootfs"},"process":null,"hostname":null,"mounts":null})");
  CHECK_FALSE(s.process);
  CHECK_FALSE(s.root.readonly);
  CHECK(s.mounts.empty());
  CHECK_FALSE(s.linux_spec);
  CHECK(serialize(parse_runtime_spec(serialize(s))) == serialize(s));
}

TEST_CASE("default_spec is runc's spec with pod's hostname", "[runtime_spec]") {
  const RuntimeSpec s = parse_runtime_spec(serialize(default_spec(false, 0, 0), true));
  CHECK(s.oci_version == pod::core::oci::kRuntimeSpecVersion);
  REQUIRE(s.process);
  CHECK(s.process->terminal);
  CHECK(s.process->args == Strings{"sh"});
  CHECK(s.process->env == Strings{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"});
  CHECK(s.process->cwd == "/");
  const Strings caps{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  CHECK(s.process->capabilities.bounding == caps);
  CHECK(s.process->capabilities.effective == caps);
  CHECK(s.process->capabilities.permitted == caps);
  CHECK(s.process->capabilities.inheritable.empty());
  CHECK(s.process->capabilities.ambient.empty());
  REQUIRE(s.process->rlimits.size() == 1);
  CHECK(s.process->rlimits[0].type == "RLIMIT_NOFILE");
  CHECK(s.process->rlimits[0].hard == 1024);
  CHECK(s.process->no_new_privileges);
  CHECK(s.root.path == "rootfs");
  CHECK(s.root.readonly);
  CHECK(s.hostname == "pod");

  std::vector<std::string> destinations;
  for (const auto& m : s.mounts) destinations.push_back(m.destination);
  CHECK(destinations == Strings{"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"});
  CHECK(mount_at(s, "/dev").options == Strings{"nosuid", "strictatime", "mode=755", "size=65536k"});
  CHECK(mount_at(s, "/dev/pts").options ==
        Strings{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"});
  CHECK(mount_at(s, "/sys").type == "sysfs");
  CHECK(mount_at(s, "/sys").options == Strings{"nosuid", "noexec", "nodev", "ro"});
  CHECK(mount_at(s, "/sys/fs/cgroup").type == "cgroup");

  const auto& l = *s.linux_spec;
  CHECK(namespace_types(s) == std::vector<NamespaceType>{NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                                                         NamespaceType::uts, NamespaceType::mount,
                                                         NamespaceType::cgroup});
  CHECK(l.uid_mappings.empty());
  CHECK(l.gid_mappings.empty());
  REQUIRE(l.resources);
  REQUIRE(l.resources->devices.size() == 1);
  CHECK_FALSE(l.resources->devices[0].allow);
  CHECK(l.resources->devices[0].access == "rwm");
  CHECK(l.masked_paths == Strings{"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                                  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
                                  "/proc/scsi"});
  CHECK(l.readonly_paths == Strings{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"});
}

TEST_CASE("rootless default_spec maps the caller to root in a user namespace", "[runtime_spec]") {
  const RuntimeSpec rootful = default_spec(false, 0, 0);
  const RuntimeSpec s = parse_runtime_spec(serialize(default_spec(true, 1000, 1001)));
  const auto& l = *s.linux_spec;
  CHECK(namespace_types(s) == std::vector<NamespaceType>{NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                                                         NamespaceType::uts, NamespaceType::mount,
                                                         NamespaceType::cgroup, NamespaceType::user});
  REQUIRE(l.uid_mappings.size() == 1);
  REQUIRE(l.gid_mappings.size() == 1);
  CHECK(same(l.uid_mappings[0], IdMapping{0, 1000, 1}));
  CHECK(same(l.gid_mappings[0], IdMapping{0, 1001, 1}));
  CHECK_FALSE(l.resources);
  const Mount& sys = mount_at(s, "/sys");
  CHECK(sys.type == "none");
  CHECK(sys.source == "/sys");
  CHECK(sys.options == Strings{"rbind", "nosuid", "noexec", "nodev", "ro"});
  CHECK(mount_at(s, "/dev/pts").options == Strings{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"});
  CHECK(mount_at(s, "/sys/fs/cgroup").type == "cgroup");
  CHECK(s.mounts.size() == rootful.mounts.size());
  CHECK(l.masked_paths == rootful.linux_spec->masked_paths);
  CHECK(s.process->capabilities.bounding == rootful.process->capabilities.bounding);
}

TEST_CASE("default_spec leaves out the cgroup namespace when asked (cgroup v1 hosts)", "[runtime_spec]") {
  const RuntimeSpec s = default_spec(true, 1000, 1000, /*cgroup_namespace=*/false);
  CHECK(namespace_types(s) == std::vector<NamespaceType>{NamespaceType::pid, NamespaceType::network, NamespaceType::ipc,
                                                         NamespaceType::uts, NamespaceType::mount,
                                                         NamespaceType::user});
}

TEST_CASE("capability_number knows the kernel's capabilities by their spec names", "[runtime_spec]") {
  using pod::core::oci::capability_number;
  CHECK(capability_number("CAP_CHOWN") == 0);
  CHECK(capability_number("CAP_KILL") == 5);
  CHECK(capability_number("CAP_NET_BIND_SERVICE") == 10);
  CHECK(capability_number("CAP_SYS_ADMIN") == 21);
  CHECK(capability_number("CAP_AUDIT_WRITE") == 29);
  CHECK(capability_number("CAP_BPF") == 39);
  CHECK(capability_number("CAP_CHECKPOINT_RESTORE") == 40);
  for (const char* unknown : {"", "CAP_", "SYS_ADMIN", "cap_sys_admin", "CAP_SYS_ADMIN ", "CAP_FLY"}) {
    CAPTURE(unknown);
    CHECK_FALSE(capability_number(unknown));
  }
}

TEST_CASE("rlimit_resource maps RLIMIT_ names to resources", "[runtime_spec]") {
  using pod::core::oci::rlimit_resource;
  CHECK(rlimit_resource("RLIMIT_NOFILE") == RLIMIT_NOFILE);
  CHECK(rlimit_resource("RLIMIT_CPU") == RLIMIT_CPU);
  CHECK(rlimit_resource("RLIMIT_NPROC") == RLIMIT_NPROC);
  CHECK(rlimit_resource("RLIMIT_MEMLOCK") == RLIMIT_MEMLOCK);
  CHECK(rlimit_resource("RLIMIT_RTTIME") == RLIMIT_RTTIME);
  for (const char* unknown : {"", "NOFILE", "rlimit_nofile", "RLIMIT_FOO"}) {
    CAPTURE(unknown);
    CHECK_FALSE(rlimit_resource(unknown));
  }
}

TEST_CASE("namespace type names round-trip", "[runtime_spec]") {
  for (auto type : {NamespaceType::pid, NamespaceType::network, NamespaceType::mount, NamespaceType::ipc,
                    NamespaceType::uts, NamespaceType::user, NamespaceType::cgroup, NamespaceType::time}) {
    CHECK(pod::core::oci::try_parse_namespace_type(pod::core::oci::to_string(type)) == type);
  }
  CHECK(pod::core::oci::to_string(NamespaceType::network) == "network");
  CHECK_FALSE(pod::core::oci::try_parse_namespace_type("net"));
}

TEST_CASE("runtime spec: a process object alone parses as `exec --process` reads it", "[runtime_spec]") {
  const auto p = pod::core::oci::parse_process(
      R"({"args": ["sh"], "cwd": "/tmp", "env": ["A=1"], "terminal": true, "user": {"uid": 5, "gid": 6}})");
  CHECK(p.args == Strings{"sh"});
  CHECK(p.cwd == "/tmp");
  CHECK(p.terminal);
  CHECK(p.user.uid == 5);
  CHECK_THROWS_WITH(pod::core::oci::parse_process(R"({"args": [], "cwd": "/"})"), Catch::Contains("args"));
  CHECK_THROWS_WITH(pod::core::oci::parse_process(R"({"args": ["x"], "cwd": "relative"})"), Catch::Contains("cwd"));
}

TEST_CASE("runtime spec: merge_resources keeps what the changes leave unset", "[oci]") {
  using pod::core::oci::CpuResources;
  using pod::core::oci::MemoryResources;
  using pod::core::oci::Resources;
  Resources base;
  base.memory = MemoryResources{100, 50, 200};
  base.cpu = CpuResources{};
  base.cpu->cpus = "0-1";
  base.pids_limit = 10;
  Resources changes;
  changes.memory = MemoryResources{300, {}, {}};
  changes.cpu = CpuResources{};
  changes.cpu->quota = 5000;
  const Resources merged = pod::core::oci::merge_resources(base, changes);
  CHECK(merged.memory->limit == 300);
  CHECK(merged.memory->reservation == 50);
  CHECK(merged.memory->swap == 200);
  CHECK(merged.cpu->quota == 5000);
  CHECK(merged.cpu->cpus == "0-1");
  CHECK(merged.pids_limit == 10);
}
