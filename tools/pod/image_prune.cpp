// pod image prune [-a] [-f]: remove images without names (-a: every unused image).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include <iostream>

#include "storage/image_removal.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {

void add_image_prune_verb(CLI::App& parent, const GlobalOptions& global, RunState& state) {
  auto all = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);
  auto* verb = parent.add_subcommand("prune", "remove unused images");
  verb->add_flag("-a,--all", *all, "remove every image not used by a container, not only those without names");
  verb->add_flag("-f,--force", *force, "do not ask for confirmation");
  verb->callback([all, force, &global, &state] {
    if (!*force) {
      fmt::print("WARNING! This command removes all {} images.\nAre you sure you want to continue? [y/N] ",
                 *all ? "unused" : "dangling");
      std::fflush(stdout);
      std::string answer;
      std::getline(std::cin, answer);
      if (answer != "y" && answer != "Y" && answer != "yes") return;
    }
    OpenedStore opened = open_store(global, state);
    for (const auto& id : storage::prune_images(opened.store, *all).deleted) fmt::print("{}\n", id);
  });
}

}  // namespace pod::tools
