// The verbs of pod-runtime, the OCI runtime command line as crun and runc define it.
#pragma once

#include <string>

#include "rootless/runtime/state.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct RunState;

struct RuntimeGlobals {
  std::string root;  // state directory; default per StateStore::default_root()
  std::string log;
  std::string log_format = "text";
  bool debug = false;
  bool systemd_cgroup = false;
};

// The state directory --root names, else the default.
rootless::runtime::StateStore runtime_store(const RuntimeGlobals& globals);

void add_spec_verb(CLI::App& app, RunState& state);
void add_exec_verb(CLI::App& app, const RuntimeGlobals& globals, RunState& state);
void add_features_verb(CLI::App& app);
void add_lifecycle_verbs(CLI::App& app, const RuntimeGlobals& globals, RunState& state);
void add_query_verbs(CLI::App& app, const RuntimeGlobals& globals, RunState& state);
void add_resource_verbs(CLI::App& app, const RuntimeGlobals& globals);

}  // namespace pod::tools
