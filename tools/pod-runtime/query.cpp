// pod-runtime state ID | list
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rootless/runtime/state.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {

void add_query_verbs(CLI::App& app, const RuntimeGlobals& g, RunState& /*state*/) {
  auto id = std::make_shared<std::string>();
  auto* state_verb = app.add_subcommand("state", "print the state of a container as JSON");
  state_verb->add_option("id", *id, "container id")->required();
  state_verb->callback([id, &g] {
    const auto store = runtime_store(g);
    const auto s = store.load(*id);
    fmt::print("{}\n", rootless::runtime::state_json(s, store.status(s)));
  });

  auto* list_verb = app.add_subcommand("list", "list containers");
  list_verb->callback([&g] {
    const auto store = runtime_store(g);
    fmt::print("{:<24} {:<8} {:<10} {:<22} {}\n", "ID", "PID", "STATUS", "CREATED", "BUNDLE");
    for (const auto& container : store.ids()) {
      const auto s = store.load(container);
      const auto status = store.status(s);
      fmt::print("{:<24} {:<8} {:<10} {:<22} {}\n", s.id, status == rootless::runtime::Status::stopped ? 0 : s.pid,
                 to_string(status), s.created, s.bundle);
    }
  });
}

}  // namespace pod::tools
