#include "rootless/host_info.hpp"

#include <pwd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "libcore/oci/platform.hpp"

namespace pod::rootless {
std::string user_name_of(uid_t uid) {
  struct passwd pw {};
  struct passwd* result = nullptr;
  char buf[4096];
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &result) == 0 && result != nullptr) return pw.pw_name;
  return std::to_string(uid);
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
    IdMapPlan plan = plan_id_maps(h.uid, h.gid, h.user_name, inputs.subids);
    h.uid_map = std::move(plan.uid_map);
    h.gid_map = std::move(plan.gid_map);
    h.warnings = std::move(plan.warnings);
    if (!plan.error.empty()) h.warnings.push_back(plan.error);
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
