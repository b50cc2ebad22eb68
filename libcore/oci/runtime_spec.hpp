// The OCI runtime-spec 1.x bundle configuration (config.json), Linux only: what pod-runtime
// reads before it creates a container, and what `pod-runtime spec` writes.
//
// Parsing is strict on required fields, types and the names the kernel setup will need
// (capabilities, rlimits, namespace types, seccomp actions and operators, propagation), and
// tolerant of unknown fields, which are dropped: serialize() writes only what is modelled
// here. Every failure is Error(invalid_input) whose message names the field path, e.g.
// "parsing runtime config: field `process.rlimits[1].hard`: expected an integer, got string".
// Checks that need the host (paths exist, ids are mapped, the kernel knows a capability)
// belong to the runtime's setup plan, not here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pod::core::oci {

// What pod writes (default_spec, state). 1.0.2: crun 1.8 and runc 1.1, as Debian 12 ships
// them, refuse a config.json that claims a newer version than they know.
inline constexpr std::string_view kRuntimeSpecVersion = "1.0.2";

struct ConsoleSize {
  std::uint32_t height = 0;
  std::uint32_t width = 0;
};

struct ProcessUser {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::optional<std::uint32_t> umask;
  std::vector<std::uint32_t> additional_gids;
};

// Names are "CAP_*" as capability_number() knows them. An absent set is an empty set.
struct Capabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;
};

struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE", as rlimit_resource() knows it; unique in a process
  std::uint64_t hard = 0;
  std::uint64_t soft = 0;  // not above hard
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  ProcessUser user;
  std::vector<std::string> args;  // never empty
  std::vector<std::string> env;   // "KEY=value"
  std::string cwd;                // absolute
  Capabilities capabilities;
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;
  std::optional<int> oom_score_adj;  // -1000..1000
  std::string apparmor_profile;
  std::string selinux_label;
};

struct Root {
  std::string path;  // relative paths are relative to the bundle
  bool readonly = false;
};

struct Mount {
  std::string destination;  // absolute, inside the container
  std::string type;         // empty: absent (a bind mount)
  std::string source;
  std::vector<std::string> options;  // see parse_mount_options()
};

struct Hook {
  std::string path;  // absolute, in the runtime's namespace
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds, > 0
};

struct Hooks {
  std::vector<Hook> prestart;  // deprecated by the spec, still written by some engines
  std::vector<Hook> create_runtime;
  std::vector<Hook> create_container;
  std::vector<Hook> start_container;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
};

enum class NamespaceType { pid, network, mount, ipc, uts, user, cgroup, time };

struct Namespace {
  NamespaceType type = NamespaceType::pid;
  std::string path;  // empty: a new namespace; else an absolute path to join
};

// Container ids [container_id, +size) are host ids [host_id, +size); size > 0.
struct IdMapping {
  std::uint32_t container_id = 0;
  std::uint32_t host_id = 0;
  std::uint32_t size = 0;
};

struct Device {
  char type = 'c';         // 'c', 'b', 'u' (unbuffered char) or 'p' (fifo)
  std::string path;        // absolute, inside the container
  std::int64_t major = 0;  // required unless the type is 'p'
  std::int64_t minor = 0;
  std::optional<std::uint32_t> file_mode;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
};

// An entry of the device cgroup allow/deny list.
struct DeviceRule {
  bool allow = false;
  std::string type;  // "a", "c" or "b"; empty means all
  std::optional<std::int64_t> major;
  std::optional<std::int64_t> minor;
  std::string access;  // subset of "rwm"
};

struct MemoryResources {
  std::optional<std::int64_t> limit;  // bytes; -1 is unlimited
  std::optional<std::int64_t> reservation;
  std::optional<std::int64_t> swap;
};

struct CpuResources {
  std::optional<std::uint64_t> shares;
  std::optional<std::int64_t> quota;
  std::optional<std::uint64_t> period;
  std::string cpus;  // "0-3,7"
  std::string mems;
};

// What is kept of linux.resources; other keys (hugepageLimits, network, rdma…) are dropped.
struct Resources {
  std::vector<DeviceRule> devices;
  std::optional<MemoryResources> memory;
  std::optional<CpuResources> cpu;
  std::optional<std::int64_t> pids_limit;
  std::optional<std::uint16_t> block_io_weight;
  std::map<std::string, std::string> unified;  // cgroup v2 file → value
};

struct SeccompArg {
  std::uint32_t index = 0;  // 0..5
  std::uint64_t value = 0;
  std::uint64_t value_two = 0;
  std::string op;  // SCMP_CMP_*
};

struct SeccompSyscall {
  std::vector<std::string> names;  // not empty
  std::string action;              // SCMP_ACT_*
  std::optional<std::uint32_t> errno_ret;
  std::vector<SeccompArg> args;
};

struct Seccomp {
  std::string default_action;  // SCMP_ACT_*
  std::optional<std::uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_*, checked when the filter is built
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::vector<SeccompSyscall> syscalls;
};

struct LinuxSpec {
  std::vector<Namespace> namespaces;    // at most one of each type
  std::vector<IdMapping> uid_mappings;  // only with a user namespace
  std::vector<IdMapping> gid_mappings;
  std::vector<Device> devices;
  std::optional<Resources> resources;  // absent: leave the cgroup's limits alone
  std::string cgroups_path;
  std::map<std::string, std::string> sysctl;
  std::optional<Seccomp> seccomp;
  std::vector<std::string> masked_paths;    // absolute
  std::vector<std::string> readonly_paths;  // absolute
  std::string rootfs_propagation;           // empty, or one of "private", "rslave", … (see the .cpp)
  std::string mount_label;
};

struct RuntimeSpec {
  std::string oci_version;         // "1.x…"
  std::optional<Process> process;  // required by `start`, not by `create`
  Root root;                       // required
  std::string hostname;            // non-empty only with a uts namespace
  std::string domainname;
  std::vector<Mount> mounts;
  Hooks hooks;
  std::map<std::string, std::string> annotations;
  std::optional<LinuxSpec> linux_spec;  // the "linux" object
};

// Throws Error(invalid_input) naming the field; see the top of this file.
RuntimeSpec parse_runtime_spec(std::string_view bytes);
// A process object alone, as `exec --process FILE` reads it; same rules and messages.
Process parse_process(std::string_view bytes);
// `changes` laid over `base`, field by field (what an update asks for over what a container
// has): a field `changes` leaves unset (or an empty cpus/mems) keeps `base`'s value.
Resources merge_resources(Resources base, const Resources& changes);
// A linux.resources object alone, as `update --resources FILE` reads it (runc, crun).
Resources parse_resources(std::string_view bytes);
// Compact JSON, or indented for people to edit (what `pod-runtime spec` writes).
std::string serialize(const RuntimeSpec& spec, bool pretty = false);
std::string serialize(const Resources& resources);

// The config `pod-runtime spec [--rootless]` writes, modelled on `runc spec [--rootless]`:
// `sh` on a terminal, the three default capabilities, NOFILE 1024, a read-only "rootfs",
// the usual /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys and /sys/fs/cgroup mounts,
// runc's masked and read-only paths, and new pid, network, ipc, uts and mount namespaces.
// Rootless, as `runc spec --rootless`: adds a user namespace mapping `uid`/`gid` to 0 (size
// 1), bind-mounts the host's /sys read-only instead of mounting sysfs, drops gid=5 from
// devpts and sets no resources; unlike runc it keeps the network namespace (as crun does).
// `cgroup_namespace`: runc adds one only on a cgroup v2 host, so the caller, who can look,
// decides.
RuntimeSpec default_spec(bool rootless, std::uint32_t uid, std::uint32_t gid, bool cgroup_namespace = true);

// Pure name tables (the kernel's numbers are ABI, so they are spelled out, not probed).
// "CAP_SYS_ADMIN" → 21; nullopt for names pod does not know. Exact, upper case.
std::optional<int> capability_number(std::string_view name);
// "RLIMIT_NOFILE" → RLIMIT_NOFILE; nullopt for unknown names.
std::optional<int> rlimit_resource(std::string_view name);
std::string_view to_string(NamespaceType type);  // the spec's spelling: "network", "mount"
std::optional<NamespaceType> try_parse_namespace_type(std::string_view name);
// Every name known, for `pod-runtime features`.
std::vector<std::string> capability_names();
std::vector<std::string> namespace_type_names();

}  // namespace pod::core::oci
