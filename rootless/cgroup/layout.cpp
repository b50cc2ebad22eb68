#include "rootless/cgroup/layout.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "libcore/sys/files.hpp"

namespace pod::rootless::cgroup {
namespace {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

bool owned_by(const std::string& path, uid_t uid) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid;
}

// The nearest directory from `mount + path` up to `mount` that `uid` owns; the hierarchy's
// root itself only when `include_top` (root's case: it owns the whole hierarchy).
std::string owned_ancestor(const std::string& root, const std::string& mount, std::string path, uid_t uid,
                           bool include_top = true) {
  for (;;) {
    if (!include_top && (path == "/" || path.empty())) return {};
    const std::string dir = root + mount + (path == "/" ? "" : path);
    if (owned_by(dir, uid)) return dir;
    if (path == "/" || path.empty()) return {};
    const auto slash = path.rfind('/');
    path = slash == 0 ? "/" : path.substr(0, slash);
  }
}

void delegate_v2(const Layout& layout, const std::map<std::string, std::string>& membership, uid_t uid,
                 const std::string& root, Delegation& d) {
  const auto it = membership.find("");
  if (layout.unified_mount.empty() || it == membership.end()) return;
  // The highest directory the user owns on the way up from its own cgroup: what systemd
  // delegates (user@UID.service), not the session scope the process sits in — a cgroup with
  // processes of its own cannot hand controllers to children.
  const std::string top = root + layout.unified_mount;
  std::string dir = owned_ancestor(root, layout.unified_mount, it->second, uid, uid == 0);
  while (!dir.empty() && dir != top) {
    const std::string parent = dir.substr(0, dir.rfind('/'));
    if (parent.size() < top.size() || (parent == top && uid != 0) || !owned_by(parent, uid)) break;
    dir = parent;
  }
  d.v2_dir = dir;
  if (d.v2_dir.empty()) return;
  const auto text = try_read_file(d.v2_dir + "/cgroup.controllers", 4096).value_or("");
  std::istringstream in(text);
  for (std::string c; in >> c;) d.v2_controllers.push_back(c);
}

}  // namespace

std::string_view to_string(Version version) {
  switch (version) {
    case Version::none: return "none";
    case Version::v1: return "v1";
    case Version::hybrid: return "v1 (hybrid: with a cgroup2 hierarchy)";
    case Version::v2: return "v2";
  }
  return "?";
}

Layout parse_layout(std::string_view mountinfo) {
  Layout layout;
  for (const auto& line : split(mountinfo, '\n')) {
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    const auto before = split(std::string_view(line).substr(0, dash), ' ');
    const auto after = split(std::string_view(line).substr(dash + 3), ' ');
    if (before.size() < 5 || after.size() < 3) continue;
    const std::string& mount_point = before[4];
    if (after[0] == "cgroup2") {
      layout.unified_mount = mount_point;
    } else if (after[0] == "cgroup") {
      for (const auto& option : split(after[2], ',')) {
        if (option != "rw" && option != "ro" && option.rfind("release_agent", 0) != 0 && option != "clone_children" &&
            option != "noprefix" && option != "xattr") {
          layout.v1_mounts[option] = mount_point;
        }
      }
    }
  }
  const bool v1 = !layout.v1_mounts.empty();
  const bool v2 = !layout.unified_mount.empty();
  layout.version = v1 && v2 ? Version::hybrid : v1 ? Version::v1 : v2 ? Version::v2 : Version::none;
  return layout;
}

std::map<std::string, std::string> parse_membership(std::string_view proc_self_cgroup) {
  std::map<std::string, std::string> out;
  for (const auto& line : split(proc_self_cgroup, '\n')) {
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      out[""] = path;
      continue;
    }
    for (const auto& c : split(controllers, ',')) out[c] = path;
  }
  return out;
}

const std::vector<std::string>& wanted_controllers() {
  static const std::vector<std::string> names = {"memory", "pids", "cpu", "cpuacct", "cpuset", "io", "blkio", "freezer"};
  return names;
}

Delegation find_delegation(const Layout& layout, const std::map<std::string, std::string>& membership, uid_t uid,
                           const std::string& root, uid_t path_uid) {
  if (path_uid == static_cast<uid_t>(-1)) path_uid = uid;
  Delegation d;
  delegate_v2(layout, membership, uid, root, d);
  for (const auto& controller : wanted_controllers()) {
    if (std::find(d.v2_controllers.begin(), d.v2_controllers.end(), controller) != d.v2_controllers.end()) continue;
    // Any cgroup2 directory can be frozen (cgroup.freeze) and counts its CPU time (cpu.stat).
    if (!d.v2_dir.empty() && (controller == "freezer" || controller == "cpuacct")) continue;
    const auto mount = layout.v1_mounts.find(controller);
    if (mount == layout.v1_mounts.end()) {
      // One of io and blkio is enough; cpuacct is v1's alone.
      if (controller == "io" || controller == "blkio" || controller == "cpuacct") continue;
      d.missing[controller] = d.v2_dir.empty() ? "not mounted, and no delegated cgroup2 subtree"
                                               : "not in the delegated cgroup2 subtree's cgroup.controllers";
      continue;
    }
    // Below the top: an owned ancestor of its own cgroup, else the administrator's pod/<uid>,
    // else the top itself (root owns it).
    const auto member = membership.find(controller);
    const std::string own_path = member == membership.end() ? "/" : member->second;
    const std::string made_for_user = root + mount->second + "/pod/" + std::to_string(path_uid);
    std::string dir = owned_ancestor(root, mount->second, own_path, uid, false);
    if (dir.empty() && owned_by(made_for_user, uid)) dir = made_for_user;
    if (dir.empty()) dir = owned_ancestor(root, mount->second, "/", uid);
    if (dir.empty()) {
      d.missing[controller] = "no directory of " + mount->second + " is owned by uid " + std::to_string(path_uid) +
                              " (fix, as root: mkdir " + mount->second + "/pod/" + std::to_string(path_uid) +
                              " and chown -R it to the user)";
    } else {
      d.v1_dirs[controller] = dir;
    }
  }
  return d;
}

bool Delegation::can_use(const std::string& controller) const {
  const std::string v1 = controller == "io" ? "blkio" : controller;
  const bool in_v2 = !v2_dir.empty() && std::find(v2_controllers.begin(), v2_controllers.end(), controller) != v2_controllers.end();
  return in_v2 || v1_dirs.count(v1) != 0;
}

Delegation own_delegation(Layout* layout_out) {
  const Layout layout = parse_layout(try_read_file("/proc/self/mountinfo", 1u << 20).value_or(""));
  const auto membership = parse_membership(try_read_file("/proc/self/cgroup", 1u << 16).value_or(""));
  // "0 1001 1": inside pod's user namespace, the user is 1001 outside.
  uid_t outside = ::geteuid();
  std::istringstream map(try_read_file("/proc/self/uid_map", 4096).value_or(""));
  std::uint64_t inside = 0, host = 0, size = 0;
  while (map >> inside >> host >> size) {
    if (inside <= ::geteuid() && ::geteuid() < inside + size) outside = static_cast<uid_t>(host + (::geteuid() - inside));
  }
  if (layout_out) *layout_out = layout;
  return find_delegation(layout, membership, ::geteuid(), "", outside);
}

}  // namespace pod::rootless::cgroup
