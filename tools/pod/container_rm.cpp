// pod rm | container prune — in pod's user namespace: the upper layer holds the container's ids.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>


#include "libcore/sys/error.hpp"
#include "rootless/container/engine.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/container_engine.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {

void stop_container(const GlobalOptions& global, const storage::ContainerRecord& r, const std::string& dir, int timeout);

namespace {

using storage::ContainerStatus;

void remove_one(const GlobalOptions& global, const rootless::container::Engine& engine,
                const storage::ContainerStore& containers, const storage::ContainerRecord& r, bool force) {
  const std::string dir = containers.dir(r.id);
  const auto s = storage::container_state(dir);
  if (s.status == ContainerStatus::running) {
    if (!force) {
      throw Error("cannot remove container " + r.name + " as it is running: stop it first, or use --force",
                  ErrorKind::conflict);
    }
    stop_container(global, r, dir, 0);
  }
  storage::wait_for_monitor(dir);  // nothing of the container outlives `rm`
  rootless::container::remove_container(engine, r);
}

}  // namespace

void add_container_rm_verbs(CLI::App& app, const GlobalOptions& global, RunState& state, bool with_prune) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto force = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  auto volumes = std::make_shared<bool>(false);
  auto* rm = app.add_subcommand("rm", "remove containers");
  rm->add_option("containers", *names, "container names or ids");
  rm->add_flag("-f,--force", *force, "stop running containers first");
  rm->add_flag("-a,--all", *all, "remove all containers");
  rm->add_flag("-v,--volumes", *volumes, "accepted for compatibility (pod has no named volumes yet)");
  rm->callback([=, &global, &state] {
    if (names->empty() && !*all) throw Error("rm: name a container, or use --all", ErrorKind::usage);
    const OpenedStore opened = open_store(global, state);
    storage::ContainerStore containers(opened.store);
    std::vector<std::string> targets = *names;
    if (*all) {
      for (const auto& r : containers.list()) targets.push_back(r.id);
    }
    for (const auto& name : targets) {
      try {
        const auto r = containers.resolve(name);
        remove_one(global, make_engine(global, opened), containers, r, *force);
        fmt::print("{}\n", *all ? r.id : name);
      } catch (const Error& e) {
        // A --rm container's monitor may be removing it at the same moment: gone is gone.
        if (*force && e.kind() == ErrorKind::not_found) continue;
        fmt::print(stderr, "Error: {}\n", e.message());
        state.exit_code = e.kind() == ErrorKind::not_found ? 1 : e.kind() == ErrorKind::conflict ? 2 : kExitPodError;
      }
    }
  });

  if (!with_prune) return;
  auto* prune = app.add_subcommand("prune", "remove all stopped containers");
  auto yes = std::make_shared<bool>(false);
  prune->add_flag("-f,--force", *yes, "do not ask (pod never asks)");
  prune->callback([&global, &state] {
    const OpenedStore opened = open_store(global, state);
    storage::ContainerStore containers(opened.store);
    for (const auto& r : containers.list()) {
      if (storage::container_state(containers.dir(r.id)).status == ContainerStatus::running) continue;
      remove_one(global, make_engine(global, opened), containers, r, false);
      fmt::print("{}\n", r.id);
    }
  });
}

}  // namespace pod::tools
