#include "rootless/container/spec_builder.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"
#include "rootless/container/default_seccomp.hpp"
#include "rootless/container/user_lookup.hpp"

namespace pod::rootless::container {
namespace {

using core::oci::Mount;
using core::oci::Namespace;
using core::oci::NamespaceType;
using Strings = std::vector<std::string>;

constexpr const char* kDefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr const char* kInitDestination = "/run/pod-init";

std::string env_key(const std::string& entry) { return entry.substr(0, entry.find('=')); }

// Later entries replace earlier ones with the same key, keeping the first one's place.
void set_env(Strings& env, const std::string& entry) {
  const std::string key = env_key(entry);
  const auto it = std::find_if(env.begin(), env.end(), [&](const auto& e) { return env_key(e) == key; });
  if (it == env.end()) {
    env.push_back(entry);
  } else {
    *it = entry;
  }
}

Strings merged_env(const RunSettings& s) {
  Strings env = {kDefaultPath};
  if (s.tty) env.push_back("TERM=xterm");
  env.push_back("container=pod");
  env.push_back("HOSTNAME=" + s.hostname);
  for (const auto& e : s.image.env) set_env(env, e);
  for (const auto& e : s.env) set_env(env, e);
  return env;
}

// Docker's rule: --entrypoint replaces the image's Entrypoint and drops its Cmd; args after
// the image replace Cmd.
Strings merged_args(const RunSettings& s) {
  Strings args = s.entrypoint ? parse_entrypoint(*s.entrypoint) : s.image.entrypoint.value_or(Strings{});
  const Strings cmd = !s.command.empty() ? s.command : s.entrypoint ? Strings{} : s.image.cmd.value_or(Strings{});
  args.insert(args.end(), cmd.begin(), cmd.end());
  if (args.empty()) throw Error("no command specified: the image has none, give one after the image name", ErrorKind::invalid_input);
  if (!s.init_path.empty()) args.insert(args.begin(), {kInitDestination, "--"});
  return args;
}

std::string cap_name(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  if (name != "ALL" && name.rfind("CAP_", 0) != 0) name = "CAP_" + name;
  if (name != "ALL" && !core::oci::capability_number(name)) throw Error("unknown capability " + quote(name), ErrorKind::invalid_input);
  return name;
}

Strings capability_set(const RunSettings& s) {
  Strings caps = default_capabilities();
  for (const auto& raw : s.cap_drop) {
    const std::string name = cap_name(raw);
    if (name == "ALL") caps.clear();
    caps.erase(std::remove(caps.begin(), caps.end(), name), caps.end());
  }
  for (const auto& raw : s.cap_add) {
    const std::string name = cap_name(raw);
    const Strings add = name == "ALL" ? core::oci::capability_names() : Strings{name};
    for (const auto& c : add) {
      if (std::find(caps.begin(), caps.end(), c) == caps.end()) caps.push_back(c);
    }
  }
  return caps;
}

core::oci::Capabilities capabilities_for(const RunSettings& s, std::uint32_t uid) {
  const Strings caps = capability_set(s);
  core::oci::Capabilities out;
  out.bounding = caps;
  // A non-root user keeps only what was added explicitly, as Podman does.
  if (uid == 0) {
    out.effective = caps;
    out.permitted = caps;
  } else {
    for (const auto& raw : s.cap_add) {
      const std::string name = cap_name(raw);
      if (name == "ALL") continue;
      out.effective.push_back(name);
      out.permitted.push_back(name);
      out.inheritable.push_back(name);
      out.ambient.push_back(name);
    }
  }
  return out;
}

std::vector<Mount> default_mounts(const RunSettings& s) {
  Mount devpts{"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}};
  if (!s.single_id) devpts.options.push_back("gid=5");
  std::vector<Mount> mounts = {
      Mount{"/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}},
      Mount{"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      devpts,
      Mount{"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      Mount{"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      Mount{"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      Mount{"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
  for (const char* file : {"hosts", "hostname", "resolv.conf"}) {
    if (s.no_hosts && std::string(file) == "hosts") continue;  // the image's own stays
    mounts.push_back(Mount{std::string("/etc/") + file, "bind", s.userdata + "/" + file, {"rbind", "rprivate"}});
  }
  if (!s.init_path.empty()) mounts.push_back(Mount{kInitDestination, "bind", s.init_path, {"rbind", "ro", "rprivate"}});
  for (const auto& m : s.mounts) {
    Mount out{m.destination, m.type, m.type == "bind" ? m.source : m.type, m.options};
    if (m.type == "bind") out.options.insert(out.options.begin(), {"rbind", "rprivate"});
    mounts.push_back(out);
  }
  return mounts;
}

std::vector<Namespace> namespaces_for(const RunSettings& s) {
  std::vector<Namespace> out;
  for (auto type : {NamespaceType::pid, NamespaceType::ipc, NamespaceType::uts, NamespaceType::mount}) {
    out.push_back(Namespace{type, ""});
  }
  if (!s.host_network) out.push_back(Namespace{NamespaceType::network, s.network_namespace});
  // A cgroup namespace only where it hides something useful: a unified (v2) hierarchy.
  struct stat st {};
  if (::stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0) out.push_back(Namespace{NamespaceType::cgroup, ""});
  return out;
}

std::vector<core::oci::Rlimit> rlimits() {
  rlimit nofile{};
  ::getrlimit(RLIMIT_NOFILE, &nofile);
  const std::uint64_t n = nofile.rlim_max == RLIM_INFINITY ? 1048576 : nofile.rlim_max;
  return {core::oci::Rlimit{"RLIMIT_NOFILE", n, n}};
}

// "0 1000 1\n1 100000 65536\n": the host id mapped to 0, and how many ids are mapped.
std::pair<std::uint32_t, std::uint64_t> own_map(const char* file) {
  std::ifstream in(file);
  std::uint64_t inside = 0, outside = 0, size = 0, total = 0;
  std::optional<std::uint32_t> zero;
  while (in >> inside >> outside >> size) {
    if (inside == 0) zero = static_cast<std::uint32_t>(outside);
    total += size;
  }
  if (!zero || total >= 0xFFFFFFFFull) {
    throw Error("--userns=keep-id works for an unprivileged user only (in pod's user namespace)", ErrorKind::unsupported);
  }
  return {*zero, total};
}

void apply_keep_id(core::oci::RuntimeSpec& spec, const KeepId& k, bool user_given) {
  auto& linux = *spec.linux_spec;
  linux.namespaces.insert(linux.namespaces.begin(), Namespace{NamespaceType::user, ""});
  linux.uid_mappings = keep_id_mappings(k.uid, k.ns_uids);
  linux.gid_mappings = keep_id_mappings(k.gid, k.ns_gids);
  if (!user_given) {
    spec.process->user.uid = k.uid;
    spec.process->user.gid = k.gid;
    spec.process->user.additional_gids.clear();
    spec.process->capabilities.effective.clear();
    spec.process->capabilities.permitted.clear();
  }
  // The devpts of a nested namespace has no tty group mapped for sure.
  for (auto& m : spec.mounts) {
    if (m.type == "devpts") std::erase(m.options, std::string("gid=5"));
  }
}

}  // namespace

KeepId keep_id_for_this_user() {
  const auto [uid, uids] = own_map("/proc/self/uid_map");
  const auto [gid, gids] = own_map("/proc/self/gid_map");
  if (uid == 0) throw Error("--userns=keep-id works for an unprivileged user only", ErrorKind::unsupported);
  return {uid, gid, uids, gids};
}

std::vector<core::oci::IdMapping> keep_id_mappings(std::uint32_t id, std::uint64_t ns_ids) {
  using core::oci::IdMapping;
  if (ns_ids <= 1) return {IdMapping{id, 0, 1}};
  std::vector<IdMapping> out;
  const std::uint64_t below = std::min<std::uint64_t>(id, ns_ids - 1);
  if (below > 0) out.push_back(IdMapping{0, 1, static_cast<std::uint32_t>(below)});
  out.push_back(IdMapping{id, 0, 1});
  if (ns_ids > static_cast<std::uint64_t>(id) + 1) {
    out.push_back(IdMapping{id + 1, id + 1, static_cast<std::uint32_t>(ns_ids - id - 1)});
  }
  return out;
}

std::vector<std::string> parse_entrypoint(const std::string& text) {
  if (!text.empty() && text.front() == '[') {
    try {
      return nlohmann::json::parse(text).get<Strings>();
    } catch (const nlohmann::json::exception&) {
      throw Error("--entrypoint " + quote_untrusted(text) + " is not a JSON array of strings", ErrorKind::invalid_input);
    }
  }
  if (text.empty()) return {};
  return {text};
}

const std::vector<std::string>& default_capabilities() {
  static const Strings caps = {"CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
                               "CAP_KILL",   "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID",
                               "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"};
  return caps;
}

core::oci::RuntimeSpec build_runtime_spec(const RunSettings& s) {
  core::oci::RuntimeSpec spec;
  spec.oci_version = std::string(core::oci::kRuntimeSpecVersion);
  spec.root = core::oci::Root{s.rootfs, s.read_only};
  spec.hostname = s.hostname;
  core::oci::Process p;
  p.terminal = s.tty;
  p.args = merged_args(s);
  p.env = merged_env(s);
  p.cwd = !s.workdir.empty() ? s.workdir : !s.image.working_dir.empty() ? s.image.working_dir : "/";
  if (p.cwd.front() != '/') throw Error("working directory " + quote(p.cwd) + " is not absolute", ErrorKind::invalid_input);
  const std::string user = !s.user.empty() ? s.user : s.image.user;
  p.user = resolve_user(s.rootfs, user);
  p.capabilities = capabilities_for(s, p.user.uid);
  p.rlimits = rlimits();
  p.no_new_privileges = s.no_new_privileges;
  spec.process = p;
  spec.mounts = default_mounts(s);
  core::oci::LinuxSpec linux;
  linux.namespaces = namespaces_for(s);
  linux.masked_paths = {"/proc/acpi",        "/proc/kcore",   "/proc/keys",     "/proc/latency_stats",
                        "/proc/timer_list",  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                        "/sys/firmware",     "/sys/fs/selinux", "/sys/dev/block"};
  linux.readonly_paths = {"/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
  if (s.seccomp) linux.seccomp = default_seccomp_profile();
  if (s.resources) {
    linux.resources = s.resources;
    linux.cgroups_path = s.cgroup_name;
  }
  spec.linux_spec = linux;
  if (s.keep_id) apply_keep_id(spec, *s.keep_id, !s.user.empty());
  return spec;
}

}  // namespace pod::rootless::container
