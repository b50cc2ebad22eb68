// Facts about the host and the invoking user that `pod info` reports and that later decisions
// (id mapping, store placement) rest on.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "rootless/idmap.hpp"
#include "storage/store_paths.hpp"

namespace pod::rootless {

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
  std::vector<std::string> warnings;  // each a degraded mode or a problem, with its fix
  storage::StorePaths store;
};

struct HostInfoInputs {
  SubidSources subids;
  std::string root_override;     // --root
  std::string runroot_override;  // --runroot
};

HostInfo collect_host_info(const HostInfoInputs& inputs);

// The invoking user's name (or the number when it has none).
std::string user_name_of(uid_t uid);

}  // namespace pod::rootless
