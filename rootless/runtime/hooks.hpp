// The spec's hooks: programs run at points of a container's life with its state JSON on stdin.
//   createRuntime (and the deprecated prestart): by the runtime, after the namespaces exist,
//     before the root filesystem is set up;
//   createContainer: by the init in the container's namespaces, before pivot_root;
//   startContainer: by the init, after `start`, right before the user's program;
//   poststart: by `start` once the program runs; poststop: by `delete`.
// A failing create/start hook fails the operation (and the container is destroyed); poststart
// and poststop failures are warnings, as the spec says.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libcore/oci/runtime_spec.hpp"

namespace pod::rootless::runtime {

// Runs each hook in turn: `path` executed directly (not searched), with `args` (args[0] is its
// argv[0]; absent: the path) and exactly `env`; killed when it outlives `timeout`. Throws Error
// "<kind> hook `path`: exit code N" at the first failure.
void run_hooks(const std::vector<core::oci::Hook>& hooks, std::string_view kind, const std::string& state_json);

// Runs them and logs a warning for each failure instead of throwing.
void run_hooks_warning(const std::vector<core::oci::Hook>& hooks, std::string_view kind, const std::string& state_json);

bool has_create_hooks(const core::oci::Hooks& hooks);  // createRuntime, prestart, createContainer or startContainer

}  // namespace pod::rootless::runtime
