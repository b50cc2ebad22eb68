// The verbs of pod-runtime, the OCI runtime command line as crun and runc define it.
#pragma once

#include <string>

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
};

void add_spec_verb(CLI::App& app, RunState& state);
void add_lifecycle_verbs(CLI::App& app, const RuntimeGlobals& globals, RunState& state);
void add_query_verbs(CLI::App& app, const RuntimeGlobals& globals, RunState& state);

}  // namespace pod::tools
