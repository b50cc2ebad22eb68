// pod-runtime create | start | run | kill | delete
#include <CLI/CLI.hpp>
#include <signal.h>

#include <chrono>
#include <thread>

#include "libcore/sys/error.hpp"
#include "libcore/sys/signals.hpp"
#include "rootless/runtime/create.hpp"
#include "rootless/cgroup/container_cgroup.hpp"
#include "rootless/runtime/resources.hpp"
#include "rootless/runtime/signal_all.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-runtime/terminal_session.hpp"
#include "tools/pod-runtime/verbs.hpp"

namespace pod::tools {
namespace {

using rootless::runtime::StateStore;
using rootless::runtime::Status;

struct CreateFlags {
  std::string id;
  std::string bundle = ".";
  std::string pid_file;
  std::string console_socket;
  int preserve_fds = 0;
};

void add_create_flags(CLI::App& verb, CreateFlags& f) {
  verb.add_option("id", f.id, "container id")->required();
  verb.add_option("-b,--bundle", f.bundle, "bundle directory with config.json (default: .)");
  verb.add_option("--pid-file", f.pid_file, "write the container's init pid to this file");
  verb.add_option("--console-socket", f.console_socket, "unix socket to receive the pty master (process.terminal)");
  verb.add_option("--preserve-fds", f.preserve_fds, "pass this many fds after stdio (3, 4, …) to the container")
      ->check(CLI::NonNegativeNumber);
}

rootless::runtime::CreateOptions options_of(const CreateFlags& f) {
  rootless::runtime::CreateOptions o;
  o.bundle = f.bundle;
  o.pid_file = f.pid_file;
  o.console_socket = f.console_socket;
  o.preserve_fds = f.preserve_fds;
  return o;
}

volatile sig_atomic_t g_forward_to = 0;
void forward(int sig) {
  if (g_forward_to > 0) ::kill(g_forward_to, sig);
}

void kill_and_reap(const StateStore& store, const std::string& id) {
  const auto state = store.load(id);
  const Status status = store.status(state);
  if (state.pid <= 0 || status == Status::stopped) return;
  ::kill(state.pid, SIGKILL);
  // A v1 freezer holds even SIGKILL until it thaws.
  if (status == Status::paused) rootless::runtime::cgroup_of(state).set_frozen(false);
  for (int i = 0; i < 200 && store.status(state) != Status::stopped; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// create + start + wait + delete; with process.terminal and no --console-socket the runtime
// relays the pty itself.
int run_container(const RuntimeGlobals& g, const CreateFlags& f) {
  auto options = options_of(f);
  const bool relay = f.console_socket.empty() &&
                     rootless::runtime::load_bundle_spec(options.bundle).process->terminal;
  std::optional<ConsoleReceiver> console;
  if (relay) {
    console.emplace();
    options.console_fd = console->container_end();
  }
  const auto store = runtime_store(g);
  const auto created = rootless::runtime::create_container(store, f.id, options);
  int code = 0;
  try {
    UniqueFd master = relay ? console->take_master() : UniqueFd();
    g_forward_to = created.pid;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) ::signal(sig, forward);
    rootless::runtime::start_container(store, f.id);
    if (master) relay_session(master.get());
    code = rootless::runtime::wait_container(created.pid);
  } catch (...) {
    // Nothing of a run that failed half-way stays behind: no parked init, no state.
    ::kill(created.pid, SIGKILL);
    rootless::runtime::wait_container(created.pid);
    rootless::runtime::delete_container(store, f.id);
    throw;
  }
  rootless::runtime::delete_container(store, f.id);
  return code;
}

}  // namespace

StateStore runtime_store(const RuntimeGlobals& g) {
  return StateStore(g.root.empty() ? StateStore::default_root() : g.root);
}

void add_lifecycle_verbs(CLI::App& app, const RuntimeGlobals& g, RunState& state) {
  auto cf = std::make_shared<CreateFlags>();
  auto* create_verb = app.add_subcommand("create", "create a container, its process parked until start");
  add_create_flags(*create_verb, *cf);
  create_verb->callback([cf, &g] { rootless::runtime::create_container(runtime_store(g), cf->id, options_of(*cf)); });

  auto start_id = std::make_shared<std::string>();
  auto* start_verb = app.add_subcommand("start", "start the process of a created container");
  start_verb->add_option("id", *start_id, "container id")->required();
  start_verb->callback([start_id, &g] { rootless::runtime::start_container(runtime_store(g), *start_id); });

  auto rf = std::make_shared<CreateFlags>();
  auto* run_verb = app.add_subcommand("run", "create and start a container, wait for it, delete it");
  add_create_flags(*run_verb, *rf);
  run_verb->callback([rf, &g, &state] { state.exit_code = run_container(g, *rf); });

  auto kill_id = std::make_shared<std::string>();
  auto signal_name = std::make_shared<std::string>("SIGTERM");
  auto all = std::make_shared<bool>(false);
  auto* kill_verb = app.add_subcommand("kill", "send a signal to the container's init");
  kill_verb->add_option("id", *kill_id, "container id")->required();
  kill_verb->add_option("signal", *signal_name, "signal name or number (default: SIGTERM)");
  kill_verb->add_flag("-a,--all", *all, "signal every process of the container (needs its own pid namespace)");
  kill_verb->callback([kill_id, signal_name, all, &g] {
    const int sig = signal_number(*signal_name);
    const auto store = runtime_store(g);
    const auto s = store.load(*kill_id);
    if (s.pid <= 0 || store.status(s) == Status::stopped) {  // never kill(0): that is our own group
      throw Error("container " + quote(*kill_id) + " is not running", ErrorKind::conflict);
    }
    if (*all) {
      rootless::runtime::signal_all_processes(store, s, sig);
    } else if (::kill(s.pid, sig) != 0) {
      throw_errno("signal the init of", *kill_id);
    }
  });

  auto delete_id = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto* delete_verb = app.add_subcommand("delete", "delete a stopped container's state (-f: kill it first)");
  delete_verb->add_option("id", *delete_id, "container id")->required();
  delete_verb->add_flag("-f,--force", *force, "kill a running or created container first");
  delete_verb->callback([delete_id, force, &g] {
    const auto store = runtime_store(g);
    const auto s = store.load(*delete_id);
    const Status status = store.status(s);
    if (status != Status::stopped && !*force) {
      throw Error("cannot delete container " + quote(*delete_id) + ": it is " + std::string(to_string(status)) +
                      " (use --force)",
                  ErrorKind::conflict);
    }
    kill_and_reap(store, *delete_id);
    rootless::runtime::delete_container(store, *delete_id);
  });
}

}  // namespace pod::tools
