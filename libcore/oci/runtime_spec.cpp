// Reading config.json: the document, process, root, mounts and hooks. The "linux" object is
// read in runtime_spec_linux.cpp.
#include "libcore/oci/runtime_spec.hpp"

#include <limits>

#include "libcore/oci/runtime_spec_read.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::oci {
namespace detail {

std::string indexed(std::string_view key, std::size_t i) { return std::string(key) + "[" + std::to_string(i) + "]"; }

std::vector<std::string> read_strings(const JsonObject& o, std::string_view key) {
  return o.optional_strings(key).value_or(std::vector<std::string>{});
}

std::uint32_t read_u32(const JsonObject& o, std::string_view key) {
  const std::uint64_t value = o.unsigned_integer(key);
  if (value > std::numeric_limits<std::uint32_t>::max()) o.fail(key, "out of range for a 32-bit value");
  return static_cast<std::uint32_t>(value);
}

std::optional<std::uint32_t> read_optional_u32(const JsonObject& o, std::string_view key) {
  if (!o.has(key)) return std::nullopt;
  return read_u32(o, key);
}

std::vector<std::uint32_t> read_u32s(const JsonObject& o, std::string_view key) {
  const auto values = o.optional_integers(key).value_or(std::vector<std::int64_t>{});
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] < 0 || values[i] > std::numeric_limits<std::uint32_t>::max()) {
      o.fail(indexed(key, i), "out of range for a 32-bit value");
    }
    out.push_back(static_cast<std::uint32_t>(values[i]));
  }
  return out;
}

void require_absolute(const JsonObject& o, std::string_view key, std::string_view path) {
  if (path.empty() || path.front() != '/') {
    o.fail(key, "expected an absolute path, got " + quote_untrusted(path, 100));
  }
}

}  // namespace detail

namespace {

using detail::indexed;
using detail::read_strings;
using detail::read_u32;
using detail::require_absolute;
using nlohmann::json;

std::string optional_text(const JsonObject& o, std::string_view key) { return o.optional_string(key).value_or(""); }

std::string read_oci_version(const JsonObject& doc) {
  std::string version = doc.string("ociVersion");
  if (!version.starts_with("1.")) {
    doc.fail("ociVersion", "unsupported version " + quote_untrusted(version, 50) + ": expected 1.x");
  }
  return version;
}

ProcessUser read_user(const JsonObject& o) {
  ProcessUser u;
  u.uid = read_u32(o, "uid");
  u.gid = read_u32(o, "gid");
  u.umask = detail::read_optional_u32(o, "umask");
  u.additional_gids = detail::read_u32s(o, "additionalGids");
  return u;
}

std::vector<std::string> read_capability_set(const JsonObject& o, std::string_view key) {
  std::vector<std::string> names = read_strings(o, key);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!capability_number(names[i])) o.fail(indexed(key, i), "unknown capability " + quote_untrusted(names[i], 50));
  }
  return names;
}

Capabilities read_capabilities(const JsonObject& o) {
  return Capabilities{read_capability_set(o, "bounding"), read_capability_set(o, "effective"),
                      read_capability_set(o, "inheritable"), read_capability_set(o, "permitted"),
                      read_capability_set(o, "ambient")};
}

Rlimit read_rlimit(const JsonObject& o) {
  Rlimit r{o.string("type"), o.unsigned_integer("hard"), o.unsigned_integer("soft")};
  if (!rlimit_resource(r.type)) o.fail("type", "unknown rlimit " + quote_untrusted(r.type, 50));
  if (r.soft > r.hard) {
    o.fail("soft", std::to_string(r.soft) + " is above the hard limit " + std::to_string(r.hard));
  }
  return r;
}

// The spec requires an error for a type given twice (config.md, "rlimits").
std::vector<Rlimit> read_rlimits(const JsonObject& process) {
  std::vector<Rlimit> out;
  for (const auto& item : process.optional_objects("rlimits")) {
    Rlimit r = read_rlimit(item);
    for (const auto& earlier : out) {
      if (earlier.type == r.type) item.fail("type", "duplicate rlimit " + quote(r.type));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<int> read_oom_score_adj(const JsonObject& o) {
  const auto value = o.optional_integer("oomScoreAdj");
  if (value && (*value < -1000 || *value > 1000)) o.fail("oomScoreAdj", "expected -1000..1000");
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

std::vector<std::string> read_args(const JsonObject& o) {
  if (!o.has("args")) o.fail("args", "missing");
  std::vector<std::string> args = read_strings(o, "args");
  if (args.empty()) o.fail("args", "must not be empty");
  return args;
}

Process read_process(const JsonObject& o) {
  Process p;
  p.terminal = o.optional_bool("terminal", false);
  if (const auto size = o.optional_object("consoleSize")) {
    p.console_size = ConsoleSize{read_u32(*size, "height"), read_u32(*size, "width")};
  }
  if (const auto user = o.optional_object("user")) p.user = read_user(*user);
  p.args = read_args(o);
  p.env = read_strings(o, "env");
  p.cwd = o.string("cwd");
  require_absolute(o, "cwd", p.cwd);
  if (const auto caps = o.optional_object("capabilities")) p.capabilities = read_capabilities(*caps);
  p.rlimits = read_rlimits(o);
  p.no_new_privileges = o.optional_bool("noNewPrivileges", false);
  p.oom_score_adj = read_oom_score_adj(o);
  p.apparmor_profile = optional_text(o, "apparmorProfile");
  p.selinux_label = optional_text(o, "selinuxLabel");
  return p;
}

Root read_root(const JsonObject& o) {
  Root root{o.string("path"), o.optional_bool("readonly", false)};
  if (root.path.empty()) o.fail("path", "must not be empty");
  return root;
}

Mount read_mount(const JsonObject& o) {
  Mount m{o.string("destination"), optional_text(o, "type"), optional_text(o, "source"), read_strings(o, "options")};
  require_absolute(o, "destination", m.destination);
  return m;
}

Hook read_hook(const JsonObject& o) {
  Hook h{o.string("path"), read_strings(o, "args"), read_strings(o, "env"), std::nullopt};
  require_absolute(o, "path", h.path);
  if (const auto timeout = o.optional_integer("timeout")) {
    if (*timeout <= 0 || *timeout > std::numeric_limits<int>::max()) o.fail("timeout", "must be greater than zero");
    h.timeout = static_cast<int>(*timeout);
  }
  return h;
}

std::vector<Hook> read_hook_list(const JsonObject& hooks, std::string_view key) {
  std::vector<Hook> out;
  for (const auto& item : hooks.optional_objects(key)) out.push_back(read_hook(item));
  return out;
}

Hooks read_hooks(const JsonObject& o) {
  Hooks h;
  h.prestart = read_hook_list(o, "prestart");
  h.create_runtime = read_hook_list(o, "createRuntime");
  h.create_container = read_hook_list(o, "createContainer");
  h.start_container = read_hook_list(o, "startContainer");
  h.poststart = read_hook_list(o, "poststart");
  h.poststop = read_hook_list(o, "poststop");
  return h;
}

bool has_namespace(const RuntimeSpec& spec, NamespaceType type) {
  if (!spec.linux_spec) return false;
  for (const auto& ns : spec.linux_spec->namespaces) {
    if (ns.type == type) return true;
  }
  return false;
}

// Setting the host's name from a container would be a surprise; runc refuses it too.
void check_uts_names(const JsonObject& doc, const RuntimeSpec& spec) {
  if (has_namespace(spec, NamespaceType::uts)) return;
  if (!spec.hostname.empty()) doc.fail("hostname", "needs a uts namespace in `linux.namespaces`");
  if (!spec.domainname.empty()) doc.fail("domainname", "needs a uts namespace in `linux.namespaces`");
}

RuntimeSpec read_spec(const JsonObject& doc) {
  RuntimeSpec s;
  s.oci_version = read_oci_version(doc);
  if (const auto process = doc.optional_object("process")) s.process = read_process(*process);
  s.root = read_root(doc.object("root"));
  s.hostname = optional_text(doc, "hostname");
  s.domainname = optional_text(doc, "domainname");
  for (const auto& item : doc.optional_objects("mounts")) s.mounts.push_back(read_mount(item));
  if (const auto hooks = doc.optional_object("hooks")) s.hooks = read_hooks(*hooks);
  s.annotations = doc.string_map("annotations");
  if (const auto linux_object = doc.optional_object("linux")) s.linux_spec = detail::read_linux(*linux_object);
  check_uts_names(doc, s);
  return s;
}

}  // namespace

RuntimeSpec parse_runtime_spec(std::string_view bytes) {
  return with_context("parsing runtime config", [&] {
    const json doc = parse_json_document(bytes);
    return read_spec(JsonObject(doc, ""));
  });
}

}  // namespace pod::core::oci

namespace pod::core::oci {

Process parse_process(std::string_view bytes) {
  return with_context("parsing process", [&] {
    const json doc = parse_json_document(bytes);
    return read_process(JsonObject(doc, ""));
  });
}

Resources merge_resources(Resources base, const Resources& changes) {
  if (changes.memory) {
    auto& m = base.memory ? *base.memory : base.memory.emplace();
    if (changes.memory->limit) m.limit = changes.memory->limit;
    if (changes.memory->swap) m.swap = changes.memory->swap;
    if (changes.memory->reservation) m.reservation = changes.memory->reservation;
  }
  if (changes.cpu) {
    auto& c = base.cpu ? *base.cpu : base.cpu.emplace();
    if (changes.cpu->quota) c.quota = changes.cpu->quota;
    if (changes.cpu->period) c.period = changes.cpu->period;
    if (changes.cpu->shares) c.shares = changes.cpu->shares;
    if (!changes.cpu->cpus.empty()) c.cpus = changes.cpu->cpus;
    if (!changes.cpu->mems.empty()) c.mems = changes.cpu->mems;
  }
  if (changes.pids_limit) base.pids_limit = changes.pids_limit;
  if (changes.block_io_weight) base.block_io_weight = changes.block_io_weight;
  return base;
}

Resources parse_resources(std::string_view bytes) {
  return with_context("parsing resources", [&] {
    const json doc = parse_json_document(bytes);
    return detail::read_resources(JsonObject(doc, ""));
  });
}

}  // namespace pod::core::oci
