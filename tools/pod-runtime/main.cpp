// pod-runtime: an OCI runtime (create/start/run/state/kill/delete/list/spec), rootless first.
#include <CLI/CLI.hpp>

#include "libcore/sys/log.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/verbs.hpp"

int main(int argc, char** argv) {
  CLI::App app{"pod-runtime: an OCI runtime", "pod-runtime"};
  app.require_subcommand(1);
  pod::tools::RuntimeGlobals globals;
  pod::tools::RunState state;
  state.error_exit_code = 1;  // as crun and runc
  app.add_option("--root", globals.root, "directory for container state (default: $XDG_RUNTIME_DIR/pod-runtime, /run/pod-runtime as root)");
  app.add_option("--log", globals.log, "log file (accepted for compatibility; messages go to stderr)");
  app.add_option("--log-format", globals.log_format, "text or json (accepted for compatibility)");
  app.add_flag("--debug", globals.debug, "log debug messages");
  app.parse_complete_callback([&globals] {
    if (globals.debug) pod::log::set_level(pod::log::Level::debug);
  });
  pod::tools::add_spec_verb(app, state);
  pod::tools::add_lifecycle_verbs(app, globals, state);
  pod::tools::add_query_verbs(app, globals, state);
  return pod::tools::run_tool(app, state, argc, argv);
}
