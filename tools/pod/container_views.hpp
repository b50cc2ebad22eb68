// How containers are shown: ps rows, Podman-like status text, inspect JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "storage/container_status.hpp"
#include "storage/container_store.hpp"

namespace pod::tools {

// "Up 5 seconds", "Exited (0) 2 minutes ago", "Created".
std::string status_text(const storage::ContainerState& state, const std::string& created);

nlohmann::json ps_json(const storage::ContainerRecord& record, const storage::ContainerState& state);
nlohmann::json inspect_json(const storage::ContainerRecord& record, const storage::ContainerState& state,
                            const std::string& dir);

}  // namespace pod::tools
