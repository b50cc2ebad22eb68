// pod-test-rootfs-try: runs setup_rootfs() for real, without the rest of the runtime, so the
// system tests can look at a container's mounts before pod-runtime exists.
//
//   pod-test-rootfs-try --spec DIR [--rw-root] [--no-netns] [--sysfs] [--bind=…]… [-- ARGS...]
//       writes DIR/config.json: default_spec(rootless = not root or forced, own uid/gid), no terminal,
//       hostname `rootfs-try`, the command ARGS (default: sh). --rw-root: root.readonly off;
//       --no-netns: no network namespace; --sysfs: mount sysfs on /sys even when rootless;
//       --bind=SRC:DST[:OPTIONS]: add a bind mount (OPTIONS comma-separated, "bind" implied).
//   pod-test-rootfs-try BUNDLE
//       reads BUNDLE/config.json and runs its process in new namespaces: user (rootless: its
//       own id mapped to 0, written directly), mount, pid, and uts/ipc/net/cgroup when the spec
//       asks (POD_TEST_FORCE_USERNS=1: a user namespace even as root). The child (pid 1) calls
//       setup_rootfs() and execs. POD_TEST_NO_OPENAT2=1: paths resolved by the fallback walker. Exit code: the command's, 125
//       when setup failed (the message on stderr), 127 when the command cannot be run.
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/root_path.hpp"
#include "rootless/runtime/rootfs.hpp"

namespace {

using pod::core::oci::NamespaceType;
using pod::core::oci::RuntimeSpec;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw pod::Error("cannot read `" + path + "`");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) throw pod::Error("cannot write `" + path + "`");
}

// Not root, or POD_TEST_FORCE_USERNS=1: a new user namespace even as root — as root of an outer
// `unshare -Ur`, that makes the outer namespace's mounts locked, as the host's are for a user.
bool wants_userns() {
  const char* force = std::getenv("POD_TEST_FORCE_USERNS");
  return ::getuid() != 0 || (force != nullptr && std::string_view(force) == "1");
}

// "SRC:DST[:OPT,OPT…]" → a bind mount.
pod::core::oci::Mount parse_bind(const std::string& value) {
  const auto first = value.find(':');
  if (first == std::string::npos) throw pod::Error("--bind: expected SRC:DST[:OPTIONS], got `" + value + "`");
  const auto second = value.find(':', first + 1);
  pod::core::oci::Mount m{value.substr(first + 1, second - first - 1), "bind", value.substr(0, first), {"bind"}};
  if (second == std::string::npos) return m;
  std::istringstream options(value.substr(second + 1));
  for (std::string o; std::getline(options, o, ',');) m.options.push_back(o);
  return m;
}

int write_spec(const std::string& dir, const std::vector<std::string>& args) {
  const bool rootless = wants_userns();
  RuntimeSpec spec = pod::core::oci::default_spec(rootless, ::getuid(), ::getgid());
  std::vector<std::string> command;
  bool in_command = false;
  for (const auto& a : args) {
    if (in_command) {
      command.push_back(a);
    } else if (a == "--") {
      in_command = true;
    } else if (a == "--rw-root") {
      spec.root.readonly = false;
    } else if (a == "--no-netns") {
      std::erase_if(spec.linux_spec->namespaces, [](const auto& ns) { return ns.type == NamespaceType::network; });
    } else if (a.starts_with("--bind=")) {
      spec.mounts.push_back(parse_bind(a.substr(7)));
    } else if (a == "--sysfs") {
      for (auto& m : spec.mounts) {
        if (m.destination == "/sys") m = {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}};
      }
    } else {
      throw pod::Error("unknown option `" + a + "`");
    }
  }
  if (!command.empty()) spec.process->args = command;
  spec.process->terminal = false;
  spec.hostname = "rootfs-try";
  write_text(dir + "/config.json", pod::core::oci::serialize(spec, true));
  return 0;
}

bool has_namespace(const RuntimeSpec& spec, NamespaceType type) {
  if (!spec.linux_spec) return false;
  for (const auto& ns : spec.linux_spec->namespaces) {
    if (ns.type == type) return true;
  }
  return false;
}

void map_own_ids() {
  const auto uid = ::getuid();
  const auto gid = ::getgid();
  if (::unshare(CLONE_NEWUSER) != 0) pod::throw_errno("unshare", "CLONE_NEWUSER");
  write_text("/proc/self/setgroups", "deny");
  write_text("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n");
  write_text("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n");
}

[[noreturn]] void child_main(const RuntimeSpec& spec, const std::string& rootfs, bool rootless) {
  try {
    ::prctl(PR_SET_NAME, "rootfs-try:[1]");
    if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()) != 0) {
      pod::throw_errno("sethostname", spec.hostname);
    }
    pod::rootless::runtime::setup_rootfs(spec, {rootfs, rootless, {}});
    const auto& process = *spec.process;
    if (::chdir(process.cwd.c_str()) != 0) pod::throw_errno("chdir", process.cwd);
    ::clearenv();
    for (const auto& e : process.env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    for (const auto& a : process.args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "rootfs-try: exec `%s`: %s\n", argv[0], std::strerror(errno));
    ::_exit(127);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rootfs-try: Error: %s\n", e.what());
    ::_exit(125);
  }
}

int run_bundle(const std::string& bundle) {
  const RuntimeSpec spec = pod::core::oci::parse_runtime_spec(read_text(bundle + "/config.json"));
  if (!spec.process) throw pod::Error("config.json has no process");
  const std::string rootfs = spec.root.path.front() == '/' ? spec.root.path : bundle + "/" + spec.root.path;
  const bool rootless = wants_userns();
  if (rootless) map_own_ids();
  int flags = CLONE_NEWNS | CLONE_NEWPID;  // a new proc needs a pid namespace of its own
  if (has_namespace(spec, NamespaceType::uts)) flags |= CLONE_NEWUTS;
  if (has_namespace(spec, NamespaceType::ipc)) flags |= CLONE_NEWIPC;
  if (has_namespace(spec, NamespaceType::network)) flags |= CLONE_NEWNET;
  if (has_namespace(spec, NamespaceType::cgroup)) flags |= CLONE_NEWCGROUP;
  if (::unshare(flags) != 0) pod::throw_errno("unshare");
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) pod::throw_errno("fork");
  if (pid == 0) child_main(spec, rootfs, rootless);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) pod::throw_errno("waitpid");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (const char* level = std::getenv("POD_LOG_LEVEL")) {
      if (auto l = pod::log::parse_level(level)) pod::log::set_level(*l);
    }
    // POD_TEST_NO_OPENAT2=1: resolve rootfs paths with the fallback walker (kernels < 5.6).
    if (const char* walker = std::getenv("POD_TEST_NO_OPENAT2"); walker != nullptr && std::string_view(walker) == "1") {
      pod::set_force_openat2_fallback(true);
    }
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() >= 2 && args[0] == "--spec") return write_spec(args[1], {args.begin() + 2, args.end()});
    if (args.size() == 1 && args[0].front() != '-') {
      char real[PATH_MAX];
      if (::realpath(args[0].c_str(), real) == nullptr) pod::throw_errno("resolve", args[0]);
      return run_bundle(real);
    }
    std::cerr << "usage: pod-test-rootfs-try --spec DIR [--rw-root] [--no-netns] [--sysfs] [--bind=SRC:DST[:OPTS]]... "
                 "[-- ARGS...]\n"
                 "       pod-test-rootfs-try BUNDLE\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << "\n";
    return 125;
  }
}
