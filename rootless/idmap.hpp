// The id maps a rootless user's namespaces get, planned from /etc/subuid and /etc/subgid
// (pure: no namespaces are touched here). 0 is the user's own id; 1.. are the subordinate
// ranges in file order. Without ranges: the single-id fallback, with a warning and its fix.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "rootless/subid.hpp"

namespace pod::rootless {

// Container ids [container_id, +size) are host ids [host_id, +size).
struct IdMapEntry {
  std::uint32_t container_id = 0;
  std::uint32_t host_id = 0;
  std::uint32_t size = 0;
  friend bool operator==(const IdMapEntry&, const IdMapEntry&) = default;
};

// Images routinely own files as 65534 (nobody); fewer ids than this cannot hold them.
inline constexpr std::uint64_t kMinimumSubordinateIds = 65536;

struct IdMapPlan {
  std::vector<IdMapEntry> uid_map;
  std::vector<IdMapEntry> gid_map;
  bool single_id = false;             // no ranges: only the user's own id is mapped
  std::vector<std::string> warnings;  // the single-id fallback, with the fix
  std::string error;                  // ranges exist but are too small; empty when fine
};

struct SubidSources {
  std::string subuid_path = "/etc/subuid";
  std::string subgid_path = "/etc/subgid";
};

std::vector<IdMapEntry> rootless_id_map(std::uint32_t own_id, const std::vector<IdRange>& ranges);

IdMapPlan plan_id_maps(uid_t uid, gid_t gid, const std::string& user_name, const SubidSources& sources);

// "0 1000 1\n1 100000 65536\n" — the format of /proc/PID/uid_map.
std::string format_id_map(const std::vector<IdMapEntry>& map);

}  // namespace pod::rootless
