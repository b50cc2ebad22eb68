// pod-runtime spec [--rootless] [--bundle DIR]: write a starting config.json, as runc spec.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {

void add_spec_verb(CLI::App& app, RunState& /*state*/) {
  auto rootless = std::make_shared<bool>(false);
  auto bundle = std::make_shared<std::string>(".");
  auto* verb = app.add_subcommand("spec", "write a new config.json in the bundle directory");
  verb->add_flag("--rootless", *rootless, "a spec for an unprivileged user (user namespace mapping your uid to root)");
  verb->add_option("-b,--bundle", *bundle, "bundle directory (default: .)");
  verb->callback([rootless, bundle] {
    const std::string path = *bundle + "/config.json";
    if (::access(path.c_str(), F_OK) == 0) throw Error("file " + quote(path) + " exists: remove it first", ErrorKind::conflict);
    const auto spec = core::oci::default_spec(*rootless, ::geteuid(), ::getegid());
    write_file_atomic(path, core::oci::serialize(spec, true) + "\n");
  });
}

}  // namespace pod::tools
