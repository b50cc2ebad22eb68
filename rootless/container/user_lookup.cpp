#include "rootless/container/user_lookup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <sstream>

#include "libcore/sys/error.hpp"
#include "libcore/sys/root_path.hpp"

namespace pod::rootless::container {
namespace {

std::optional<std::uint32_t> as_number(const std::string& s) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const unsigned long long v = std::stoull(s);
  if (v > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// The container's file, read inside its root; empty when absent.
std::string read_in_root(const std::string& rootfs, const char* path) {
  const UniqueFd root(::open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) throw_errno("open the root filesystem", rootfs);
  auto fd = try_open_in_root(root.get(), path, O_RDONLY | O_CLOEXEC);
  if (!fd) return {};
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fd->get(), buf, sizeof buf)) > 0 && out.size() < (4u << 20)) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

struct Entry {
  std::string name;
  std::uint32_t id = 0;
  std::uint32_t gid = 0;                 // passwd only
  std::vector<std::string> members;      // group only
};

// passwd: name:x:uid:gid:…  group: name:x:gid:member,member
std::vector<Entry> parse_db(const std::string& text, bool group) {
  std::vector<Entry> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto f = split(line, ':');
    if (f.size() < 4 || f[0].empty() || f[0][0] == '#') continue;
    const auto id = as_number(f[2]);
    if (!id) continue;
    Entry e{f[0], *id, 0, {}};
    if (group) {
      e.members = split(f[3], ',');
    } else if (auto gid = as_number(f[3])) {
      e.gid = *gid;
    }
    out.push_back(e);
  }
  return out;
}

const Entry* find(const std::vector<Entry>& db, const std::string& name_or_id) {
  const auto id = as_number(name_or_id);
  for (const auto& e : db) {
    if (id ? e.id == *id : e.name == name_or_id) return &e;
  }
  return nullptr;
}

}  // namespace

core::oci::ProcessUser resolve_user(const std::string& rootfs, const std::string& spec) {
  core::oci::ProcessUser out;
  if (spec.empty()) return out;
  const auto colon = spec.find(':');
  const std::string user = spec.substr(0, colon);
  const std::string group = colon == std::string::npos ? "" : spec.substr(colon + 1);
  const auto passwd = parse_db(read_in_root(rootfs, "/etc/passwd"), false);
  const auto groups = parse_db(read_in_root(rootfs, "/etc/group"), true);
  const Entry* u = find(passwd, user);
  if (u) {
    out.uid = u->id;
    out.gid = u->gid;
  } else if (auto uid = as_number(user)) {
    out.uid = *uid;
  } else {
    throw Error("user " + quote_untrusted(user) + " is not in the container's /etc/passwd", ErrorKind::invalid_input);
  }
  if (!group.empty()) {
    if (const Entry* g = find(groups, group)) {
      out.gid = g->id;
    } else if (auto gid = as_number(group)) {
      out.gid = *gid;
    } else {
      throw Error("group " + quote_untrusted(group) + " is not in the container's /etc/group", ErrorKind::invalid_input);
    }
  }
  if (u) {
    for (const auto& g : groups) {
      if (g.id != out.gid && std::find(g.members.begin(), g.members.end(), u->name) != g.members.end()) {
        out.additional_gids.push_back(g.id);
      }
    }
  }
  return out;
}

}  // namespace pod::rootless::container
