// pod info [--format json]: host, rootless mode, id ranges and store facts.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>


#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/version.hpp"
#include "rootless/cgroup/layout.hpp"
#include "rootless/host_info.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/common/print_yaml.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using nlohmann::json;

json id_map_json(const std::vector<rootless::IdMapEntry>& map) {
  json out = json::array();
  for (const auto& e : map) out.push_back({{"container_id", e.container_id}, {"host_id", e.host_id}, {"size", e.size}});
  return out;
}

// The driver pod chose at its first container (cached per boot in the runroot).
json driver_json(const std::string& runroot) {
  const auto cached = try_read_file(runroot + "/storage-driver", 4096);
  if (!cached) return {{"graphDriverName", "overlay"}, {"graphDriverStatus", "not probed yet: chosen at the first container"}};
  const auto nl = cached->find('\n');
  const std::string reason = nl == std::string::npos ? "" : cached->substr(nl + 1);
  return {{"graphDriverName", cached->substr(0, nl)}, {"graphDriverStatus", reason.empty() ? "ok" : "fallback: " + reason}};
}

// The cgroup layout and what of it this user may write (delegation).
json cgroups_json(uid_t uid) {
  using namespace rootless::cgroup;
  const Layout layout = parse_layout(try_read_file("/proc/self/mountinfo", 1u << 20).value_or(""));
  const auto membership = parse_membership(try_read_file("/proc/self/cgroup", 1u << 16).value_or(""));
  const Delegation d = find_delegation(layout, membership, uid);
  json delegated = json::object();
  if (!d.v2_dir.empty()) delegated["v2"] = {{"path", d.v2_dir}, {"controllers", d.v2_controllers}};
  for (const auto& [controller, dir] : d.v1_dirs) delegated["v1"][controller] = dir;
  // cgroupfs: pod writes the delegated directories itself; it asks no systemd for scopes.
  return {{"version", std::string(to_string(layout.version))},
          {"manager", "cgroupfs"},
          {"delegated", delegated},
          {"missing", d.missing},
          {"limits", d.missing.empty() ? "every controller is delegated"
                                       : "limits that need a missing controller are refused"}};
}

json runtime_json() {
  try {
    return {{"name", "pod-runtime"}, {"path", find_helper_binary("pod-runtime")}};
  } catch (const Error& e) {
    return {{"name", "pod-runtime"}, {"path", ""}, {"error", e.message()}};
  }
}

json info_json(const rootless::HostInfo& h) {
  json host{{"os", h.os},
            {"arch", h.arch},
            {"kernel", h.kernel},
            {"hostname", h.hostname},
            {"security", {{"rootless", h.rootless}}},
            {"idMappings", {{"uidmap", id_map_json(h.uid_map)}, {"gidmap", id_map_json(h.gid_map)}}},
            {"ociRuntime", runtime_json()},
            {"cgroups", cgroups_json(h.uid)},
            {"network", "none or host: user-mode networking (slirp) is not available yet"},
            {"warnings", h.warnings}};
  json store{{"graphRoot", h.store.root}, {"runRoot", h.store.runroot}};
  store.update(driver_json(h.store.runroot));
  return json{{"host", host}, {"store", store}, {"version", {{"Version", kVersion}}}};
}

}  // namespace

void add_info_verb(CLI::App& app, const GlobalOptions& global, RunState& /*state*/) {
  auto* verb = app.add_subcommand("info", "show facts about the host, rootless set-up and store");
  auto format = std::make_shared<std::string>();
  verb->add_option("-f,--format", *format, "output format: json");
  verb->callback([format, &global] {
    rootless::HostInfoInputs inputs;
    inputs.root_override = global.root;
    inputs.runroot_override = global.runroot;
    print_document(*format, info_json(rootless::collect_host_info(inputs)), print_yaml);
  });
}

}  // namespace pod::tools
