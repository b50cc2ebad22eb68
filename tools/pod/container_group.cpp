// pod container …: the container verbs under their group name, plus prune.
#include <CLI/CLI.hpp>

#include "tools/common/main.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {

void add_container_group(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto* group = app.add_subcommand("container", "manage containers");
  group->require_subcommand(1);
  add_run_verbs(*group, global, state);
  add_container_query_verbs(*group, global, state, true);
  add_container_signal_verbs(*group, global, state);
  add_container_rm_verbs(*group, global, state, true);
  add_exec_verb(*group, global, state);
  add_container_resource_verbs(*group, global, state);
  add_stats_verb(*group, global);
  add_container_misc_verbs(*group, global, state);
  add_cp_verb(*group, global, state);
}

}  // namespace pod::tools
