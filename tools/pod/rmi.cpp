// pod rmi / pod image rm [-f] [-a] IMAGE...
// Exit codes as podman: 1 when an image is not known, 2 when it cannot go (in use, several
// names without -f), 125 otherwise.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "libcore/sys/error.hpp"
#include "storage/image_removal.hpp"
#include "storage/image_store.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct RmiFlags {
  std::vector<std::string> images;
  bool force = false;
  bool all = false;
};

void print_report(const storage::RemovalReport& report) {
  for (const auto& name : report.untagged) fmt::print("Untagged: {}\n", name);
  for (const auto& id : report.deleted) fmt::print("Deleted: {}\n", id);
}

int exit_code_for(const Error& e) {
  if (e.kind() == ErrorKind::not_found) return 1;
  if (e.kind() == ErrorKind::conflict) return 2;
  return kExitPodError;
}

}  // namespace

void add_rmi_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state) {
  auto flags = std::make_shared<RmiFlags>();
  auto* verb = parent.add_subcommand(name, "remove images from local storage");
  verb->add_option("images", flags->images, "images to remove (names or ids)");
  verb->add_flag("-f,--force", flags->force, "remove images that have several names");
  verb->add_flag("-a,--all", flags->all, "remove all images");
  verb->callback([flags, &global, &state] {
    if (flags->images.empty() && !flags->all) throw Error("image name or id must be specified", ErrorKind::usage);
    if (!flags->images.empty() && flags->all) throw Error("when using the --all switch, you may not pass any images names or ids", ErrorKind::usage);
    OpenedStore opened = open_store(global, state);
    if (flags->all) {
      print_report(storage::prune_images(opened.store, true));
      return;
    }
    for (const auto& image : flags->images) {
      try {
        print_report(storage::remove_image(opened.store, image, flags->force));
      } catch (const Error& e) {
        fmt::print(stderr, "Error: {}\n", e.message());
        state.exit_code = exit_code_for(e);  // go on with the others, as podman does
      }
    }
  });
}

}  // namespace pod::tools
