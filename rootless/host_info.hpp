// Facts about the host and the invoking user that `pod info` reports and that later decisions
// (id mapping, store placement) rest on.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "rootless/subid.hpp"
#include "storage/store_paths.hpp"

namespace pod::rootless {

// One line of an id map: container ids [container_id, +size) are host ids [host_id, +size).
struct IdMapEntry {
  std::uint32_t container_id = 0;
  std::uint32_t host_id = 0;
  std::uint32_t size = 0;
};

struct HostInfo {
  std::string os;
  std::string arch;
  std::string kernel;
  std::string hostname;
  bool rootless = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string user_name;
  std::vector<IdMapEntry> uid_map;  // what a container of this user gets
  std::vector<IdMapEntry> gid_map;
  std::vector<std::string> warnings;  // each a degraded mode, with its fix
  storage::StorePaths store;
};

struct HostInfoInputs {
  std::string subuid_path = "/etc/subuid";
  std::string subgid_path = "/etc/subgid";
  std::string root_override;     // --root
  std::string runroot_override;  // --runroot
};

HostInfo collect_host_info(const HostInfoInputs& inputs);

// The map a rootless user gets: 0 → the user's own id, 1.. → the subordinate ranges in order.
// Without ranges only the single entry (the single-id fallback).
std::vector<IdMapEntry> rootless_id_map(std::uint32_t own_id, const std::vector<IdRange>& ranges);

}  // namespace pod::rootless
