// Writing a child's id maps with the setuid helpers newuidmap/newgidmap (shadow-utils), the
// only way an unprivileged user can map more than its own id.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "rootless/idmap.hpp"

namespace pod::rootless {

// The helper's path when it is installed and privileged (setuid root or file capabilities).
// Throws Error naming the fix when it is missing or unprivileged.
std::string find_privileged_helper(const std::string& name);

// Runs newuidmap and newgidmap for `pid`, side by side; a failure quotes the helper's output.
void write_maps_with_helpers(pid_t pid, const std::vector<IdMapEntry>& uids, const std::vector<IdMapEntry>& gids);

// As root (on the host, or in a user namespace whose ids cover the maps): writes the maps
// directly, setgroups left allowed; the kernel checks them against the writer's namespace.
void write_maps_as_root(pid_t pid, const std::vector<IdMapEntry>& uids, const std::vector<IdMapEntry>& gids);

// The single-id fallback: writes "deny" to setgroups and the one-line maps directly.
void write_single_id_maps(pid_t pid, const IdMapEntry& uid, const IdMapEntry& gid);

}  // namespace pod::rootless
