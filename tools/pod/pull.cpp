// pod pull [options] IMAGE
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include "libcore/oci/platform.hpp"
#include "libcore/sys/error.hpp"
#include "storage/pull_by_name.hpp"
#include "tools/common/main.hpp"
#include "tools/common/pull_progress.hpp"
#include "tools/common/registry_flags.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct PullFlags {
  std::string image;
  bool quiet = false;
  std::string platform;
  std::string os;
  std::string arch;
  std::string variant;
  RegistryFlags registry;
};

core::oci::Platform wanted_platform(const PullFlags& f) {
  core::oci::Platform p = f.platform.empty() ? core::oci::host_platform() : core::oci::parse_platform(f.platform);
  if (!f.os.empty()) p.os = f.os;
  if (!f.arch.empty()) p.architecture = f.arch;
  if (!f.variant.empty()) p.variant = f.variant;
  return core::oci::normalize(p);
}

}  // namespace

void add_pull_verb(CLI::App& parent, const GlobalOptions& global, RunState& state) {
  auto flags = std::make_shared<PullFlags>();
  auto* verb = parent.add_subcommand("pull", "pull an image from a registry into local storage");
  verb->add_option("image", flags->image, "image reference, e.g. docker.io/library/busybox:latest")->required();
  verb->add_flag("-q,--quiet", flags->quiet, "print only the image id");
  verb->add_option("--platform", flags->platform, "os/arch[/variant] of the image to pull from an index");
  verb->add_option("--os", flags->os, "operating system of the image to pull (default: this host's)");
  verb->add_option("--arch", flags->arch, "architecture of the image to pull (default: this host's)");
  verb->add_option("--variant", flags->variant, "architecture variant of the image to pull, e.g. v7");
  add_registry_flags(*verb, flags->registry);
  verb->callback([flags, &global, &state] {
    const core::oci::Platform platform = wanted_platform(*flags);
    const storage::RegistryAccess access = registry_access(flags->registry);
    core::Reference::parse(flags->image);  // a broken reference fails before anything else
    OpenedStore opened = open_store(global, state);
    PullProgress progress(stderr, flags->quiet);
    storage::PullOptions options;
    options.platform = platform;
    options.rootless = opened.rootless;
    options.observer = &progress;
    const auto trying = [&](const core::Reference& ref) {
      if (!flags->quiet) fmt::print(stderr, "Trying to pull {}...\n", ref.str());
    };
    const storage::ImageRecord image =
        storage::pull_by_name(opened.store, flags->image, access, options, ::isatty(STDIN_FILENO) == 1, trying);
    fmt::print("{}\n", image.id);
  });
}

}  // namespace pod::tools
