// The shared top of every pod binary: parse the tool's declared CLI, run the chosen verb,
// and turn failures into podman's exit contract — "Error: <chain>" on one stderr line,
// exit 125 (usage errors also print the usage hint).
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace pod {
class Error;
}

namespace pod::tools {

inline constexpr int kExitPodError = 125;
inline constexpr int kExitCannotInvoke = 126;
inline constexpr int kExitNotFound = 127;

// What a verb reports back to main: the process exit code.
struct RunState {
  int exit_code = 0;
  int error_exit_code = kExitPodError;  // podman's 125; OCI runtimes (crun, runc) use 1
  char** argv = nullptr;  // as started
  // When set, picks the exit code for an error (else error_exit_code).
  std::function<int(const pod::Error&)> exit_code_for;
};

// Adds the hidden generator verbs (__cli-json, __completion, __man; see cli_describe.hpp),
// parses argv, runs the chosen callback and returns the exit code.
int run_tool(CLI::App& app, RunState& state, int argc, char** argv);

}  // namespace pod::tools
