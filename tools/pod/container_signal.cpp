// pod stop | kill — signals through the container's OCI runtime, from where pod is.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "libcore/sys/error.hpp"
#include "libcore/sys/process.hpp"
#include "libcore/sys/signals.hpp"
#include "storage/container_status.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/runtime_call.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

using storage::ContainerStatus;

struct Target {
  storage::ContainerRecord record;
  std::string dir;
};

// The signal; then, when `thaw` and the container is paused, a thaw: a frozen process does not
// act on it (under the v1 freezer not even on SIGKILL).
void runtime_kill(const GlobalOptions& global, const storage::ContainerRecord& r, const std::string& dir,
                  const std::string& signal, bool thaw = true) {
  call_runtime(global, r, {"kill", r.id, signal}, "signalling");
  if (thaw && storage::container_state(dir).paused) {
    call_runtime(global, r, {"resume", r.id}, "unpausing");
    storage::write_paused(dir, false);
  }
}

bool wait_exited(const std::string& dir, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (storage::container_state(dir).status == ContainerStatus::exited) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return storage::container_state(dir).status == ContainerStatus::exited;
}

}  // namespace

// The stop signal, then SIGKILL after `timeout` seconds; waits until the monitor recorded the exit.
void stop_container(const GlobalOptions& global, const storage::ContainerRecord& r, const std::string& dir, int timeout) {
  if (storage::container_state(dir).status != ContainerStatus::running) return;
  try {
    runtime_kill(global, r, dir, r.stop_signal);
  } catch (const Error&) {
    if (storage::container_state(dir).status == ContainerStatus::running) throw;
  }
  if (wait_exited(dir, std::chrono::seconds(timeout))) return;
  try {
    runtime_kill(global, r, dir, "SIGKILL");
  } catch (const Error&) {
  }
  if (!wait_exited(dir, std::chrono::seconds(10))) throw Error("container " + r.name + " did not exit after SIGKILL");
}

void add_container_signal_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto stop_names = std::make_shared<std::vector<std::string>>();
  auto timeout = std::make_shared<int>(-1);
  auto* stop = app.add_subcommand("stop", "stop containers: their stop signal, then SIGKILL after a timeout");
  stop->add_option("containers", *stop_names, "container names or ids")->required();
  stop->add_option("-t,--time", *timeout, "seconds to wait before SIGKILL (default: the container's, 10)");
  stop->callback([=, &global, &state] {
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    for (const auto& name : *stop_names) {
      try {
        const auto r = containers.resolve(name);
        stop_container(global, r, containers.dir(r.id), *timeout >= 0 ? *timeout : r.stop_timeout);
        fmt::print("{}\n", name);
      } catch (const Error& e) {
        fmt::print(stderr, "Error: {}\n", e.message());
        state.exit_code = kExitPodError;
      }
    }
  });

  auto kill_names = std::make_shared<std::vector<std::string>>();
  auto signal = std::make_shared<std::string>("SIGKILL");
  auto* kill = app.add_subcommand("kill", "send a signal to containers (default: SIGKILL)");
  kill->add_option("containers", *kill_names, "container names or ids")->required();
  kill->add_option("-s,--signal", *signal, "signal name or number");
  kill->callback([=, &global, &state] {
    signal_number(*signal);
    const OpenedStore opened = open_store_in_place(global);
    const storage::ContainerStore containers(opened.store);
    for (const auto& name : *kill_names) {
      try {
        const auto r = containers.resolve(name);
        const auto s = storage::container_state(containers.dir(r.id));
        if (s.status != ContainerStatus::running) {
          throw Error("can only kill running containers: " + r.name + " is " + std::string(to_string(s.status)),
                      ErrorKind::conflict);
        }
        runtime_kill(global, r, containers.dir(r.id), *signal, signal_number(*signal) == SIGKILL);
        fmt::print("{}\n", name);
      } catch (const Error& e) {
        fmt::print(stderr, "Error: {}\n", e.message());
        state.exit_code = kExitPodError;
      }
    }
  });
}

}  // namespace pod::tools
