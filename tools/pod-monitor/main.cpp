// pod-monitor: the per-container monitor (see rootless/monitor/monitor.hpp). Started by pod,
// not by people; its flags are an internal interface between the two.
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include "rootless/monitor/monitor.hpp"
#include "tools/common/main.hpp"

int main(int argc, char** argv) {
  CLI::App app{"pod-monitor: watches one container (started by pod)", "pod-monitor"};
  pod::rootless::monitor::MonitorOptions o;
  pod::tools::RunState state;
  app.add_option("--id", o.id, "container id")->required();
  app.add_option("--bundle", o.bundle, "the container's directory")->required();
  app.add_option("--runtime", o.runtime, "OCI runtime path")->required();
  app.add_option("--runtime-root", o.runtime_root, "the runtime's --root")->required();
  app.add_option("--attach-socket", o.attach_socket, "socket for attach clients")->required();
  app.add_option("--console-socket", o.console_socket, "socket receiving the pty master (--terminal)");
  app.add_flag("--terminal", o.terminal, "the container has a pty");
  app.add_flag("--stdin", o.keep_stdin, "keep the container's stdin open for attach clients");
  app.add_option("--ready-fd", o.ready_fd, "fd to report \"ok PID\" or \"error CODE MESSAGE\" on");
  std::string exit_command;
  app.add_option("--exit-command", exit_command, "command to run after the container exited, as a JSON array");
  app.callback([&] {
    if (!exit_command.empty()) o.exit_command = nlohmann::json::parse(exit_command).get<std::vector<std::string>>();
    state.exit_code = pod::rootless::monitor::run_monitor(o);
  });
  return pod::tools::run_tool(app, state, argc, argv);
}
