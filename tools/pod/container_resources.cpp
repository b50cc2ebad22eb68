// pod pause | unpause | update — a container's cgroup, through its OCI runtime.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <memory>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/limit_flags.hpp"
#include "tools/pod/runtime_call.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using core::oci::Resources;
using storage::ContainerStatus;

// Runs `action` for each name, printing it on success and the error on failure, as Podman's
// verbs over several containers do.
template <typename Action>
void for_each_container(const GlobalOptions& global, RunState& state, const std::vector<std::string>& names, Action action) {
  const OpenedStore opened = open_store_in_place(global);
  const storage::ContainerStore containers(opened.store);
  for (const auto& name : names) {
    try {
      const auto r = containers.resolve(name);
      action(r, containers.dir(r.id));
      fmt::print("{}\n", name);
    } catch (const Error& e) {
      fmt::print(stderr, "Error: {}\n", e.message());
      state.exit_code = kExitPodError;
    }
  }
}

void pause(const GlobalOptions& global, const storage::ContainerRecord& r, const std::string& dir) {
  const auto s = storage::container_state(dir);
  if (s.status != ContainerStatus::running || s.paused) {
    throw Error("can only pause running containers: " + r.name + " is " + (s.paused ? "paused" : std::string(to_string(s.status))),
                ErrorKind::conflict);
  }
  call_runtime(global, r, {"pause", r.id}, "pausing");
  storage::write_paused(dir, true);
}

void unpause(const GlobalOptions& global, const storage::ContainerRecord& r, const std::string& dir) {
  if (!storage::container_state(dir).paused) throw Error(r.name + " is not paused", ErrorKind::conflict);
  call_runtime(global, r, {"resume", r.id}, "unpausing");
  storage::write_paused(dir, false);
}

// A running container's cgroup first (the runtime refuses what cannot be had), then its
// config.json, so a restart keeps the new limits and inspect shows them.
void update(const GlobalOptions& global, const Resources& asked, const storage::ContainerRecord& r, const std::string& dir) {
  const std::string config_path = dir + "/config.json";
  auto spec = core::oci::parse_runtime_spec(read_file(config_path, 4u << 20));
  if (storage::container_state(dir).status == ContainerStatus::running) {
    const std::string request = dir + "/update-resources.json";
    write_file_atomic(request, core::oci::serialize(asked));
    try {
      call_runtime(global, r, {"update", "--resources", request, r.id}, "updating");
    } catch (...) {
      ::unlink(request.c_str());
      throw;
    }
    ::unlink(request.c_str());
  }
  auto& linux_spec = spec.linux_spec ? *spec.linux_spec : spec.linux_spec.emplace();
  linux_spec.resources = core::oci::merge_resources(linux_spec.resources.value_or(Resources{}), asked);
  write_file_atomic(config_path, core::oci::serialize(spec, true) + "\n");
}

}  // namespace

void add_container_resource_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  for (const bool freeze : {true, false}) {
    auto names = std::make_shared<std::vector<std::string>>();
    auto* verb = app.add_subcommand(freeze ? "pause" : "unpause",
                                    freeze ? "freeze every process of running containers (their cgroup's freezer)"
                                           : "thaw paused containers");
    verb->add_option("containers", *names, "container names or ids")->required();
    verb->callback([=, &global, &state] {
      for_each_container(global, state, *names, [&](const storage::ContainerRecord& r, const std::string& dir) {
        freeze ? pause(global, r, dir) : unpause(global, r, dir);
      });
    });
  }
  auto limits = std::make_shared<LimitFlags>();
  auto names = std::make_shared<std::vector<std::string>>();
  auto* verb = app.add_subcommand("update", "change the resource limits of containers (running ones at once)");
  verb->add_option("containers", *names, "container names or ids")->required();
  add_limit_flags(*verb, *limits);
  verb->callback([=, &global, &state] {
    const auto asked = resources_of(*limits);
    if (!asked) throw Error("update: no limit given (--memory, --cpus, --pids-limit…)", ErrorKind::invalid_input);
    for_each_container(global, state, *names, [&](const storage::ContainerRecord& r, const std::string& dir) {
      update(global, *asked, r, dir);
    });
  });
}

}  // namespace pod::tools
