#include "rootless/runtime/container_init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "libcore/sys/error.hpp"
#include "rootless/runtime/hooks.hpp"
#include "rootless/runtime/process_setup.hpp"
#include "rootless/runtime/rootfs.hpp"

namespace pod::rootless::runtime {

using core::oci::NamespaceType;

int clone_flag(NamespaceType type) {
  switch (type) {
    case NamespaceType::pid: return CLONE_NEWPID;
    case NamespaceType::network: return CLONE_NEWNET;
    case NamespaceType::mount: return CLONE_NEWNS;
    case NamespaceType::ipc: return CLONE_NEWIPC;
    case NamespaceType::uts: return CLONE_NEWUTS;
    case NamespaceType::user: return CLONE_NEWUSER;
    case NamespaceType::cgroup: return CLONE_NEWCGROUP;
    case NamespaceType::time: return CLONE_NEWTIME;
  }
  return 0;
}

void enter_namespace(const core::oci::Namespace& ns) {
  const int flag = clone_flag(ns.type);
  if (ns.path.empty()) {
    if (::unshare(flag) != 0) throw_errno("unshare the namespace", to_string(ns.type));
    return;
  }
  const UniqueFd fd(::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open namespace", ns.path);
  if (::setns(fd.get(), flag) != 0) throw_errno("join namespace", ns.path);
}

namespace {

const std::vector<core::oci::Namespace>& namespaces_of(const core::oci::RuntimeSpec& spec) {
  static const std::vector<core::oci::Namespace> none;
  return spec.linux_spec ? spec.linux_spec->namespaces : none;
}

void set_names(const core::oci::RuntimeSpec& spec) {
  if (!spec.hostname.empty() && ::sethostname(spec.hostname.data(), spec.hostname.size()) != 0) {
    throw_errno("set hostname", spec.hostname);
  }
  if (!spec.domainname.empty() && ::setdomainname(spec.domainname.data(), spec.domainname.size()) != 0) {
    throw_errno("set domainname", spec.domainname);
  }
}

// After `start`: a failure can only be told on stderr now, and ends the container.
[[noreturn]] void fail_after_start(const std::exception& e) {
  std::fprintf(stderr, "pod-runtime: %s\n", e.what());
  _exit(125);
}

[[noreturn]] void run_init(const InitContext& c, SyncSocket& sync) {
  const auto& spec = *c.spec;
  const ProcessLaunch launch{&*spec.process, c.seccomp, c.console_socket, c.preserve_fds};
  std::string executable;
  std::string state_json;  // for the createContainer and startContainer hooks
  UniqueFd fifo_path;
  try {
    ::prctl(PR_SET_NAME, "pod-rt:[init]");
    if (::setsid() < 0) throw_errno("setsid");
    // The fifo lives outside the rootfs: hold it (O_PATH) across pivot_root, reopen after.
    fifo_path.reset(::open(c.fifo.c_str(), O_PATH | O_CLOEXEC));
    if (!fifo_path) throw_errno("open", c.fifo);
    if (has_create_hooks(spec.hooks)) {
      sync.send(SyncKind::hooks_please);
      state_json = sync.receive(SyncKind::hooks_done, "runtime").text;
    }
    set_names(spec);
    RootfsContext rootfs{c.rootfs, c.rootless, {}};
    rootfs.before_pivot = [&] { run_hooks(spec.hooks.create_container, "createContainer", state_json); };
    setup_rootfs(spec, rootfs);
    executable = prepare_process(launch);
    sync.send(SyncKind::created);
    sync.close();
  } catch (const std::exception& e) {
    try {
      sync.send(SyncKind::error, 0, e.what());
    } catch (...) {
    }
    _exit(125);
  }
  const std::string reopen = "/proc/self/fd/" + std::to_string(fifo_path.get());
  const UniqueFd fifo(::open(reopen.c_str(), O_WRONLY | O_CLOEXEC));  // blocks until `start`
  if (!fifo || ::write(fifo.get(), "0", 1) != 1) _exit(125);
  try {
    run_hooks(spec.hooks.start_container, "startContainer", state_json);
  } catch (const std::exception& e) {
    fail_after_start(e);
  }
  launch_process(launch, executable);
}

}  // namespace

void run_stage1(const InitContext& c, SyncSocket& sync) {
  try {
    ::prctl(PR_SET_NAME, "pod-rt:[stage1]");
    // Into the container's cgroup before anything is forked or any id changes (cgroup v1 lets
    // the user move only processes that still run as the user).
    sync.receive(SyncKind::cgroup_joined, "runtime");
    const auto& spec = *c.spec;
    for (const auto& ns : namespaces_of(spec)) {
      if (ns.type != NamespaceType::user) continue;
      enter_namespace(ns);
      if (ns.path.empty()) {
        sync.send(SyncKind::maps_please);
        sync.receive(SyncKind::maps_done, "runtime");
      }
      if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0) throw_errno("become root in the user namespace");
    }
    for (const auto& ns : namespaces_of(spec)) {
      if (ns.type != NamespaceType::user && ns.type != NamespaceType::pid) enter_namespace(ns);
    }
    for (const auto& ns : namespaces_of(spec)) {
      if (ns.type == NamespaceType::pid) enter_namespace(ns);
    }
    // Always a child: a new or joined pid namespace applies to children only, and stage 1
    // must exit so the init is parented by the runtime (a subreaper). The init shares the
    // sync socket: it waits until its pid has gone out, so the runtime reads init_pid first.
    int gate[2];
    if (::pipe2(gate, O_CLOEXEC) != 0) throw_errno("pipe");
    const pid_t init = ::fork();
    if (init < 0) throw_errno("fork the container's init");
    if (init == 0) {
      ::close(gate[1]);
      char go = 0;
      while (::read(gate[0], &go, 1) < 0 && errno == EINTR) {
      }
      ::close(gate[0]);
      run_init(c, sync);
    }
    sync.send(SyncKind::init_pid, init);
    _exit(0);  // closes the gate: the init goes on
  } catch (const std::exception& e) {
    try {
      sync.send(SyncKind::error, 0, e.what());
    } catch (...) {
    }
    _exit(125);
  }
}

}  // namespace pod::rootless::runtime
