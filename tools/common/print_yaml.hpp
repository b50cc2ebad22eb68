// Prints a JSON value as the YAML-like text podman's `info` shows by default.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace pod::tools {

void print_yaml(const nlohmann::json& value);

}  // namespace pod::tools
