// pod attach | rename | top | port
#include <CLI/CLI.hpp>
#include <dirent.h>
#include <fmt/core.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/monitor/attach_protocol.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/container_attach.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using storage::ContainerStatus;

storage::ContainerRecord running(const storage::ContainerStore& containers, const std::string& name, pid_t* pid) {
  const auto r = containers.resolve(name);
  const auto s = storage::container_state(containers.dir(r.id));
  if (s.status != ContainerStatus::running || s.pid <= 0) {
    throw Error("container " + r.name + " is not running (it is " + std::string(to_string(s.status)) + ")", ErrorKind::conflict);
  }
  if (pid) *pid = s.pid;
  return r;
}

void add_attach(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto name = std::make_shared<std::string>();
  auto no_stdin = std::make_shared<bool>(false);
  auto sig_proxy = std::make_shared<bool>(true);
  auto* verb = app.add_subcommand("attach", "attach to a running container's input and output");
  verb->add_option("container", *name, "container name or id")->required();
  verb->add_flag("--no-stdin", *no_stdin, "do not send input");
  verb->add_option("--sig-proxy", *sig_proxy, "forward signals to the container (default: true)");
  verb->callback([=, &global, &state] {
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    pid_t pid = 0;
    const auto r = running(containers, *name, &pid);
    const UniqueFd socket = connect_attach(rootless::monitor::attach_socket_path(runroot_of(global), r.id));
    const int code = attach_session(socket.get(), {r.tty, r.interactive && !*no_stdin, *sig_proxy, pid});
    state.exit_code = code >= 0 ? code : storage::container_state(containers.dir(r.id)).exit_code;
  });
}

void add_rename(CLI::App& app, const GlobalOptions& global) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto* verb = app.add_subcommand("rename", "rename a container");
  verb->add_option("names", *names, "CONTAINER NEW-NAME")->required()->expected(2);
  verb->callback([names, &global] {
    const OpenedStore opened = open_store_in_place(global);
    storage::ContainerStore containers(opened.store);
    containers.rename(containers.resolve((*names)[0]).id, (*names)[1]);
  });
}

// The processes in the container's pid namespace, found through /proc.
void add_top(CLI::App& app, const GlobalOptions& global) {
  auto name = std::make_shared<std::string>();
  auto* verb = app.add_subcommand("top", "show the processes of a running container");
  verb->add_option("container", *name, "container name or id")->required();
  verb->callback([name, &global] {
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    pid_t init = 0;
    running(containers, *name, &init);
    struct stat ns {};
    if (::stat(("/proc/" + std::to_string(init) + "/ns/pid").c_str(), &ns) != 0) throw_errno("inspect the container's pid namespace");
    fmt::print("{:<10}{:<10}{}\n", "PID", "USER", "COMMAND");
    const std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
    while (const dirent* e = proc ? ::readdir(proc.get()) : nullptr) {
      if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
      struct stat st {};
      const std::string base = std::string("/proc/") + e->d_name;
      if (::stat((base + "/ns/pid").c_str(), &st) != 0 || st.st_ino != ns.st_ino || st.st_dev != ns.st_dev) continue;
      std::string cmd = try_read_file(base + "/cmdline", 4096).value_or("");
      for (auto& c : cmd) {
        if (c == '\0') c = ' ';
      }
      struct stat owner {};
      ::stat(base.c_str(), &owner);
      fmt::print("{:<10}{:<10}{}\n", e->d_name, owner.st_uid, cmd);
    }
  });
}

// "80/tcp -> 0.0.0.0:8080" per published port, as Podman prints them; one container port
// alone prints its host addresses.
void add_port(CLI::App& app, const GlobalOptions& global) {
  auto name = std::make_shared<std::string>();
  auto wanted = std::make_shared<std::string>();
  auto* verb = app.add_subcommand("port", "list a container's published ports");
  verb->add_option("container", *name, "container name or id")->required();
  verb->add_option("port", *wanted, "only this container port (80 or 80/tcp)");
  verb->callback([name, wanted, &global] {
    const OpenedStore opened = open_store_in_place(global);
    const auto r = storage::ContainerStore(opened.store).resolve(*name);
    for (const auto& text : r.ports) {
      const auto p = core::net::from_canonical(text);
      const std::string port = std::to_string(p.container_port) + "/" + p.protocol;
      if (wanted->empty()) {
        fmt::print("{} -> {}:{}\n", port, p.host_ip, p.host_port);
      } else if (*wanted == port || *wanted == std::to_string(p.container_port)) {
        fmt::print("{}:{}\n", p.host_ip, p.host_port);
      }
    }
  });
}

}  // namespace

void add_container_misc_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  add_attach(app, global, state);
  add_rename(app, global);
  add_top(app, global);
  add_port(app, global);
}

}  // namespace pod::tools
