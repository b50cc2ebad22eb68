#include "rootless/runtime/exec.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"
#include "rootless/namespace_files.hpp"
#include "rootless/runtime/console.hpp"
#include "rootless/runtime/container_init.hpp"
#include "rootless/runtime/create.hpp"
#include "rootless/runtime/process_setup.hpp"
#include "rootless/runtime/seccomp_filter.hpp"
#include "rootless/runtime/sync.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::NamespaceType;

// /proc/PID/ns/<name> spells some types differently from the spec.
const char* proc_ns_name(NamespaceType type) {
  switch (type) {
    case NamespaceType::pid: return "pid";
    case NamespaceType::network: return "net";
    case NamespaceType::mount: return "mnt";
    case NamespaceType::ipc: return "ipc";
    case NamespaceType::uts: return "uts";
    case NamespaceType::user: return "user";
    case NamespaceType::cgroup: return "cgroup";
    case NamespaceType::time: return "time";
  }
  return "";
}

struct JoinedNamespace {
  NamespaceType type;
  UniqueFd fd;
};

UniqueFd open_namespace_of(pid_t pid, NamespaceType type) { return open_namespace(pid, proc_ns_name(type)); }

// The init's namespaces, opened now (while its pid is known to be the init: checked after),
// in the order to join them: user first, pid last. The user namespace is joined whenever it
// is not the caller's, listed or not: a container started inside another user namespace (pod's,
// as engines do) has its other namespaces owned by it.
std::vector<JoinedNamespace> open_namespaces(const StateStore& store, const ContainerState& state,
                                             const core::oci::RuntimeSpec& spec) {
  std::vector<JoinedNamespace> out;
  UniqueFd user = open_namespace_of(state.pid, NamespaceType::user);
  if (!is_own_user_namespace(user.get())) out.push_back({NamespaceType::user, std::move(user)});
  if (!spec.linux_spec) return out;
  for (int pass = 1; pass < 3; ++pass) {
    for (const auto& ns : spec.linux_spec->namespaces) {
      const int rank = ns.type == NamespaceType::user ? 0 : ns.type == NamespaceType::pid ? 2 : 1;
      if (rank == pass) out.push_back({ns.type, open_namespace_of(state.pid, ns.type)});
    }
  }
  if (store.status(state) == Status::stopped) {
    throw Error("container " + quote(state.id) + " stopped", ErrorKind::conflict);
  }
  return out;
}

[[noreturn]] void report_and_exit(const SyncSocket& sync, const std::exception& e) {
  try {
    sync.send(SyncKind::error, 0, e.what());
  } catch (...) {
  }
  _exit(125);
}

[[noreturn]] void run_joiner(const std::vector<JoinedNamespace>& namespaces, const ProcessLaunch& launch,
                             SyncSocket& sync) {
  try {
    ::prctl(PR_SET_NAME, "pod-rt:[exec]");
    // Into the container's cgroup before anything is forked: the process to exec inherits it.
    sync.receive(SyncKind::cgroup_joined, "pod-runtime");
    for (const auto& ns : namespaces) {
      if (::setns(ns.fd.get(), clone_flag(ns.type)) != 0) throw_errno("join the container's namespace", to_string(ns.type));
      if (ns.type == NamespaceType::user && (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)) {
        throw_errno("become root in the container's user namespace");
      }
    }
    const pid_t child = ::fork();
    if (child < 0) throw_errno("fork");
    if (child == 0) {
      try {
        if (::setsid() < 0) throw_errno("setsid");
        const std::string executable = prepare_process(launch);
        launch_process(launch, executable);  // closes the sync socket (CLOEXEC) on success
      } catch (const std::exception& e) {
        report_and_exit(sync, e);
      }
    }
    sync.send(SyncKind::init_pid, child);
    _exit(0);
  } catch (const std::exception& e) {
    report_and_exit(sync, e);
  }
}

UniqueFd console_for(const core::oci::Process& process, const ExecOptions& options) {
  if (!process.terminal) return {};
  return console_connection(options.console_fd, options.console_socket,
                            "a terminal (--tty) needs --console-socket to receive the pty's master");
}

}  // namespace

core::oci::Process process_from_bundle(const ContainerState& state) {
  return *load_bundle_spec(state.bundle).process;
}

pid_t exec_in_container(const StateStore& store, const std::string& id, const core::oci::Process& process,
                        const ExecOptions& options) {
  const ContainerState state = store.load(id);
  if (store.status(state) != Status::running) {
    throw Error("cannot exec in container " + quote(id) + ": it is " + std::string(to_string(store.status(state))),
                ErrorKind::conflict);
  }
  const auto spec = load_bundle_spec(state.bundle);
  std::optional<SeccompFilter> seccomp;
  if (spec.linux_spec && spec.linux_spec->seccomp) seccomp.emplace(*spec.linux_spec->seccomp);
  const UniqueFd console = console_for(process, options);
  const auto namespaces = open_namespaces(store, state, spec);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  auto [runtime_end, child_end] = SyncSocket::pair();
  const ProcessLaunch launch{&process, seccomp ? &*seccomp : nullptr, console.get(), options.preserve_fds};
  const pid_t joiner = ::fork();
  if (joiner < 0) throw_errno("fork");
  if (joiner == 0) {
    runtime_end.close();
    run_joiner(namespaces, launch, child_end);
  }
  child_end.close();
  const auto cgroup = state.cgroup.empty() ? cgroup::ContainerCgroup()
                                           : cgroup::ContainerCgroup::find(cgroup::own_delegation(), state.cgroup);
  try {
    cgroup.add_process(joiner);  // what it forks follows it
  } catch (const Error& e) {
    ::kill(joiner, SIGKILL);
    wait_container(joiner);
    throw;
  }
  runtime_end.send(SyncKind::cgroup_joined);
  const pid_t pid = static_cast<pid_t>(runtime_end.receive(SyncKind::init_pid, "exec setup").value);
  wait_container(joiner);
  try {
    if (auto m = runtime_end.receive_any("exec'd process")) {
      throw Error(std::string("unexpected ") + describe(m->kind) + " from the exec'd process");
    }
  } catch (...) {
    wait_container(pid);
    throw;
  }
  if (!options.pid_file.empty()) write_state_file(options.pid_file, std::to_string(pid));
  return pid;
}

}  // namespace pod::rootless::runtime
