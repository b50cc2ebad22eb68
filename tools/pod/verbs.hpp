// The verbs of `pod`. Each verb file declares its own flags and calls one library function;
// main.cpp lists them. The CLI11 declaration is the single source of truth for --help,
// completions and man pages.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace pod::tools {

struct RunState;

struct GlobalOptions {
  std::string root;
  std::string runroot;
  std::string log_level = "warn";
  std::string storage_driver;  // forced, or empty: probe
};

void add_version_verb(CLI::App& app, RunState& state);
void add_commit_verb(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_info_verb(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_unshare_verb(CLI::App& app, RunState& state);
void add_pull_verb(CLI::App& parent, const GlobalOptions& global, RunState& state);
void add_images_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state);
void add_rmi_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state);
void add_tag_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state);
void add_image_inspect_verb(CLI::App& parent, const char* name, const GlobalOptions& global, RunState& state);
void add_image_prune_verb(CLI::App& parent, const GlobalOptions& global, RunState& state);
// push, save, load: the copy engine between local storage and registries or archives.
void add_image_transfer_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);
// import (tarball → image), export (container → tarball).
void add_import_export_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_login_verb(CLI::App& app, RunState& state);
void add_logout_verb(CLI::App& app, RunState& state);
// Containers: create, run, start; ps, inspect, logs, wait; stop, kill; rm, prune; exec.
void add_run_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_container_query_verbs(CLI::App& app, const GlobalOptions& global, RunState& state, bool in_group);
void add_container_signal_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_container_rm_verbs(CLI::App& app, const GlobalOptions& global, RunState& state, bool with_prune);
// `pod container …`: the container verbs again, and prune.
void add_container_group(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_exec_verb(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_cp_verb(CLI::App& app, const GlobalOptions& global, RunState& state);
void add_container_misc_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);  // attach, rename, top, port
void add_container_resource_verbs(CLI::App& app, const GlobalOptions& global, RunState& state);  // pause, unpause, update
void add_stats_verb(CLI::App& app, const GlobalOptions& global);
// `pod image …`: the image verbs again under their podman group names.
void add_image_group(CLI::App& app, const GlobalOptions& global, RunState& state);

}  // namespace pod::tools
