// pod-runtime: an OCI runtime (create/start/run/exec/state/kill/delete/list/spec/features),
// rootless first.
#include <CLI/CLI.hpp>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/verbs.hpp"

int main(int argc, char** argv) {
  CLI::App app{"pod-runtime: an OCI runtime", "pod-runtime"};
  app.require_subcommand(1);
  pod::tools::RuntimeGlobals globals;
  pod::tools::RunState state;
  state.error_exit_code = 1;  // as crun and runc
  // A program that is not there is told apart from a runtime failure, as shells do (127).
  state.exit_code_for = [](const pod::Error& e) {
    return e.message().find("not found in $PATH") != std::string::npos ||
                   (e.message().rfind("executable `", 0) == 0 && e.message().find("` not found") != std::string::npos)
               ? 127
               : 1;
  };
  app.add_option("--root", globals.root, "directory for container state (default: $XDG_RUNTIME_DIR/pod-runtime, /run/pod-runtime as root)");
  app.add_option("--log", globals.log, "also write messages (and the final error) to this file");
  app.add_option("--log-format", globals.log_format, "format of the --log file: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--debug", globals.debug, "log debug messages");
  app.add_flag("--systemd-cgroup", globals.systemd_cgroup, "accepted for compatibility (cgroups are not managed yet)");
  app.parse_complete_callback([&globals] {
    if (globals.debug) pod::log::set_level(pod::log::Level::debug);
    if (!globals.log.empty()) pod::log::log_to_file(globals.log, globals.log_format == "json");
  });
  pod::tools::add_spec_verb(app, state);
  pod::tools::add_lifecycle_verbs(app, globals, state);
  pod::tools::add_exec_verb(app, globals, state);
  pod::tools::add_query_verbs(app, globals, state);
  pod::tools::add_resource_verbs(app, globals);
  pod::tools::add_features_verb(app);
  return pod::tools::run_tool(app, state, argc, argv);
}
