// pod-runtime features: what this runtime supports, as the runtime-spec's features document.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "libcore/oci/mount_options.hpp"
#include "libcore/oci/runtime_spec.hpp"
#include "libcore/version.hpp"
#include "rootless/runtime/seccomp_filter.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {
namespace {

nlohmann::json features_document() {
  using nlohmann::json;
  json linux_features = {
      {"namespaces", core::oci::namespace_type_names()},
      {"capabilities", core::oci::capability_names()},
      // Limits in a child of the user's delegated cgroup(s); no systemd driver.
      {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}}},
      {"seccomp",
       {{"enabled", true},
        {"actions", rootless::runtime::supported_seccomp_actions()},
        {"operators", rootless::runtime::supported_seccomp_operators()}}},
      {"apparmor", {{"enabled", false}}},
      {"selinux", {{"enabled", false}}},
  };
  return json{
      {"ociVersionMin", "1.0.0"},
      {"ociVersionMax", std::string(core::oci::kRuntimeSpecVersion)},
      {"hooks", {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}},
      {"mountOptions", core::oci::known_mount_options()},
      {"linux", linux_features},
      {"annotations", {{"io.github.pod.runtime.version", std::string(kVersion)}}},
  };
}

}  // namespace

void add_features_verb(CLI::App& app) {
  auto* verb = app.add_subcommand("features", "print what this runtime supports, as JSON (runtime-spec features)");
  verb->callback([] { fmt::print("{}\n", features_document().dump(2)); });
}

}  // namespace pod::tools
