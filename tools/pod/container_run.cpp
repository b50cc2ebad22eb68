// pod create | run | start
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "rootless/container/engine.hpp"
#include "rootless/monitor/attach_protocol.hpp"
#include "rootless/userns.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/container_attach.hpp"
#include "tools/pod/container_engine.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using rootless::container::StartFailure;

// Prepares and starts; attached, relays until the container exits and returns its code.
int start_and_maybe_attach(const rootless::container::Engine& engine, const storage::ContainerRecord& record,
                           bool attach, bool send_stdin, bool sig_proxy) {
  const pid_t init = rootless::container::prepare_container(engine, record);
  UniqueFd socket;
  // Attached before start, so not a byte of output is missed.
  if (attach) socket = connect_attach(rootless::monitor::attach_socket_path(engine.runroot, record.id));
  if (attach && record.tty) send_window_size(socket.get());
  rootless::container::start_prepared(engine, record);
  if (!attach) return 0;
  const int code = attach_session(socket.get(), {record.tty, send_stdin, sig_proxy, init});
  if (code >= 0) return code;
  return storage::container_state(storage::ContainerStore(*engine.store).dir(record.id)).exit_code;
}

// --rm: the container's monitor removes it too; whoever comes second finds nothing to do.
void remove_quietly(const rootless::container::Engine& engine, const storage::ContainerRecord& record) {
  try {
    rootless::container::remove_container(engine, record);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
  }
}

// A start failure: Podman's exit codes (125/126/127), and --rm containers are not kept.
int report_start_failure(const StartFailure& e, const rootless::container::Engine& engine,
                         const storage::ContainerRecord& record) {
  fmt::print(stderr, "Error: {}\n", e.message());
  if (record.remove) remove_quietly(engine, record);
  return e.exit_code;
}

// With --network container:NAME the new container must be in NAME's user namespace to join its
// network namespace: pod joins that one instead of making its own.
OpenedStore open_store_for(const ContainerFlags& f, const GlobalOptions& global, const RunState& state) {
  const std::string& network = f.network.network;
  if (network.rfind("container:", 0) == 0 && rootless::is_rootless() && !rootless::in_pod_userns_or_root()) {
    const OpenedStore peek = open_store_in_place(global);
    const storage::ContainerStore containers(peek.store);
    const auto other = containers.resolve(network.substr(10));
    const auto s = storage::container_state(containers.dir(other.id));
    if (s.status == storage::ContainerStatus::running && s.pid > 0) rootless::join_userns_of(s.pid);
  }
  return open_store(global, state);
}

void add_create(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto f = std::make_shared<ContainerFlags>();
  auto* verb = app.add_subcommand("create", "create a container from an image, without starting it");
  add_container_flags(*verb, *f, false);
  verb->callback([f, &global, &state] {
    const OpenedStore opened = open_store_for(*f, global, state);
    const auto record = create_from_flags(make_engine(global, opened), *f);
    fmt::print("{}\n", record.id);
  });
}

void add_run(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto f = std::make_shared<ContainerFlags>();
  auto* verb = app.add_subcommand("run", "run a command in a new container");
  add_container_flags(*verb, *f, true);
  verb->callback([f, &global, &state] {
    const OpenedStore opened = open_store_for(*f, global, state);
    const auto engine = make_engine(global, opened);
    const auto record = create_from_flags(engine, *f);
    try {
      state.exit_code = start_and_maybe_attach(engine, record, !f->detach, f->interactive, f->sig_proxy);
      // In the foreground, the container is gone when run returns, as with Podman.
      if (f->remove && !f->detach) remove_quietly(engine, record);
    } catch (const StartFailure& e) {
      state.exit_code = report_start_failure(e, engine, record);
      return;
    }
    if (f->detach) fmt::print("{}\n", record.id);
  });
}

void add_start(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto names = std::make_shared<std::vector<std::string>>();
  auto attach = std::make_shared<bool>(false);
  auto interactive = std::make_shared<bool>(false);
  auto* verb = app.add_subcommand("start", "start one or more containers");
  verb->add_option("container", *names, "container names or ids")->required();
  verb->add_flag("-a,--attach", *attach, "attach to the container's output and wait for it");
  verb->add_flag("-i,--interactive", *interactive, "with -a: send stdin to the container");
  verb->callback([=, &global, &state] {
    const OpenedStore opened = open_store(global, state);
    const auto engine = make_engine(global, opened);
    const storage::ContainerStore containers(opened.store);
    for (const auto& name : *names) {
      const auto record = containers.resolve(name);
      const auto current = storage::container_state(containers.dir(record.id));
      if (current.status == storage::ContainerStatus::running) {
        if (!*attach) fmt::print("{}\n", name);
        continue;
      }
      storage::wait_for_monitor(containers.dir(record.id));  // the last run's, still tidying up
      try {
        state.exit_code = start_and_maybe_attach(engine, record, *attach, *interactive, true);
      } catch (const StartFailure& e) {
        state.exit_code = report_start_failure(e, engine, record);
        return;
      }
      if (!*attach) fmt::print("{}\n", name);
    }
  });
}

}  // namespace

void add_run_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  add_create(app, global, state);
  add_run(app, global, state);
  add_start(app, global, state);
}

}  // namespace pod::tools
