// pod-runtime exec ID [--process FILE | ARGS…]: another process in a running container.
#include <CLI/CLI.hpp>

#include "libcore/oci/runtime_spec.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "rootless/runtime/create.hpp"
#include "rootless/runtime/exec.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/terminal_session.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {
namespace {

struct ExecFlags {
  std::string id;
  std::vector<std::string> args;
  std::string process_file;
  bool tty = false;
  std::string cwd;
  std::vector<std::string> env;
  std::string user;
  std::vector<std::string> caps;
  bool no_new_privs = false;
  bool detach = false;
  std::string pid_file;
  std::string console_socket;
  int preserve_fds = 0;
};

std::uint32_t parse_id(const std::string& text, const char* what) {
  try {
    std::size_t used = 0;
    const unsigned long value = std::stoul(text, &used);
    if (used == text.size() && value <= 0xFFFFFFFFul) return static_cast<std::uint32_t>(value);
  } catch (const std::exception&) {
  }
  throw Error(std::string("--user: ") + what + " " + quote(text) + " is not a number (names need the image's /etc/passwd, which pod-runtime does not read)",
              ErrorKind::invalid_input);
}

void add_caps(core::oci::Capabilities& caps, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (!core::oci::capability_number(name)) throw Error("--cap: unknown capability " + quote(name), ErrorKind::invalid_input);
    for (auto* set : {&caps.bounding, &caps.effective, &caps.permitted}) set->push_back(name);
  }
}

// --process FILE as given; else config.json's process with the flags applied, as runc does.
core::oci::Process process_of(const ExecFlags& f, const rootless::runtime::ContainerState& state) {
  if (!f.process_file.empty()) {
    if (!f.args.empty()) throw Error("exec: give either --process or a command, not both", ErrorKind::invalid_input);
    return with_context("--process " + quote(f.process_file),
                        [&] { return core::oci::parse_process(read_file(f.process_file, 1u << 20)); });
  }
  if (f.args.empty()) throw Error("exec: no command given (and no --process)", ErrorKind::invalid_input);
  core::oci::Process p = rootless::runtime::process_from_bundle(state);
  p.args = f.args;
  p.terminal = f.tty;
  p.console_size.reset();
  if (!f.cwd.empty()) p.cwd = f.cwd;
  p.env.insert(p.env.end(), f.env.begin(), f.env.end());
  if (!f.user.empty()) {
    const auto colon = f.user.find(':');
    p.user.uid = parse_id(f.user.substr(0, colon), "uid");
    p.user.gid = colon == std::string::npos ? p.user.uid : parse_id(f.user.substr(colon + 1), "gid");
    p.user.additional_gids.clear();
  }
  add_caps(p.capabilities, f.caps);
  if (f.no_new_privs) p.no_new_privileges = true;
  return p;
}

int exec_verb(const RuntimeGlobals& g, const ExecFlags& f) {
  const auto store = runtime_store(g);
  const auto state = store.load(f.id);
  const auto process = process_of(f, state);
  rootless::runtime::ExecOptions options;
  options.console_socket = f.console_socket;
  options.pid_file = f.pid_file;
  options.preserve_fds = f.preserve_fds;
  const bool relay = process.terminal && f.console_socket.empty();
  if (relay && f.detach) throw Error("exec --detach with a terminal needs --console-socket", ErrorKind::invalid_input);
  std::optional<ConsoleReceiver> console;
  if (relay) {
    console.emplace();
    options.console_fd = console->container_end();
  }
  const pid_t pid = rootless::runtime::exec_in_container(store, f.id, process, options);
  if (f.detach) return 0;
  if (relay) {
    const UniqueFd master = console->take_master();
    if (master) relay_session(master.get());
  }
  return rootless::runtime::wait_container(pid);
}

}  // namespace

void add_exec_verb(CLI::App& app, const RuntimeGlobals& g, RunState& state) {
  auto f = std::make_shared<ExecFlags>();
  auto* verb = app.add_subcommand("exec", "run another process in a running container");
  verb->add_option("id", f->id, "container id")->required();
  verb->add_option("command", f->args, "the program and its arguments");
  verb->add_option("-p,--process", f->process_file, "a JSON file with the process (runtime-spec `process`)");
  verb->add_flag("-t,--tty", f->tty, "allocate a pty");
  verb->add_option("--cwd", f->cwd, "working directory inside the container");
  // One value per -e/--cap: the command follows them.
  verb->add_option("-e,--env", f->env, "KEY=value to add to the environment")->allow_extra_args(false);
  verb->add_option("-u,--user", f->user, "UID[:GID] inside the container");
  verb->add_option("-c,--cap", f->caps, "a capability to add (CAP_…)")->allow_extra_args(false);
  verb->add_flag("--no-new-privs", f->no_new_privs, "set no_new_privs");
  verb->add_flag("-d,--detach", f->detach, "do not wait for the process");
  verb->add_option("--pid-file", f->pid_file, "write the process's pid to this file");
  verb->add_option("--console-socket", f->console_socket, "unix socket to receive the pty master (--tty)");
  verb->add_option("--preserve-fds", f->preserve_fds, "pass this many fds after stdio to the process")
      ->check(CLI::NonNegativeNumber);
  // Everything after the id that is not one of exec's flags belongs to the command.
  verb->positionals_at_end();
  verb->callback([f, &g, &state] { state.exit_code = exec_verb(g, *f); });
}

}  // namespace pod::tools
