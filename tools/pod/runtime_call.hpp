// Running a container's OCI runtime (pod-runtime unless the container was created with
// --runtime) against pod's runtime state directory, from where pod is.
#pragma once

#include <string>
#include <vector>

#include "storage/container_store.hpp"
#include "tools/pod/store_access.hpp"

namespace pod::tools {

// {runtime, "--root", DIR}: the start of every runtime command line for `record`.
std::vector<std::string> runtime_command(const GlobalOptions& global, const storage::ContainerRecord& record);

// Runs `runtime_command + args`; Error("<doing> container NAME: <its output>") when it fails.
void call_runtime(const GlobalOptions& global, const storage::ContainerRecord& record,
                  const std::vector<std::string>& args, const std::string& doing);

}  // namespace pod::tools
