#include "rootless/host_info.hpp"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "libcore/oci/platform.hpp"

namespace pod::rootless {
namespace {

std::string user_name_of(uid_t uid) {
  struct passwd pw {};
  struct passwd* result = nullptr;
  char buf[4096];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &result) == 0 && result != nullptr) return pw.pw_name;
  return std::to_string(uid);
}

std::string missing_ranges_warning(const HostInfo& h, const char* file) {
  return std::string("no subordinate ids for user `") + h.user_name + "` in " + file +
         ": containers get a single id; fix: sudo usermod --add-subuids 100000-165535 --add-subgids "
         "100000-165535 " + h.user_name;
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

HostInfo collect_host_info(const HostInfoInputs& inputs) {
  HostInfo h;
  struct utsname u {};
  ::uname(&u);
  const auto platform = core::oci::host_platform();
  h.os = platform.os;
  h.arch = platform.architecture;
  h.kernel = u.release;
  h.hostname = u.nodename;
  h.uid = ::geteuid();
  h.gid = ::getegid();
  h.rootless = h.uid != 0;
  h.user_name = user_name_of(h.uid);
  if (h.rootless) {
    const auto uids = read_subid_ranges(inputs.subuid_path, h.user_name, h.uid);
    const auto gids = read_subid_ranges(inputs.subgid_path, h.user_name, h.uid);
    h.uid_map = rootless_id_map(h.uid, uids);
    h.gid_map = rootless_id_map(h.gid, gids);
    if (uids.empty()) h.warnings.push_back(missing_ranges_warning(h, inputs.subuid_path.c_str()));
    if (gids.empty()) h.warnings.push_back(missing_ranges_warning(h, inputs.subgid_path.c_str()));
  } else {
    h.uid_map = {{0, 0, 4294967295u}};
    h.gid_map = h.uid_map;
  }
  h.store = storage::default_store_paths(h.uid, process_env);
  if (!inputs.root_override.empty()) h.store.root = inputs.root_override;
  if (!inputs.runroot_override.empty()) h.store.runroot = inputs.runroot_override;
  return h;
}

}  // namespace pod::rootless
