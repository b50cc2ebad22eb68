// pod tag / pod image tag IMAGE TARGET...
// A target without a registry is named localhost/NAME, as podman does.
#include <CLI/CLI.hpp>

#include "libcore/reference.hpp"
#include "libcore/sys/error.hpp"
#include "storage/image_store.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct TagFlags {
  std::string image;
  std::vector<std::string> targets;
};

std::string target_name(const std::string& text) {
  core::Reference ref = core::Reference::parse(text);
  if (ref.was_short_name()) ref = core::Reference::parse("localhost/" + text);
  if (ref.digest()) throw Error("tag " + quote(text) + ": a tag target cannot carry a digest", ErrorKind::usage);
  return ref.str();
}

}  // namespace

void add_tag_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state) {
  auto flags = std::make_shared<TagFlags>();
  auto* verb = parent.add_subcommand(name, "add names to a local image");
  verb->add_option("image", flags->image, "the image to name")->required();
  verb->add_option("targets", flags->targets, "new names")->required();
  verb->callback([flags, &global, &state] {
    std::vector<std::string> names;
    for (const auto& t : flags->targets) names.push_back(target_name(t));  // all valid before any change
    OpenedStore opened = open_store(global, state);
    storage::ImageStore images(opened.store);
    const auto match = images.resolve(flags->image);
    for (const auto& n : names) images.add_name(match.image.id, n);
  });
}

}  // namespace pod::tools
