// pod image {pull,ls,list,rm,tag,inspect,prune}: the same verbs under podman's group.
#include <CLI/CLI.hpp>

#include "tools/pod/verbs.hpp"

namespace pod::tools {

void add_image_group(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto* group = app.add_subcommand("image", "manage images");
  group->require_subcommand(1);
  add_pull_verb(*group, global, state);
  add_images_verb(*group, "ls", global, state);
  add_rmi_verb(*group, "rm", global, state);
  add_tag_verb(*group, "tag", global, state);
  add_image_inspect_verb(*group, "inspect", global, state);
  add_image_prune_verb(*group, global, state);
}

}  // namespace pod::tools
