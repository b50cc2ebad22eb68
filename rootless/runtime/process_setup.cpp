#include "rootless/runtime/process_setup.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "rootless/runtime/console.hpp"
#include "rootless/runtime/seccomp_filter.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::Process;

constexpr int kLastCap = 40;  // CAP_CHECKPOINT_RESTORE

std::uint64_t cap_mask(const std::vector<std::string>& names) {
  std::uint64_t mask = 0;
  for (const auto& n : names) {
    const auto number = core::oci::capability_number(n);
    if (!number) throw Error("unknown capability " + quote(n), ErrorKind::invalid_input);
    mask |= std::uint64_t{1} << *number;
  }
  return mask;
}

void write_proc_self(const char* file, const std::string& value) {
  const std::string path = std::string("/proc/self/") + file;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd || ::write(fd.get(), value.data(), value.size()) < 0) throw_errno("write", path);
}

std::string env_value(const std::vector<std::string>& env, const std::string& key) {
  for (const auto& e : env) {
    if (e.rfind(key + "=", 0) == 0) return e.substr(key.size() + 1);
  }
  return {};
}

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

void drop_bounding(std::uint64_t keep) {
  for (int cap = 0; cap <= kLastCap; ++cap) {
    if (keep & (std::uint64_t{1} << cap)) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) throw_errno("drop capability from the bounding set");
  }
}

void set_capabilities(const core::oci::Capabilities& caps) {
  const std::uint64_t effective = cap_mask(caps.effective);
  const std::uint64_t permitted = cap_mask(caps.permitted);
  const std::uint64_t inheritable = cap_mask(caps.inheritable);
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  for (int i = 0; i < 2; ++i) {
    data[i].effective = static_cast<std::uint32_t>(effective >> (32 * i));
    data[i].permitted = static_cast<std::uint32_t>(permitted >> (32 * i));
    data[i].inheritable = static_cast<std::uint32_t>(inheritable >> (32 * i));
  }
  if (::syscall(SYS_capset, &header, data) != 0) throw_errno("set capabilities");
  for (const auto& name : caps.ambient) {
    const int cap = *core::oci::capability_number(name);
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0) throw_errno("raise ambient capability", name);
  }
}

// EINVAL from setresuid/setresgid means the id has no mapping: say that, not "Invalid argument".
[[noreturn]] void fail_identity(const char* what, std::uint32_t id) {
  if (errno == EINVAL) {
    throw Error(std::string(what) + " " + std::to_string(id) +
                    " is not mapped in the container's user namespace (see linux.uidMappings/gidMappings)",
                ErrorKind::invalid_input);
  }
  throw_errno(std::string("set ") + what, std::to_string(id));
}

}  // namespace

void apply_limits(const Process& process) {
  for (const auto& r : process.rlimits) {
    const auto resource = core::oci::rlimit_resource(r.type);
    const rlimit value{r.soft, r.hard};
    if (!resource || ::setrlimit(static_cast<__rlimit_resource>(*resource), &value) != 0) throw_errno("set", r.type);
  }
  if (process.user.umask) ::umask(static_cast<mode_t>(*process.user.umask));
  if (process.oom_score_adj) write_proc_self("oom_score_adj", std::to_string(*process.oom_score_adj));
}

void become_user(const Process& process) {
  const auto& u = process.user;
  drop_bounding(cap_mask(process.capabilities.bounding));
  // Keep the permitted set across the uid change; capset below then sets exactly what was asked.
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) throw_errno("keep capabilities");
  std::vector<gid_t> groups(u.additional_gids.begin(), u.additional_gids.end());
  // setgroups is denied in a user namespace with the single-id mapping; then only an empty
  // list is acceptable and nothing needs doing.
  if (::setgroups(groups.size(), groups.data()) != 0 && !(errno == EPERM && groups.empty())) throw_errno("set groups");
  if (::setresgid(u.gid, u.gid, u.gid) != 0) fail_identity("gid", u.gid);
  if (::setresuid(u.uid, u.uid, u.uid) != 0) fail_identity("uid", u.uid);
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) throw_errno("reset keep-capabilities");
  set_capabilities(process.capabilities);
  if (process.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) throw_errno("set no_new_privs");
}

std::string resolve_executable(const Process& process) {
  const std::string& name = process.args.front();
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), F_OK) != 0) throw Error("executable " + quote(name) + " not found", ErrorKind::not_found);
    return name;
  }
  std::string path = env_value(process.env, "PATH");
  if (path.empty()) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  std::size_t start = 0;
  for (;;) {
    const auto colon = path.find(':', start);
    const std::string candidate = path.substr(start, colon - start) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  throw Error("executable file " + quote(name) + " not found in $PATH", ErrorKind::not_found);
}

std::string prepare_process(const ProcessLaunch& launch) {
  const Process& process = *launch.process;
  if (process.terminal) set_up_terminal(launch.console_socket, process.console_size);
  apply_limits(process);
  // Without no_new_privs the kernel wants CAP_SYS_ADMIN to load a filter: load it while root.
  if (launch.seccomp != nullptr && !process.no_new_privileges) launch.seccomp->load();
  become_user(process);
  return resolve_executable(process);
}

void launch_process(const ProcessLaunch& launch, const std::string& executable) {
  const unsigned first = 3u + static_cast<unsigned>(launch.preserve_fds);
  if (::syscall(SYS_close_range, first, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
    std::fprintf(stderr, "pod-runtime: close_range: %s\n", std::strerror(errno));
    _exit(126);
  }
  if (launch.seccomp != nullptr && launch.process->no_new_privileges) {
    try {
      launch.seccomp->load();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "pod-runtime: %s\n", e.what());
      _exit(126);
    }
  }
  exec_process(*launch.process, executable);
}

void exec_process(const Process& process, const std::string& executable) {
  if (::chdir(process.cwd.c_str()) != 0) {
    std::fprintf(stderr, "pod-runtime: chdir `%s`: %s\n", process.cwd.c_str(), std::strerror(errno));
    _exit(126);
  }
  std::vector<char*> argv;
  for (const auto& a : process.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : process.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(executable.c_str(), argv.data(), envp.data());
  const int err = errno;
  std::fprintf(stderr, "pod-runtime: exec `%s`: %s\n", executable.c_str(), std::strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}

}  // namespace pod::rootless::runtime
