#include "rootless/idmap.hpp"

namespace pod::rootless {
namespace {

std::string fix_for(const std::string& user) {
  return "fix: sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user;
}

void check_ranges(IdMapPlan& plan, const std::vector<IdRange>& ranges, const std::string& user, const std::string& path) {
  if (ranges.empty()) {
    if (plan.single_id) {  // one warning for both files
      plan.warnings.back().replace(plan.warnings.back().find(':'), 0, " and " + path);
      return;
    }
    plan.single_id = true;
    plan.warnings.push_back("no subordinate ids for user `" + user + "` in " + path +
                            ": containers get a single id; " + fix_for(user));
    return;
  }
  const std::uint64_t total = total_ids(ranges);
  if (total < kMinimumSubordinateIds && plan.error.empty()) {
    plan.error = "user `" + user + "` has only " + std::to_string(total) + " subordinate ids in " + path +
                 "; images need " + std::to_string(kMinimumSubordinateIds) + " (" + fix_for(user) + ")";
  }
}

}  // namespace

std::vector<IdMapEntry> rootless_id_map(std::uint32_t own_id, const std::vector<IdRange>& ranges) {
  std::vector<IdMapEntry> map{{0, own_id, 1}};
  std::uint32_t next = 1;
  for (const auto& r : ranges) {
    map.push_back({next, r.start, r.count});
    next += r.count;
  }
  return map;
}

IdMapPlan plan_id_maps(uid_t uid, gid_t gid, const std::string& user_name, const SubidSources& sources) {
  IdMapPlan plan;
  const auto uids = read_subid_ranges(sources.subuid_path, user_name, uid);
  const auto gids = read_subid_ranges(sources.subgid_path, user_name, uid);
  check_ranges(plan, uids, user_name, sources.subuid_path);
  check_ranges(plan, gids, user_name, sources.subgid_path);
  if (plan.single_id) {
    plan.uid_map = {{0, uid, 1}};
    plan.gid_map = {{0, gid, 1}};
  } else {
    plan.uid_map = rootless_id_map(uid, uids);
    plan.gid_map = rootless_id_map(gid, gids);
  }
  return plan;
}

std::string format_id_map(const std::vector<IdMapEntry>& map) {
  std::string out;
  for (const auto& e : map) {
    out += std::to_string(e.container_id) + " " + std::to_string(e.host_id) + " " + std::to_string(e.size) + "\n";
  }
  return out;
}

}  // namespace pod::rootless
