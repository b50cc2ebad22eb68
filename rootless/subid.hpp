// Subordinate id ranges from /etc/subuid and /etc/subgid ("name-or-uid:start:count" lines),
// the ids an unprivileged user may map into its user namespaces through newuidmap/newgidmap.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pod::rootless {

struct IdRange {
  std::uint32_t start = 0;
  std::uint32_t count = 0;
  friend bool operator==(const IdRange&, const IdRange&) = default;
};

// The ranges granted to the user, matched by name or by numeric id, in file order.
// Malformed lines are skipped, as shadow-utils does; comments (#) and blank lines too.
std::vector<IdRange> parse_subid_ranges(std::string_view file_text, std::string_view user_name, uid_t id);

// Reads `path`; a missing file means no ranges. Other read errors throw.
std::vector<IdRange> read_subid_ranges(const std::string& path, std::string_view user_name, uid_t id);

std::uint64_t total_ids(const std::vector<IdRange>& ranges);

}  // namespace pod::rootless
