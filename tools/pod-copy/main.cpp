// pod-copy: copies images between transports, inspects and deletes them (Skopeo's verbs).
#include <CLI/CLI.hpp>

#include <string_view>
#include <thread>

#include "libcore/registry/http.hpp"

#include "libcore/sys/log.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-copy/verbs.hpp"

int main(int argc, char** argv) {
  // Most copies talk to a registry: libcurl loads while the command line is parsed. Not when
  // the local store is involved: entering pod's user namespace forks, and a fork while
  // another thread is inside dlopen can leave the child stuck on the loader's lock.
  bool registry = false, local = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    registry = registry || arg.rfind("docker://", 0) == 0;
    local = local || arg.rfind("local:", 0) == 0 || arg.rfind("containers-storage:", 0) == 0;
  }
  std::jthread preload;
  if (registry && !local) preload = std::jthread(pod::core::registry::preload_http);
  CLI::App app{"pod-copy: copy, inspect and delete container images in registries, layouts and archives", "pod-copy"};
  app.require_subcommand(1);
  pod::tools::CopyGlobals globals;
  pod::tools::RunState state;
  state.error_exit_code = 1;  // as Skopeo
  app.add_option("--root", globals.root, "the local store for local: names (default: pod's for this user)");
  app.add_flag("--debug", globals.debug, "log debug messages");
  app.add_flag("--insecure-policy", globals.insecure_policy, "accepted for Skopeo compatibility (pod-copy checks no signature policy)");
  app.add_option("--override-os", globals.override_os, "use this OS instead of the host's when choosing from an index");
  app.add_option("--override-arch", globals.override_arch, "use this architecture instead of the host's");
  app.add_option("--override-variant", globals.override_variant, "use this architecture variant");
  app.parse_complete_callback([&globals] {
    if (globals.debug) pod::log::set_level(pod::log::Level::debug);
  });
  pod::tools::add_copy_verb(app, globals);
  pod::tools::add_inspect_verb(app, globals);
  pod::tools::add_registry_verbs(app, globals);
  pod::tools::add_sync_verb(app, globals, state);
  return pod::tools::run_tool(app, state, argc, argv);
}
