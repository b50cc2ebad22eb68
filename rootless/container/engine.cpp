#include "rootless/container/engine.hpp"
#include "rootless/container/network_mode.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>

#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"
#include "rootless/cgroup/layout.hpp"
#include "rootless/container/rootfs_mount.hpp"
#include "rootless/monitor/attach_protocol.hpp"
#include "rootless/runtime/create.hpp"
#include "storage/container_status.hpp"
#include "storage/image_store.hpp"
#include "storage/layer_store.hpp"

namespace pod::rootless::container {
namespace {

std::vector<std::string> layer_dirs(const Engine& engine, const storage::ContainerRecord& record) {
  const auto image = storage::ImageStore(*engine.store).get(record.image_id);
  if (!image) {
    throw StartFailure("the image " + record.image_id.substr(0, 12) + " of container " + record.name + " is gone", 125);
  }
  const storage::LayerStore layers(*engine.store);
  std::vector<std::string> out;
  for (auto it = image->layers.rbegin(); it != image->layers.rend(); ++it) out.push_back(layers.diff_dir(*it));
  return out;
}

bool is_mount_point(const std::string& path) {
  struct stat here {}, parent {};
  return ::stat(path.c_str(), &here) == 0 && ::stat((path + "/..").c_str(), &parent) == 0 && here.st_dev != parent.st_dev;
}

// Forks twice so the monitor is in its own session and no child of pod; `ready` is its end
// of the report pipe.
void spawn_monitor(const std::vector<std::string>& argv, int ready) {
  const pid_t child = ::fork();
  if (child < 0) throw_errno("fork the monitor");
  if (child == 0) {
    ::setsid();
    if (::fork() != 0) _exit(0);
    const int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    ::fcntl(ready, F_SETFD, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
}

std::string read_line(int fd) {
  std::string out;
  char c;
  while (out.size() < 65536) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    out.push_back(c);
  }
  return out;
}

// The monitor passes the runtime's error record on as it is: a JSON line ({"msg": …}).
std::string runtime_message(const std::string& record) {
  if (record.empty() || record.front() != '{') return record;
  const auto j = nlohmann::json::parse(record, nullptr, false);
  if (j.is_object() && j.contains("msg") && j["msg"].is_string()) return j["msg"].get<std::string>();
  return record;
}

int exit_code_for(int runtime_code, const std::string& message) {
  if (runtime_code == 125) return 125;  // pod's own helpers (pod-monitor, pod-slirp) failed
  if (runtime_code == 127 || message.find("not found") != std::string::npos) return 127;
  if (runtime_code == 126 || message.find("ermission denied") != std::string::npos) return 126;
  return 125;
}

std::vector<std::string> monitor_argv(const Engine& engine, const storage::ContainerRecord& record,
                                      const std::string& dir, int ready) {
  std::vector<std::string> argv = {find_helper_binary("pod-monitor"),
                                   "--id", record.id,
                                   "--bundle", dir,
                                   "--runtime", record.runtime.empty() ? find_helper_binary("pod-runtime") : record.runtime,
                                   "--runtime-root", engine.runtime_root(),
                                   "--attach-socket", monitor::attach_socket_path(engine.runroot, record.id),
                                   "--ready-fd", std::to_string(ready)};
  if (record.tty) argv.insert(argv.end(), {"--terminal", "--console-socket", monitor::console_socket_path(engine.runroot, record.id)});
  if (record.interactive) argv.push_back("--stdin");
  // Where the kernel counts OOM kills in the container's cgroup (when it gets one): the name
  // pod gives it is the runtime's cgroupsPath.
  const cgroup::Delegation delegation = cgroup::own_delegation();
  const std::string name = "pod-" + record.id;
  const auto& v2 = delegation.v2_controllers;
  if (std::find(v2.begin(), v2.end(), "memory") != v2.end()) {
    argv.insert(argv.end(), {"--oom-file", delegation.v2_dir + "/" + name + "/memory.events"});
  } else if (const auto memory = delegation.v1_dirs.find("memory"); memory != delegation.v1_dirs.end()) {
    argv.insert(argv.end(), {"--oom-file", memory->second + "/" + name + "/memory.oom_control"});
  }
  // User-mode networking: the monitor starts pod-slirp between the runtime's create and start.
  if (const auto mode = parse_network_mode(record.network); mode.kind == NetworkMode::Kind::slirp) {
    for (const auto& arg : slirp_command(mode, record.ports)) argv.insert(argv.end(), {"--network-helper", arg});
  }
  if (record.remove) {  // the exit command: the rest of the line
    argv.push_back("--");
    argv.insert(argv.end(), engine.pod_argv.begin(), engine.pod_argv.end());
    argv.insert(argv.end(), {"rm", "--force", record.id});
  }
  return argv;
}

}  // namespace

void mount_container_root(const Engine& engine, const storage::ContainerRecord& record) {
  const std::string dir = storage::ContainerStore(*engine.store).dir(record.id);
  // The overlay's root takes the upper directory's mode: 0755, or only root could enter it.
  make_dirs(dir + "/upper", 0755);
  for (const char* sub : {"/work", "/merged"}) make_dirs(dir + sub, 0700);
  const bool vfs = record.driver == "vfs";
  if (vfs ? ::access((dir + "/vfs-complete").c_str(), F_OK) == 0 : is_mount_point(dir + "/merged")) return;
  if (vfs) {  // a copy interrupted half-way starts again; its root is entered by every user
    remove_tree(dir + "/merged");
    make_dirs(dir + "/merged", 0755);
  }
  mount_rootfs(record.driver, layer_dirs(engine, record), dir + "/upper", dir + "/work", dir + "/merged", engine.rootless);
  // The copy is the container's writable root for its whole life: made once.
  if (vfs) write_state_file(dir + "/vfs-complete", "");
}

void remove_container(const Engine& engine, const storage::ContainerRecord& record) {
  storage::ContainerStore containers(*engine.store);
  ::umount2((containers.dir(record.id) + "/merged").c_str(), MNT_DETACH);
  ::unlink(monitor::attach_socket_path(engine.runroot, record.id).c_str());
  ::unlink(monitor::console_socket_path(engine.runroot, record.id).c_str());
  containers.remove(record.id);
}

pid_t prepare_container(const Engine& engine, const storage::ContainerRecord& record) {
  const std::string dir = storage::ContainerStore(*engine.store).dir(record.id);
  storage::clear_run_state(dir);
  mount_container_root(engine, record);
  make_dirs(engine.runroot + "/sockets", 0700);
  Pipe ready = make_pipe();
  spawn_monitor(monitor_argv(engine, record, dir, ready.write.get()), ready.write.get());
  ready.write.reset();
  const std::string line = read_line(ready.read.get());
  if (line.rfind("ok ", 0) == 0) return static_cast<pid_t>(std::stol(line.substr(3)));
  if (line.rfind("error ", 0) == 0) {
    const auto space = line.find(' ', 6);
    const int code = std::atoi(line.substr(6, space - 6).c_str());
    const std::string message = runtime_message(space == std::string::npos ? "" : line.substr(space + 1));
    throw StartFailure(message, exit_code_for(code, message));
  }
  throw StartFailure("the monitor of " + record.name + " exited without a word", 125);
}

void start_prepared(const Engine& engine, const storage::ContainerRecord& record) {
  // Written before: a container that ends at once may be gone (--rm) when start returns.
  const std::string dir = storage::ContainerStore(*engine.store).dir(record.id);
  storage::write_started(dir);
  try {
    if (record.runtime.empty()) {
      // pod-runtime's start is one read of the exec fifo: done here, without starting it.
      runtime::start_container(runtime::StateStore(engine.runtime_root()), record.id);
      return;
    }
    const auto r = run_command({record.runtime, "--root", engine.runtime_root(), "start", record.id});
    if (r.exit_code != 0) throw Error(quote_untrusted(r.output, 400));
  } catch (const Error& e) {
    ::unlink((dir + "/started").c_str());
    throw StartFailure("starting " + record.name + ": " + e.message(), 125);
  }
}

}  // namespace pod::rootless::container
