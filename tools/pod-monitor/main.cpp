// pod-monitor: the per-container monitor (see rootless/monitor/monitor.hpp). Started by pod,
// not by people: its flags are an internal interface between the two, parsed by hand to keep
// the process small (no CLI library, no shared libraries beyond libc; see tools/CMakeLists).
//   pod-monitor --id ID --bundle DIR --runtime PATH --runtime-root DIR --attach-socket PATH
//               [--console-socket PATH --terminal] [--stdin] [--ready-fd N] [--oom-file PATH]
//               [--network-helper ARG]...
//               [-- EXIT-COMMAND ARGS...]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "rootless/monitor/monitor.hpp"

namespace {

int usage(const char* problem) {
  std::fprintf(stderr, "Error: pod-monitor: %s (it is started by pod, not by hand)\n", problem);
  return 125;
}

}  // namespace

int main(int argc, char** argv) {
  pod::rootless::monitor::MonitorOptions o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--") {  // the rest is the exit command
      o.exit_command.assign(argv + i + 1, argv + argc);
      break;
    }
    if (flag == "--terminal") {
      o.terminal = true;
      continue;
    }
    if (flag == "--stdin") {
      o.keep_stdin = true;
      continue;
    }
    if (i + 1 >= argc) return usage(("missing the value of " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--id") o.id = value;
    else if (flag == "--bundle") o.bundle = value;
    else if (flag == "--runtime") o.runtime = value;
    else if (flag == "--runtime-root") o.runtime_root = value;
    else if (flag == "--attach-socket") o.attach_socket = value;
    else if (flag == "--console-socket") o.console_socket = value;
    else if (flag == "--ready-fd") o.ready_fd = std::atoi(value.c_str());
    else if (flag == "--oom-file") o.oom_file = value;
    else if (flag == "--network-helper") o.network_helper.push_back(value);
    else {
      return usage(("unknown flag " + flag).c_str());
    }
  }
  if (o.id.empty() || o.bundle.empty() || o.runtime.empty() || o.runtime_root.empty() || o.attach_socket.empty()) {
    return usage("--id, --bundle, --runtime, --runtime-root and --attach-socket are required");
  }
  return pod::rootless::monitor::run_monitor(o);
}
