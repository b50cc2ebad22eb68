#include "tools/pod/container_engine.hpp"

#include "storage/container_status.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include <fstream>

#include "libcore/oci/image_config.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/sys/environment.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/sys/signals.hpp"
#include "libcore/sys/terminal.hpp"
#include "rootless/cgroup/layout.hpp"
#include "rootless/container/rootfs_mount.hpp"
#include "rootless/container/spec_builder.hpp"
#include "rootless/container/userdata.hpp"
#include "rootless/userns.hpp"
#include "storage/image_store.hpp"
#include "storage/pull_by_name.hpp"
#include "tools/common/pull_progress.hpp"

namespace pod::tools {
namespace {

using rootless::container::BindMount;

// -v SRC:DST[:OPTIONS]: host bind mounts only (named volumes are not supported yet).
BindMount parse_volume(const std::string& spec) {
  const auto first = spec.find(':');
  if (first == std::string::npos) throw Error("-v " + quote(spec) + ": give HOST-DIR:CONTAINER-DIR[:ro]", ErrorKind::invalid_input);
  const auto second = spec.find(':', first + 1);
  BindMount m;
  m.source = spec.substr(0, first);
  m.destination = spec.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  const std::string options = second == std::string::npos ? "" : spec.substr(second + 1);
  if (m.source.empty() || m.source.front() != '/') {
    throw Error("-v " + quote(spec) + ": the source must be an absolute host path (named volumes are not supported)",
                ErrorKind::invalid_input);
  }
  if (m.destination.empty() || m.destination.front() != '/') {
    throw Error("-v " + quote(spec) + ": the destination must be an absolute path", ErrorKind::invalid_input);
  }
  if (::access(m.source.c_str(), F_OK) != 0) throw Error("-v " + quote(spec) + ": " + quote(m.source) + " does not exist", ErrorKind::not_found);
  std::size_t start = 0;
  while (start < options.size()) {
    auto comma = options.find(',', start);
    if (comma == std::string::npos) comma = options.size();
    const std::string o = options.substr(start, comma - start);
    if (o == "ro" || o == "rw") {
      m.options.push_back(o);
    } else if (o != "z" && o != "Z" && !o.empty()) {
      throw Error("-v " + quote(spec) + ": unknown option " + quote(o), ErrorKind::invalid_input);
    }
    start = comma + 1;
  }
  return m;
}

// --mount type=bind,source=…,target=…[,ro] | type=tmpfs,target=…[,tmpfs-size=…]
BindMount parse_mount(const std::string& spec) {
  BindMount m;
  std::string type = "bind";
  std::size_t start = 0;
  while (start <= spec.size()) {
    auto comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    const std::string item = spec.substr(start, comma - start);
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "type") type = value;
    else if (key == "source" || key == "src") m.source = value;
    else if (key == "target" || key == "destination" || key == "dst") m.destination = value;
    else if (key == "ro" || key == "readonly") m.options.push_back(value == "false" ? "rw" : "ro");
    else if (key == "tmpfs-size") m.options.push_back("size=" + value);
    else if (!key.empty()) throw Error("--mount " + quote(spec) + ": unknown option " + quote(key), ErrorKind::invalid_input);
    start = comma + 1;
  }
  if (type == "bind") {
    if (m.source.empty()) throw Error("--mount " + quote(spec) + ": a bind mount needs source=", ErrorKind::invalid_input);
    auto checked = parse_volume(m.source + ":" + m.destination);
    checked.options.insert(checked.options.end(), m.options.begin(), m.options.end());
    return checked;
  }
  if (type != "tmpfs") throw Error("--mount " + quote(spec) + ": type must be bind or tmpfs", ErrorKind::invalid_input);
  if (m.destination.empty() || m.destination.front() != '/') {
    throw Error("--mount " + quote(spec) + ": target must be an absolute path", ErrorKind::invalid_input);
  }
  m.type = "tmpfs";
  m.options.insert(m.options.begin(), {"rw", "nosuid", "nodev"});
  return m;
}

BindMount parse_tmpfs(const std::string& spec) {
  const auto colon = spec.find(':');
  BindMount m;
  m.type = "tmpfs";
  m.destination = spec.substr(0, colon);
  if (m.destination.empty() || m.destination.front() != '/') {
    throw Error("--tmpfs " + quote(spec) + ": the path must be absolute", ErrorKind::invalid_input);
  }
  m.options = {"rw", "noexec", "nosuid", "nodev"};
  if (colon != std::string::npos) m.options.push_back(spec.substr(colon + 1));
  return m;
}

// --env-file lines, then -e; "KEY" alone takes the value from pod's environment.
std::vector<std::string> environment_of(const ContainerFlags& f) {
  std::vector<std::string> out;
  const auto add = [&](const std::string& entry) {
    if (entry.empty() || entry[0] == '#') return;
    if (entry.find('=') != std::string::npos) {
      out.push_back(entry);
    } else if (const char* v = std::getenv(entry.c_str())) {
      out.push_back(entry + "=" + v);
    }
  };
  for (const auto& file : f.env_files) {
    std::ifstream in(file);
    if (!in) throw Error("--env-file " + quote(file) + ": cannot be read", ErrorKind::not_found);
    std::string line;
    while (std::getline(in, line)) add(line);
  }
  for (const auto& e : f.env) add(e);
  return out;
}

// Podman's default of at most 2048 processes, where the pids controller is delegated (a
// default must not make runs fail where it is not) and pod-runtime places the cgroup (another
// runtime may not know the delegated subtree); --pids-limit -1 or 0 asks for none.
std::optional<core::oci::Resources> resources_with_defaults(const LimitFlags& f, const std::string& runtime) {
  auto r = resources_of(f);
  if (f.pids_limit) {
    if (*f.pids_limit <= 0) r->pids_limit.reset();
    return r;
  }
  if (!runtime.empty()) return r;
  if (!rootless::cgroup::own_delegation().can_use("pids")) return r;
  if (!r) r.emplace();
  r->pids_limit = 2048;
  return r;
}

storage::ImageRecord image_for(const rootless::container::Engine& engine, const ContainerFlags& f) {
  const storage::ImageStore images(*engine.store);
  if (f.pull != "always") {
    if (auto found = images.try_resolve(f.image)) return found->image;
    if (f.pull == "never") throw Error("image " + quote_untrusted(f.image) + " is not in local storage (--pull=never)", ErrorKind::not_found);
  }
  PullProgress progress(stderr, false);
  storage::PullOptions options;
  options.platform = core::oci::host_platform();
  options.rootless = engine.rootless;
  options.observer = &progress;
  return storage::pull_by_name(*engine.store, f.image, registry_access(f.registry), options, ::isatty(STDIN_FILENO) == 1,
                               [](const core::Reference& ref) { fmt::print(stderr, "Trying to pull {}...\n", ref.str()); });
}

std::map<std::string, std::string> labels_of(const ContainerFlags& f) {
  std::map<std::string, std::string> out;
  for (const auto& l : f.labels) {
    const auto eq = l.find('=');
    out[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  return out;
}

rootless::container::RunSettings settings_of(const ContainerFlags& f, const core::oci::ImageConfig& config,
                                             const ContainerNetwork& network,
                                             const std::string& dir, const std::string& hostname, bool single_id) {
  rootless::container::RunSettings s;
  s.image = config.config;
  s.command = f.command;
  if (f.entrypoint_set) s.entrypoint = f.entrypoint;
  s.env = environment_of(f);
  s.workdir = f.workdir;
  s.user = f.user;
  s.hostname = hostname;
  s.tty = f.tty;
  s.read_only = f.read_only;
  for (const auto& opt : f.security_opts) {
    if (opt == "no-new-privileges" || opt == "no-new-privileges=true") {
      s.no_new_privileges = true;
    } else if (opt == "seccomp=unconfined") {
      s.seccomp = false;
    } else if (opt.rfind("label=", 0) == 0 || opt.rfind("apparmor=", 0) == 0) {
      log::debug("--security-opt " + opt + ": no LSM support, ignored");
    } else {
      throw Error("--security-opt " + quote(opt) + " is not supported (no-new-privileges, seccomp=unconfined)",
                  ErrorKind::unsupported);
    }
  }
  s.cap_add = f.cap_add;
  s.cap_drop = f.cap_drop;
  for (const auto& v : f.volumes) s.mounts.push_back(parse_volume(v));
  for (const auto& m : f.mounts) s.mounts.push_back(parse_mount(m));
  for (const auto& t : f.tmpfs) s.mounts.push_back(parse_tmpfs(t));
  s.host_network = network.mode.kind == rootless::container::NetworkMode::Kind::host;
  s.network_namespace = network.namespace_path;
  s.no_hosts = f.network.no_hosts;
  s.single_id = single_id;
  s.rootfs = dir + "/merged";
  s.userdata = dir;
  if (f.init) s.init_path = find_helper_binary("pod-init");
  s.cgroup_name = "pod-" + dir.substr(dir.rfind('/') + 1);
  if (f.userns == "keep-id") s.keep_id = rootless::container::keep_id_for_this_user();
  s.resources = resources_with_defaults(f.limits, f.runtime);
  return s;
}

}  // namespace

rootless::container::Engine make_engine(const GlobalOptions& global, const OpenedStore& opened) {
  rootless::container::Engine e;
  e.store = &opened.store;
  e.runroot = runroot_of(global);
  e.rootless = opened.rootless;
  e.single_id = rootless::in_single_id_userns();
  e.storage_driver = global.storage_driver;
  e.pod_argv = {self_executable(), "--root", opened.store.root(), "--runroot", e.runroot, "--log-level", global.log_level};
  if (!global.storage_driver.empty()) e.pod_argv.insert(e.pod_argv.end(), {"--storage-driver", global.storage_driver});
  return e;
}

void add_container_flags(CLI::App& verb, ContainerFlags& f, bool run) {
  verb.add_option("image", f.image, "the image to run")->required();
  verb.add_option("command", f.command, "the command and its arguments (default: the image's)");
  verb.positionals_at_end();
  verb.add_option("--name", f.name, "the container's name (default: a generated one)");
  if (run) verb.add_flag("-d,--detach", f.detach, "run in the background and print the container's id");
  verb.add_flag("-i,--interactive", f.interactive, "keep stdin open");
  verb.add_flag("-t,--tty", f.tty, "allocate a pseudo-terminal");
  verb.add_flag("--rm", f.remove, "remove the container when it exits");
  verb.add_option("-e,--env", f.env, "KEY=value (or KEY: take it from here) to set inside")->allow_extra_args(false);
  verb.add_option("--env-file", f.env_files, "read KEY=value lines from a file")->allow_extra_args(false);
  verb.add_option("-w,--workdir", f.workdir, "working directory inside the container");
  verb.add_option("-u,--user", f.user, "user[:group] to run as (names from the image's /etc/passwd)");
  verb.add_option("--entrypoint", f.entrypoint, "replace the image's entrypoint (a string or a JSON array)")
      ->each([&f](const std::string&) { f.entrypoint_set = true; });
  verb.add_option("-v,--volume", f.volumes, "HOST-DIR:CONTAINER-DIR[:ro] bind mount")->allow_extra_args(false);
  verb.add_option("--mount", f.mounts, "type=bind,source=…,target=…[,ro] or type=tmpfs,target=…")->allow_extra_args(false);
  verb.add_option("--tmpfs", f.tmpfs, "mount a tmpfs at PATH[:OPTIONS]")->allow_extra_args(false);
  verb.add_flag("--read-only", f.read_only, "mount the container's root filesystem read-only");
  verb.add_option("--hostname", f.hostname, "the container's hostname");
  verb.add_option("--cap-add", f.cap_add, "add a capability (or ALL)")->allow_extra_args(false);
  verb.add_option("--cap-drop", f.cap_drop, "drop a capability (or ALL)")->allow_extra_args(false);
  verb.add_option("--security-opt", f.security_opts, "no-new-privileges, seccomp=unconfined")->allow_extra_args(false);
  verb.add_option("-l,--label", f.labels, "KEY=value label")->allow_extra_args(false);
  verb.add_option("--pull", f.pull, "missing, always or never")->check(CLI::IsMember({"missing", "always", "never"}));
  verb.add_option("--cidfile", f.cidfile, "write the container's id to this file");
  if (run) verb.add_option("--sig-proxy", f.sig_proxy, "forward signals to the container (default: true)");
  verb.add_option("--stop-signal", f.stop_signal, "signal to stop the container (default: the image's, or SIGTERM)");
  verb.add_option("--stop-timeout", f.stop_timeout, "seconds to wait before SIGKILL on stop (default: 10)");
  verb.add_option("--runtime", f.runtime, "path of the OCI runtime (default: pod-runtime)");
  add_network_flags(verb, f.network);
  verb.add_option("--userns", f.userns, "keep-id: run as your own uid and gid inside (files keep your ownership)")
      ->check(CLI::IsMember({"", "host", "keep-id"}));
  add_limit_flags(verb, f.limits);
  verb.add_flag("--init", f.init, "run a tiny init as pid 1 that reaps zombies and forwards signals");
  add_registry_flags(verb, f.registry);
}

storage::ContainerRecord create_from_flags(const rootless::container::Engine& engine, const ContainerFlags& f) {
  if (f.tty && f.detach && !f.interactive) log::debug("a tty without -i in the background: output goes to the log");
  const storage::ImageRecord image = image_for(engine, f);
  const core::oci::ImageConfig config = core::oci::parse_image_config(storage::ImageStore(*engine.store).config(image.id));
  const auto driver = rootless::container::choose_driver(engine.store->root(), engine.runroot, engine.rootless, engine.storage_driver);
  if (!driver.reason.empty()) {
    log::warn_once("storage-driver", "using the " + driver.driver + " storage driver: " + driver.reason +
                                         " (fix: Linux 5.11 or later, or fuse-overlayfs with a usable /dev/fuse)");
  }
  storage::ContainerRecord record;
  record.name = f.name;
  record.image_id = image.id;
  record.image_name = f.image;
  record.labels = labels_of(f);
  record.driver = driver.driver;
  record.runtime = f.runtime;
  const ContainerNetwork network = resolve_network(f.network, config, storage::ContainerStore(*engine.store));
  record.network = f.network.network;
  record.ports = network.ports;
  record.tty = f.tty;
  record.interactive = f.interactive;
  record.remove = f.remove;
  record.stop_signal = !f.stop_signal.empty() ? f.stop_signal : !config.config.stop_signal.empty() ? config.config.stop_signal : "SIGTERM";
  signal_number(record.stop_signal);  // a bad one fails now
  record.stop_timeout = f.stop_timeout;
  for (const auto& v : f.volumes) record.mounts.push_back(v);
  storage::ContainerStore containers(*engine.store);
  record = containers.create(record);
  const std::string dir = containers.dir(record.id);
  try {
    const std::string hostname = !f.hostname.empty() ? f.hostname : record.id.substr(0, 12);
    rootless::container::write_userdata(dir, userdata_of(f.network, network, hostname, record.name));
    rootless::container::mount_container_root(engine, record);
    auto spec = rootless::container::build_runtime_spec(settings_of(f, config, network, dir, hostname, engine.single_id));
    // The pty starts with this terminal's size: the program's first look at it is right.
    if (const auto size = f.tty ? window_size(STDIN_FILENO) : std::nullopt; size && size->ws_row > 0) {
      spec.process->console_size = core::oci::ConsoleSize{size->ws_row, size->ws_col};
    }
    record.command = spec.process->args;
    containers.save(record);
    write_file_atomic(dir + "/config.json", core::oci::serialize(spec, true) + "\n");
    if (!f.cidfile.empty()) write_file_atomic(f.cidfile, record.id);
  } catch (...) {
    rootless::container::remove_container(engine, record);
    throw;
  }
  return record;
}

ForkIntoContainer container_fs_forker(const GlobalOptions& global, RunState& state, const std::string& name) {
  {
    const OpenedStore here = open_store_in_place(global);
    const storage::ContainerStore containers(here.store);
    const auto r = containers.resolve(name);
    const auto s = storage::container_state(containers.dir(r.id));
    if (s.status == storage::ContainerStatus::running && s.pid > 0) {
      return [pid = s.pid](const auto& work) { return rootless::container::fork_into_running(pid, work); };
    }
  }
  const OpenedStore opened = open_store(global, state);
  const auto engine = make_engine(global, opened);
  const storage::ContainerStore containers(opened.store);
  const auto r = containers.resolve(name);
  rootless::container::mount_container_root(engine, r);
  return [root = containers.dir(r.id) + "/merged"](const auto& work) { return rootless::container::fork_into_root(root, work); };
}

}  // namespace pod::tools
