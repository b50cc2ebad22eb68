#include "rootless/userns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "libcore/sys/error.hpp"
#include "libcore/sys/environment.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "rootless/host_info.hpp"
#include "rootless/namespace_files.hpp"
#include "rootless/newidmap.hpp"
#include "storage/store_paths.hpp"

namespace pod::rootless {
namespace {

constexpr char kUnshared = 'U';
constexpr char kGo = 'G';

volatile sig_atomic_t g_child_pid = 0;

void forward_signal(int sig) {
  if (g_child_pid > 0) ::kill(g_child_pid, sig);
}

char read_byte(int fd) {
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n == 1) return c;
    if (n < 0 && errno == EINTR) continue;
    return 0;  // EOF: the peer died
  }
}

void write_byte(int fd, char c) {
  while (::write(fd, &c, 1) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void die(const char* what) {
  const int err = errno;
  dprintf(STDERR_FILENO, "Error: entering the user namespace: %s: %s\n", what, strerror(err));
  _exit(125);
}

// The child: it goes on with the command where it was, now root of the new namespace (no
// re-exec: that would cost a second start of pod). Failures end it with _exit.
void child_enters(int to_parent, int from_parent, const char* mode, const char* uid, pid_t parent) {
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) die("unshare");
  write_byte(to_parent, kUnshared);
  if (read_byte(from_parent) != kGo) _exit(125);  // the parent explained on its stderr
  if (::setresgid(0, 0, 0) != 0) die("setresgid");
  if (::setresuid(0, 0, 0) != 0) die("setresuid");
  // Dies with the pod the user started (kill -9 included). Set after the uid change, which
  // clears it; a parent that died in between is caught by the ppid check.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || ::getppid() != parent) _exit(125);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) die("make mounts private");
  ::setenv(kUsernsEnv, mode, 1);
  ::setenv(kOriginalUidEnv, uid, 1);
}

void write_maps(pid_t pid, const IdMapPlan& plan) {
  if (plan.single_id) {
    write_single_id_maps(pid, plan.uid_map.front(), plan.gid_map.front());
    return;
  }
  write_maps_with_helpers(pid, plan.uid_map, plan.gid_map);
}

[[noreturn]] void wait_and_exit_like(pid_t pid) {
  for (int sig : {SIGTERM, SIGHUP, SIGUSR1, SIGUSR2}) ::signal(sig, forward_signal);
  // The terminal sends SIGINT/SIGQUIT to the whole foreground group: the child has them already.
  for (int sig : {SIGINT, SIGQUIT}) ::signal(sig, SIG_IGN);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for the user namespace child");
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    ::signal(sig, SIG_DFL);
    ::kill(::getpid(), sig);
    std::_Exit(128 + sig);
  }
  std::_Exit(WEXITSTATUS(status));
}

// A fallback is announced once per login session (the runroot lives on a tmpfs), not on every
// command: a marker file in the runroot remembers it. `pod info` shows it every time.
void warn_once_per_session(uid_t uid, const std::string& key, const std::string& message) {
  try {
    const std::string dir = storage::default_store_paths(uid, process_env).runroot;
    make_dirs(dir, 0700);
    const std::string marker = dir + "/warned-" + key;
    const UniqueFd fd(::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd && errno == EEXIST) return;
  } catch (const Error& e) {
    log::debug("warning marker: " + e.message());
  }
  log::warn_once(key, message);
}

}  // namespace

bool in_pod_userns_or_root() { return ::geteuid() == 0 || std::getenv(kUsernsEnv) != nullptr; }

bool is_rootless() { return ::geteuid() != 0 || std::getenv(kUsernsEnv) != nullptr; }

uid_t invoking_uid() {
  if (const char* uid = std::getenv(kOriginalUidEnv); uid && std::getenv(kUsernsEnv)) {
    return static_cast<uid_t>(std::strtoul(uid, nullptr, 10));
  }
  return ::getuid();
}

bool in_single_id_userns() {
  const char* mode = std::getenv(kUsernsEnv);
  return mode != nullptr && std::string(mode) == "single";
}

void join_userns_of(pid_t pid) {
  if (in_pod_userns_or_root()) return;
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/user";
  const UniqueFd ns = open_namespace(pid, "user");
  const std::string uid = std::to_string(::getuid());
  if (::setns(ns.get(), CLONE_NEWUSER) != 0) throw_errno("join the user namespace of", path);
  if (::unshare(CLONE_NEWNS) != 0) throw_errno("unshare a mount namespace");
  if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0) throw_errno("become root in the user namespace of", path);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) throw_errno("make mounts private");
  const std::string map = try_read_file("/proc/self/uid_map", 4096).value_or("");
  const bool single = std::count(map.begin(), map.end(), '\n') <= 1 && map.find(" 1\n") != std::string::npos;
  ::setenv(kUsernsEnv, single ? "single" : "full", 1);
  ::setenv(kOriginalUidEnv, uid.c_str(), 1);
}

void ensure_userns(const SubidSources& sources) {
  if (in_pod_userns_or_root()) return;
  const uid_t uid = ::getuid();
  const IdMapPlan plan = plan_id_maps(uid, ::getgid(), user_name_of(uid), sources);
  if (!plan.error.empty()) throw Error(plan.error);
  for (const auto& w : plan.warnings) warn_once_per_session(uid, "single-id-mapping", w);
  if (!plan.single_id) {  // check before forking, so the error is clean
    find_privileged_helper("newuidmap");
    find_privileged_helper("newgidmap");
  }
  Pipe to_parent = make_pipe();
  Pipe to_child = make_pipe();
  const std::string uid_text = std::to_string(uid);
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    child_enters(to_parent.write.get(), to_child.read.get(), plan.single_id ? "single" : "full",
                 uid_text.c_str(), parent);
    return;
  }
  g_child_pid = pid;
  to_parent.write.reset();
  to_child.read.reset();
  try {
    if (read_byte(to_parent.read.get()) != kUnshared) throw Error("the user namespace child died before unsharing");
    write_maps(pid, plan);
  } catch (...) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    throw;
  }
  write_byte(to_child.write.get(), kGo);
  wait_and_exit_like(pid);
}

}  // namespace pod::rootless
