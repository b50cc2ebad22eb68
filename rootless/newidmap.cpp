#include "rootless/newidmap.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/process.hpp"

namespace pod::rootless {
namespace {

std::string search_path(const std::string& name) {
  std::string path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  if (const char* env = std::getenv("PATH"); env && *env) path = std::string(env) + ":" + path;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto colon = path.find(':', start);
    const std::string dir = path.substr(start, colon - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

bool has_file_capabilities(const std::string& path) {
  return ::getxattr(path.c_str(), "security.capability", nullptr, 0) > 0;
}

void write_proc_file(pid_t pid, const char* name, const std::string& content) {
  const std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", path);
  if (::write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    throw_errno("write", path);
  }
}

}  // namespace

std::string find_privileged_helper(const std::string& name) {
  const std::string path = search_path(name);
  if (path.empty()) {
    throw Error(name + " is not installed: it maps the subordinate ids of /etc/subuid into user namespaces "
                       "(fix: sudo apt-get install uidmap)");
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno("stat", path);
  const bool setuid_root = (st.st_mode & S_ISUID) && st.st_uid == 0;
  if (!setuid_root && !has_file_capabilities(path)) {
    throw Error(quote(path) + " is neither setuid root nor has file capabilities, so it cannot map ids "
                "(fix: sudo chmod u+s " + path + ", or reinstall the uidmap package)");
  }
  return path;
}

void write_maps_with_helpers(pid_t pid, const std::vector<IdMapEntry>& uids, const std::vector<IdMapEntry>& gids) {
  const auto argv_for = [pid](const std::string& helper, const std::vector<IdMapEntry>& map) {
    std::vector<std::string> argv{helper, std::to_string(pid)};
    for (const auto& e : map) {
      argv.push_back(std::to_string(e.container_id));
      argv.push_back(std::to_string(e.host_id));
      argv.push_back(std::to_string(e.size));
    }
    return argv;
  };
  // Two setuid programs to start: at the same time, as each costs a process start.
  RunningCommand commands[] = {start_command(argv_for(find_privileged_helper("newuidmap"), uids)),
                               start_command(argv_for(find_privileged_helper("newgidmap"), gids))};
  std::string failure;
  for (auto& c : commands) {
    const CommandResult r = finish_command(c);
    if (r.exit_code != 0 && failure.empty()) {
      failure = c.name + " failed (" + describe_exit(r) + "): " + quote_untrusted(r.output, 300);
    }
  }
  if (!failure.empty()) throw Error(failure);
}

void write_maps_as_root(pid_t pid, const std::vector<IdMapEntry>& uids, const std::vector<IdMapEntry>& gids) {
  write_proc_file(pid, "uid_map", format_id_map(uids));
  write_proc_file(pid, "gid_map", format_id_map(gids));
}

void write_single_id_maps(pid_t pid, const IdMapEntry& uid, const IdMapEntry& gid) {
  // An unprivileged writer may map only its own ids, and only after denying setgroups.
  write_proc_file(pid, "setgroups", "deny");
  write_proc_file(pid, "uid_map", format_id_map({uid}));
  write_proc_file(pid, "gid_map", format_id_map({gid}));
}

}  // namespace pod::rootless
