// Where the host's cgroups are and which part of them the user may write: the first half of
// resource limits for unprivileged users (issue "Delegated cgroups"). Pure parsing of
// /proc/self/mountinfo and /proc/self/cgroup, and checks of ownership under a root directory
// that tests point at a fake tree.
//   v2      one cgroup2 hierarchy at /sys/fs/cgroup (what systemd distributions run): the
//           user's delegated cgroup is the nearest ancestor of its own cgroup that it owns
//           (user@UID.service), with the controllers listed in its cgroup.controllers;
//   hybrid  v1 controller hierarchies plus an (often empty) cgroup2 one;
//   v1      controller hierarchies only: each controller is delegated when the user owns a
//           directory on the way from the hierarchy's root to its own cgroup there, or the
//           directory an administrator made for it: <hierarchy>/pod/<uid> (.ci/setup makes
//           these for the test user; v1 has no delegation of its own).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pod::rootless::cgroup {

enum class Version { none, v1, hybrid, v2 };
std::string_view to_string(Version version);

struct Layout {
  Version version = Version::none;
  std::string unified_mount;                       // the cgroup2 mount point, if any
  std::map<std::string, std::string> v1_mounts;    // controller ("memory", "name=systemd") → mount point
};

// From /proc/self/mountinfo's text.
Layout parse_layout(std::string_view mountinfo);

// From /proc/self/cgroup's text: hierarchy's controllers ("" for v2) → path in it.
std::map<std::string, std::string> parse_membership(std::string_view proc_self_cgroup);

struct Delegation {
  std::string v2_dir;                              // the user's delegated cgroup2 directory
  std::vector<std::string> v2_controllers;         // from its cgroup.controllers
  std::map<std::string, std::string> v1_dirs;      // controller → a directory the user owns
  std::map<std::string, std::string> missing;      // controller → why it cannot be used

  // Whether `controller` ("memory", "io"…) can be used, in either hierarchy.
  bool can_use(const std::string& controller) const;
};

// The controllers pod limits with.
const std::vector<std::string>& wanted_controllers();

// `root` prefixes every path (empty for the real system). `uid` is the owner as this process
// sees it; `path_uid` names <hierarchy>/pod/<uid> (they differ inside a user namespace, where
// the user's own uid is seen as 0); -1 means `uid`.
Delegation find_delegation(const Layout& layout, const std::map<std::string, std::string>& membership, uid_t uid,
                           const std::string& root = "", uid_t path_uid = static_cast<uid_t>(-1));

// The delegation of the calling process, from /proc/self: the uid outside a user namespace is
// the one its uid 0 maps to.
Delegation own_delegation(Layout* layout_out = nullptr);

}  // namespace pod::rootless::cgroup
