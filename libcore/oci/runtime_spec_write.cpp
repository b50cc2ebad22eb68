// Writing config.json, and the default config of `pod-runtime spec`.
#include <nlohmann/json.hpp>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::core::oci {
namespace {

// Ordered, so the document reads in the spec's order (ociVersion, process, root, …) as runc's
// does; people edit the output of `pod-runtime spec`.
using json = nlohmann::ordered_json;

// Empty strings and lists are the model's "absent"; they are left out of the document.
void put_text(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

void put_list(json& j, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) j[key] = values;
}

template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}

template <class T, class Write>
json array_of(const std::vector<T>& items, Write&& write) {
  json out = json::array();
  for (const auto& item : items) out.push_back(write(item));
  return out;
}

json write_user(const ProcessUser& u) {
  json j{{"uid", u.uid}, {"gid", u.gid}};
  put_optional(j, "umask", u.umask);
  if (!u.additional_gids.empty()) j["additionalGids"] = u.additional_gids;
  return j;
}

json write_capabilities(const Capabilities& c) {
  json j = json::object();
  put_list(j, "bounding", c.bounding);
  put_list(j, "effective", c.effective);
  put_list(j, "inheritable", c.inheritable);
  put_list(j, "permitted", c.permitted);
  put_list(j, "ambient", c.ambient);
  return j;
}

json write_rlimit(const Rlimit& r) { return json{{"type", r.type}, {"hard", r.hard}, {"soft", r.soft}}; }

json write_process(const Process& p) {
  json j{{"terminal", p.terminal}};
  if (p.console_size) j["consoleSize"] = json{{"height", p.console_size->height}, {"width", p.console_size->width}};
  j["user"] = write_user(p.user);
  j["args"] = p.args;
  put_list(j, "env", p.env);
  j["cwd"] = p.cwd;
  const json caps = write_capabilities(p.capabilities);
  if (!caps.empty()) j["capabilities"] = caps;
  if (!p.rlimits.empty()) j["rlimits"] = array_of(p.rlimits, write_rlimit);
  if (p.no_new_privileges) j["noNewPrivileges"] = true;
  put_optional(j, "oomScoreAdj", p.oom_score_adj);
  put_text(j, "apparmorProfile", p.apparmor_profile);
  put_text(j, "selinuxLabel", p.selinux_label);
  return j;
}

json write_mount(const Mount& m) {
  json j{{"destination", m.destination}};
  put_text(j, "type", m.type);
  put_text(j, "source", m.source);
  put_list(j, "options", m.options);
  return j;
}

json write_hook(const Hook& h) {
  json j{{"path", h.path}};
  put_list(j, "args", h.args);
  put_list(j, "env", h.env);
  put_optional(j, "timeout", h.timeout);
  return j;
}

json write_hooks(const Hooks& h) {
  json j = json::object();
  const std::pair<const char*, const std::vector<Hook>*> lists[] = {{"prestart", &h.prestart},
                                                                    {"createRuntime", &h.create_runtime},
                                                                    {"createContainer", &h.create_container},
                                                                    {"startContainer", &h.start_container},
                                                                    {"poststart", &h.poststart},
                                                                    {"poststop", &h.poststop}};
  for (const auto& [key, hooks] : lists) {
    if (!hooks->empty()) j[key] = array_of(*hooks, write_hook);
  }
  return j;
}

json write_namespace(const Namespace& ns) {
  json j{{"type", to_string(ns.type)}};
  put_text(j, "path", ns.path);
  return j;
}

json write_id_mapping(const IdMapping& m) {
  return json{{"containerID", m.container_id}, {"hostID", m.host_id}, {"size", m.size}};
}

json write_device(const Device& d) {
  json j{{"type", std::string(1, d.type)}, {"path", d.path}};
  if (d.type != 'p') {
    j["major"] = d.major;
    j["minor"] = d.minor;
  }
  put_optional(j, "fileMode", d.file_mode);
  put_optional(j, "uid", d.uid);
  put_optional(j, "gid", d.gid);
  return j;
}

json write_device_rule(const DeviceRule& r) {
  json j{{"allow", r.allow}};
  put_text(j, "type", r.type);
  put_optional(j, "major", r.major);
  put_optional(j, "minor", r.minor);
  put_text(j, "access", r.access);
  return j;
}

json write_memory(const MemoryResources& m) {
  json j = json::object();
  put_optional(j, "limit", m.limit);
  put_optional(j, "reservation", m.reservation);
  put_optional(j, "swap", m.swap);
  return j;
}

json write_cpu(const CpuResources& c) {
  json j = json::object();
  put_optional(j, "shares", c.shares);
  put_optional(j, "quota", c.quota);
  put_optional(j, "period", c.period);
  put_text(j, "cpus", c.cpus);
  put_text(j, "mems", c.mems);
  return j;
}

json write_resources(const Resources& r) {
  json j = json::object();
  if (!r.devices.empty()) j["devices"] = array_of(r.devices, write_device_rule);
  if (r.memory) j["memory"] = write_memory(*r.memory);
  if (r.cpu) j["cpu"] = write_cpu(*r.cpu);
  if (r.pids_limit) j["pids"] = json{{"limit", *r.pids_limit}};
  if (r.block_io_weight) j["blockIO"] = json{{"weight", *r.block_io_weight}};
  if (!r.unified.empty()) j["unified"] = r.unified;
  return j;
}

json write_seccomp_arg(const SeccompArg& a) {
  json j{{"index", a.index}, {"value", a.value}};
  if (a.value_two != 0) j["valueTwo"] = a.value_two;
  j["op"] = a.op;
  return j;
}

json write_seccomp_syscall(const SeccompSyscall& s) {
  json j{{"names", s.names}, {"action", s.action}};
  put_optional(j, "errnoRet", s.errno_ret);
  if (!s.args.empty()) j["args"] = array_of(s.args, write_seccomp_arg);
  return j;
}

json write_seccomp(const Seccomp& s) {
  json j{{"defaultAction", s.default_action}};
  put_optional(j, "defaultErrnoRet", s.default_errno_ret);
  put_list(j, "architectures", s.architectures);
  put_list(j, "flags", s.flags);
  if (!s.syscalls.empty()) j["syscalls"] = array_of(s.syscalls, write_seccomp_syscall);
  return j;
}

json write_linux(const LinuxSpec& l) {
  json j = json::object();
  if (!l.namespaces.empty()) j["namespaces"] = array_of(l.namespaces, write_namespace);
  if (!l.uid_mappings.empty()) j["uidMappings"] = array_of(l.uid_mappings, write_id_mapping);
  if (!l.gid_mappings.empty()) j["gidMappings"] = array_of(l.gid_mappings, write_id_mapping);
  if (!l.devices.empty()) j["devices"] = array_of(l.devices, write_device);
  if (l.resources) j["resources"] = write_resources(*l.resources);
  put_text(j, "cgroupsPath", l.cgroups_path);
  if (!l.sysctl.empty()) j["sysctl"] = l.sysctl;
  if (l.seccomp) j["seccomp"] = write_seccomp(*l.seccomp);
  put_list(j, "maskedPaths", l.masked_paths);
  put_list(j, "readonlyPaths", l.readonly_paths);
  put_text(j, "rootfsPropagation", l.rootfs_propagation);
  put_text(j, "mountLabel", l.mount_label);
  return j;
}

}  // namespace

std::string serialize(const RuntimeSpec& s, bool pretty) {
  json j{{"ociVersion", s.oci_version}};
  if (s.process) j["process"] = write_process(*s.process);
  j["root"] = json{{"path", s.root.path}, {"readonly", s.root.readonly}};
  put_text(j, "hostname", s.hostname);
  put_text(j, "domainname", s.domainname);
  if (!s.mounts.empty()) j["mounts"] = array_of(s.mounts, write_mount);
  const json hooks = write_hooks(s.hooks);
  if (!hooks.empty()) j["hooks"] = hooks;
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  if (s.linux_spec) j["linux"] = write_linux(*s.linux_spec);
  return pretty ? j.dump(4) + "\n" : j.dump();
}

std::string serialize(const Resources& resources) { return write_resources(resources).dump(); }

}  // namespace pod::core::oci
