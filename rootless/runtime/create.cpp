#include "rootless/runtime/create.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/cgroup/layout.hpp"
#include "rootless/newidmap.hpp"
#include "libcore/sys/fd_passing.hpp"
#include "rootless/runtime/console.hpp"
#include "rootless/runtime/container_init.hpp"
#include "rootless/runtime/hooks.hpp"
#include "rootless/runtime/seccomp_filter.hpp"
#include "rootless/runtime/sysctl.hpp"
#include "storage/image_store.hpp"

namespace pod::rootless::runtime {
namespace {

using core::oci::IdMapping;

std::vector<IdMapEntry> to_entries(const std::vector<IdMapping>& mappings) {
  std::vector<IdMapEntry> out;
  for (const auto& m : mappings) out.push_back({m.container_id, m.host_id, m.size});
  return out;
}

bool is_own_single(const std::vector<IdMapping>& m, std::uint32_t own) {
  return m.size() == 1 && m[0].host_id == own && m[0].size == 1;
}

// Root (also root in pod's user namespace, nesting a container's namespace in it) writes the
// maps directly; so does a user mapping only its own id (after denying setgroups); anything
// else needs the setuid helpers, which check /etc/subuid.
void write_maps(pid_t pid, const core::oci::LinuxSpec& linux) {
  if (linux.uid_mappings.empty() || linux.gid_mappings.empty()) {
    throw Error("a new user namespace needs linux.uidMappings and linux.gidMappings", ErrorKind::invalid_input);
  }
  if (::geteuid() == 0) {
    write_maps_as_root(pid, to_entries(linux.uid_mappings), to_entries(linux.gid_mappings));
    return;
  }
  if (is_own_single(linux.uid_mappings, ::geteuid()) &&
      is_own_single(linux.gid_mappings, ::getegid())) {
    write_single_id_maps(pid, to_entries(linux.uid_mappings)[0], to_entries(linux.gid_mappings)[0]);
    return;
  }
  write_maps_with_helpers(pid, to_entries(linux.uid_mappings), to_entries(linux.gid_mappings));
}

// Root of a user namespace (an engine's, as pod's or podman's) is not the host's root: it
// cannot mknod, mount sysfs without its own network namespace, and so on.
bool in_user_namespace() {
  const auto map = try_read_file("/proc/self/uid_map", 4096).value_or("");
  return map.find("4294967295") == std::string::npos;
}

bool wants_new_user_namespace(const core::oci::RuntimeSpec& spec) {
  if (!spec.linux_spec) return false;
  for (const auto& ns : spec.linux_spec->namespaces) {
    if (ns.type == core::oci::NamespaceType::user) return ns.path.empty();
  }
  return false;
}

std::string rootfs_of(const std::string& bundle, const core::oci::RuntimeSpec& spec) {
  const std::string rootfs = spec.root.path.front() == '/' ? spec.root.path : bundle + "/" + spec.root.path;
  struct stat st {};
  if (::stat(rootfs.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error("root filesystem " + quote(rootfs) + " is not a directory", ErrorKind::invalid_input);
  }
  return std::filesystem::canonical(rootfs).string();
}

// The container's cgroup (rootless/cgroup) with linux.resources written into it: always where
// the user has one to write, so every container is counted and can be frozen; an error where a
// limit asks for a controller it has not. Device rules alone (every engine sends "deny all but
// the defaults") need no device cgroup: the container's /dev holds only the default devices and
// linux.devices, and nothing grants CAP_MKNOD by default.
std::optional<cgroup::ContainerCgroup> cgroup_for(const core::oci::RuntimeSpec& spec, const std::string& name) {
  const bool has_resources = spec.linux_spec && spec.linux_spec->resources;
  const core::oci::Resources r = has_resources ? *spec.linux_spec->resources : core::oci::Resources{};
  if (!r.devices.empty()) log::debug("linux.resources.devices: no device cgroup is set up; /dev holds only the listed devices");
  if (!r.unified.empty()) throw Error("linux.resources.unified is not supported by pod-runtime", ErrorKind::unsupported);
  const cgroup::Delegation delegation = cgroup::own_delegation();
  if (delegation.v2_dir.empty() && delegation.v1_dirs.empty() && cgroup::controllers_for(r).empty()) return std::nullopt;
  return with_context("linux.resources", [&] { return cgroup::ContainerCgroup::create(delegation, name, r); });
}

// cgroupsPath as a name under the delegated cgroup(s); a default from the id.
std::string cgroup_name(const core::oci::RuntimeSpec& spec, const std::string& id) {
  std::string path = spec.linux_spec ? spec.linux_spec->cgroups_path : "";
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (path.empty() || path.find("..") != std::string::npos || path.find(':') != std::string::npos) return "pod-runtime-" + id;
  return path;
}

UniqueFd console_for(const core::oci::Process& process, const CreateOptions& options) {
  if (!process.terminal) {
    if (!options.console_socket.empty()) {
      throw Error("--console-socket is given but process.terminal is false: there is no pty to send",
                  ErrorKind::invalid_input);
    }
    return {};
  }
  return console_connection(options.console_fd, options.console_socket,
                            "process.terminal is true: --console-socket is needed to receive the pty's master");
}

std::optional<SeccompFilter> seccomp_for(const core::oci::RuntimeSpec& spec) {
  if (!spec.linux_spec || !spec.linux_spec->seccomp) return std::nullopt;
  return SeccompFilter(*spec.linux_spec->seccomp);
}

// The runtime's side of the sync: maps, the init's pid, createRuntime hooks, then "created".
pid_t drive_setup(SyncSocket& sync, pid_t stage1, const core::oci::RuntimeSpec& spec, ContainerState& state) {
  if (wants_new_user_namespace(spec)) {
    sync.receive(SyncKind::maps_please, "container setup");
    write_maps(stage1, *spec.linux_spec);
    sync.send(SyncKind::maps_done);
  }
  const pid_t init = static_cast<pid_t>(sync.receive(SyncKind::init_pid, "container setup").value);
  int status = 0;
  ::waitpid(stage1, &status, 0);
  try {
    auto m = sync.receive_any("container init");
    if (m && m->kind == SyncKind::hooks_please) {
      state.pid = init;
      const std::string json = state_json(state, Status::creating);
      run_hooks(spec.hooks.prestart, "prestart", json);
      run_hooks(spec.hooks.create_runtime, "createRuntime", json);
      sync.send(SyncKind::hooks_done, 0, json);
      m = sync.receive_any("container init");
    }
    if (!m) throw Error(std::string("waiting for ") + describe(SyncKind::created) + ": the container init exited without a word");
    if (m->kind != SyncKind::created) throw Error(std::string("unexpected ") + describe(m->kind) + " from the container init");
  } catch (...) {
    ::kill(init, SIGKILL);
    wait_container(init);
    throw;
  }
  return init;
}

std::string state_json_of(const StateStore& store, const ContainerState& state) {
  return state_json(state, store.status(state));
}

}  // namespace

core::oci::RuntimeSpec load_bundle_spec(const std::string& bundle) {
  const std::string path = bundle + "/config.json";
  const auto spec = with_context("reading " + quote(path), [&] { return core::oci::parse_runtime_spec(read_file(path, 4u << 20)); });
  if (!spec.process) throw Error(quote(path) + " has no `process`: nothing to run", ErrorKind::invalid_input);
  with_context(quote(path), [&] { check_sysctls(spec); });
  // No LSM support: the labels are not applied (as crun without apparmor/selinux built in).
  if (!spec.process->apparmor_profile.empty()) log::debug("process.apparmorProfile ignored: no AppArmor support");
  if (!spec.process->selinux_label.empty()) log::debug("process.selinuxLabel ignored: no SELinux support");
  return spec;
}

ContainerState create_container(const StateStore& store, const std::string& id, const CreateOptions& options) {
  std::string bundle = std::filesystem::absolute(options.bundle).lexically_normal().string();
  if (bundle.size() > 1 && bundle.back() == '/') bundle.pop_back();
  const auto spec = load_bundle_spec(bundle);
  const std::string rootfs = rootfs_of(bundle, spec);
  const auto seccomp = seccomp_for(spec);
  check_container_id(id);
  UniqueFd console = console_for(*spec.process, options);
  store.reserve(id);
  std::optional<cgroup::ContainerCgroup> cgroup;
  try {
    cgroup = cgroup_for(spec, cgroup_name(spec, id));
    // Writable by all (0622): the init reopens it after becoming the container's user, who
    // may not be its owner. The state directory (0700) keeps everyone else out.
    if (::mkfifo(store.fifo(id).c_str(), 0622) != 0 || ::chmod(store.fifo(id).c_str(), 0622) != 0) {
      throw_errno("create", store.fifo(id));
    }
    // The init outlives stage 1; as subreaper this process inherits it and can wait for it.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    auto [runtime_end, child_end] = SyncSocket::pair();
    const bool rootless = ::geteuid() != 0 || in_user_namespace() || wants_new_user_namespace(spec);
    const InitContext context{&spec, rootfs, store.fifo(id), rootless,
                              seccomp ? &*seccomp : nullptr, console.get(), options.preserve_fds};
    const pid_t stage1 = ::fork();
    if (stage1 < 0) throw_errno("fork");
    if (stage1 == 0) {
      runtime_end.close();
      run_stage1(context, child_end);
    }
    child_end.close();
    console.reset();
    ContainerState state{id, bundle, 0, 0, storage::now_rfc3339(), spec.annotations, ""};
    if (cgroup) {
      state.cgroup = cgroup_name(spec, id);
      try {
        cgroup->add_process(stage1);  // what it forks follows it
      } catch (...) {
        ::kill(stage1, SIGKILL);
        ::waitpid(stage1, nullptr, 0);
        throw;
      }
    }
    runtime_end.send(SyncKind::cgroup_joined);
    state.pid = drive_setup(runtime_end, stage1, spec, state);
    state.pid_start_time = process_start_ticks(state.pid);
    store.save(state);
    if (!options.pid_file.empty()) write_state_file(options.pid_file, std::to_string(state.pid));
    log::debug("container " + id + ": created, init pid " + std::to_string(state.pid));
    return state;
  } catch (...) {
    store.remove(id);
    if (cgroup) cgroup->remove();
    throw;
  }
}

void start_container(const StateStore& store, const std::string& id) {
  const ContainerState state = store.load(id);
  const Status status = store.status(state);
  if (status != Status::created) {
    throw Error("cannot start container " + quote(id) + ": it is " + std::string(to_string(status)) + ", not created",
                ErrorKind::conflict);
  }
  // Non-blocking, so an init that died while parked cannot hang `start`: the init's own
  // blocking open for writing completes once this reader exists, then it writes one byte.
  const UniqueFd fifo(::open(store.fifo(id).c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo) throw_errno("open", store.fifo(id));
  for (int waited_ms = 0; waited_ms < 10000; waited_ms += 50) {
    char byte = 0;
    if (::read(fifo.get(), &byte, 1) == 1) {
      ::unlink(store.fifo(id).c_str());
      const auto spec = core::oci::parse_runtime_spec(read_file(state.bundle + "/config.json", 4u << 20));
      run_hooks_warning(spec.hooks.poststart, "poststart", state_json_of(store, state));
      return;
    }
    if (store.status(state) == Status::stopped) break;
    pollfd p{fifo.get(), POLLIN, 0};
    ::poll(&p, 1, 50);
  }
  throw Error("the init of " + quote(id) + " is gone: it cannot start");
}

void delete_container(const StateStore& store, const std::string& id) {
  const ContainerState state = store.load(id);
  const std::string json = state_json(state, Status::stopped);
  store.remove(id);
  if (!state.cgroup.empty()) cgroup::ContainerCgroup::find(cgroup::own_delegation(), state.cgroup).remove();
  const auto bytes = try_read_file(state.bundle + "/config.json", 4u << 20);
  if (!bytes) {
    log::debug("container " + id + ": its bundle's config.json is gone, no poststop hooks to run");
    return;
  }
  try {
    run_hooks_warning(core::oci::parse_runtime_spec(*bytes).hooks.poststop, "poststop", json);
  } catch (const std::exception& e) {
    log::warn("poststop hooks of " + quote(id) + ": " + e.what());
  }
}

int wait_container(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("wait for the container's init");
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace pod::rootless::runtime
