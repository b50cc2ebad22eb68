// Reading the "linux" object of config.json (config-linux.md).
#include <limits>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/oci/runtime_spec_read.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::oci::detail {
namespace {

std::string optional_text(const JsonObject& o, std::string_view key) { return o.optional_string(key).value_or(""); }

Namespace read_namespace(const JsonObject& o) {
  const std::string name = o.string("type");
  const auto type = try_parse_namespace_type(name);
  if (!type) o.fail("type", "unknown namespace type " + quote_untrusted(name, 50));
  Namespace ns{*type, optional_text(o, "path")};
  if (o.has("path")) require_absolute(o, "path", ns.path);
  return ns;
}

std::vector<Namespace> read_namespaces(const JsonObject& linux_object) {
  std::vector<Namespace> out;
  for (const auto& item : linux_object.optional_objects("namespaces")) {
    Namespace ns = read_namespace(item);
    for (const auto& earlier : out) {
      if (earlier.type == ns.type) item.fail("type", "duplicate namespace type " + quote(to_string(ns.type)));
    }
    out.push_back(std::move(ns));
  }
  return out;
}

IdMapping read_id_mapping(const JsonObject& o) {
  IdMapping m{read_u32(o, "containerID"), read_u32(o, "hostID"), read_u32(o, "size")};
  if (m.size == 0) o.fail("size", "must be greater than zero");
  return m;
}

std::vector<IdMapping> read_id_mappings(const JsonObject& linux_object, std::string_view key) {
  std::vector<IdMapping> out;
  for (const auto& item : linux_object.optional_objects(key)) out.push_back(read_id_mapping(item));
  return out;
}

char read_device_type(const JsonObject& o) {
  const std::string type = o.string("type");
  if (type.size() != 1 || std::string_view("cbup").find(type[0]) == std::string_view::npos) {
    o.fail("type", "unknown device type " + quote_untrusted(type, 50) + ": expected c, b, u or p");
  }
  return type[0];
}

Device read_device(const JsonObject& o) {
  Device d;
  d.type = read_device_type(o);
  d.path = o.string("path");
  require_absolute(o, "path", d.path);
  if (d.type != 'p') {  // a fifo has no device number
    d.major = o.integer("major");
    d.minor = o.integer("minor");
  }
  d.file_mode = read_optional_u32(o, "fileMode");
  d.uid = read_optional_u32(o, "uid");
  d.gid = read_optional_u32(o, "gid");
  return d;
}

DeviceRule read_device_rule(const JsonObject& o) {
  DeviceRule r{o.boolean("allow"), optional_text(o, "type"), o.optional_integer("major"), o.optional_integer("minor"),
               optional_text(o, "access")};
  if (!r.type.empty() && r.type != "a" && r.type != "c" && r.type != "b") {
    o.fail("type", "unknown device type " + quote_untrusted(r.type, 50) + ": expected a, c or b");
  }
  if (r.access.find_first_not_of("rwm") != std::string::npos) {
    o.fail("access", "expected letters from `rwm`, got " + quote_untrusted(r.access, 50));
  }
  return r;
}

MemoryResources read_memory(const JsonObject& o) {
  return MemoryResources{o.optional_integer("limit"), o.optional_integer("reservation"), o.optional_integer("swap")};
}

CpuResources read_cpu(const JsonObject& o) {
  return CpuResources{o.optional_unsigned("shares"), o.optional_integer("quota"), o.optional_unsigned("period"),
                      optional_text(o, "cpus"), optional_text(o, "mems")};
}

std::optional<std::uint16_t> read_block_io_weight(const JsonObject& block_io) {
  const auto weight = block_io.optional_unsigned("weight");
  if (!weight) return std::nullopt;
  if (*weight > std::numeric_limits<std::uint16_t>::max()) block_io.fail("weight", "out of range for a 16-bit value");
  return static_cast<std::uint16_t>(*weight);
}

Resources resources_of(const JsonObject& o) {
  Resources r;
  for (const auto& item : o.optional_objects("devices")) r.devices.push_back(read_device_rule(item));
  if (const auto memory = o.optional_object("memory")) r.memory = read_memory(*memory);
  if (const auto cpu = o.optional_object("cpu")) r.cpu = read_cpu(*cpu);
  if (const auto pids = o.optional_object("pids")) r.pids_limit = pids->integer("limit");
  if (const auto block_io = o.optional_object("blockIO")) r.block_io_weight = read_block_io_weight(*block_io);
  r.unified = o.string_map("unified");
  return r;
}

std::string read_seccomp_action(const JsonObject& o, std::string_view key) {
  std::string action = o.string(key);
  if (!is_seccomp_action(action)) o.fail(key, "unknown action " + quote_untrusted(action, 50));
  return action;
}

SeccompArg read_seccomp_arg(const JsonObject& o) {
  SeccompArg a{read_u32(o, "index"), o.unsigned_integer("value"), o.optional_unsigned("valueTwo").value_or(0),
               o.string("op")};
  if (a.index > 5) o.fail("index", "expected 0..5 (a system call has six arguments)");
  if (!is_seccomp_operator(a.op)) o.fail("op", "unknown operator " + quote_untrusted(a.op, 50));
  return a;
}

SeccompSyscall read_seccomp_syscall(const JsonObject& o) {
  SeccompSyscall s;
  if (!o.has("names")) o.fail("names", "missing");
  s.names = read_strings(o, "names");
  if (s.names.empty()) o.fail("names", "must not be empty");
  s.action = read_seccomp_action(o, "action");
  s.errno_ret = read_optional_u32(o, "errnoRet");
  for (const auto& item : o.optional_objects("args")) s.args.push_back(read_seccomp_arg(item));
  return s;
}

Seccomp read_seccomp(const JsonObject& o) {
  Seccomp s;
  s.default_action = read_seccomp_action(o, "defaultAction");
  s.default_errno_ret = read_optional_u32(o, "defaultErrnoRet");
  s.architectures = read_strings(o, "architectures");
  s.flags = read_strings(o, "flags");
  for (const auto& item : o.optional_objects("syscalls")) s.syscalls.push_back(read_seccomp_syscall(item));
  return s;
}

std::vector<std::string> read_absolute_paths(const JsonObject& o, std::string_view key) {
  std::vector<std::string> paths = read_strings(o, key);
  for (std::size_t i = 0; i < paths.size(); ++i) require_absolute(o, indexed(key, i), paths[i]);
  return paths;
}

std::string read_rootfs_propagation(const JsonObject& o) {
  std::string value = optional_text(o, "rootfsPropagation");
  if (!value.empty() && !is_propagation(value)) {
    o.fail("rootfsPropagation",
           "unknown propagation " + quote_untrusted(value, 50) + ": expected one of " + propagation_choices());
  }
  return value;
}

// Mappings describe a user namespace; without one the kernel has nothing to apply them to.
void check_mappings_have_userns(const JsonObject& o, const LinuxSpec& l) {
  for (const auto& ns : l.namespaces) {
    if (ns.type == NamespaceType::user) return;
  }
  if (!l.uid_mappings.empty()) o.fail("uidMappings", "needs a user namespace in `linux.namespaces`");
  if (!l.gid_mappings.empty()) o.fail("gidMappings", "needs a user namespace in `linux.namespaces`");
}

}  // namespace

LinuxSpec read_linux(const JsonObject& o) {
  LinuxSpec l;
  l.namespaces = read_namespaces(o);
  l.uid_mappings = read_id_mappings(o, "uidMappings");
  l.gid_mappings = read_id_mappings(o, "gidMappings");
  check_mappings_have_userns(o, l);
  for (const auto& item : o.optional_objects("devices")) l.devices.push_back(read_device(item));
  if (const auto resources = o.optional_object("resources")) l.resources = resources_of(*resources);
  l.cgroups_path = optional_text(o, "cgroupsPath");
  l.sysctl = o.string_map("sysctl");
  if (const auto seccomp = o.optional_object("seccomp")) l.seccomp = read_seccomp(*seccomp);
  l.masked_paths = read_absolute_paths(o, "maskedPaths");
  l.readonly_paths = read_absolute_paths(o, "readonlyPaths");
  l.rootfs_propagation = read_rootfs_propagation(o);
  l.mount_label = optional_text(o, "mountLabel");
  return l;
}

Resources read_resources(const JsonObject& resources_object) { return resources_of(resources_object); }

}  // namespace pod::core::oci::detail
