// pod-monitor: one per running container, as conmon is for Podman. Started detached (its own
// session, reparented away from pod) inside pod's user and mount namespace, it
//   1. runs `<runtime> create` with the container's stdio on pipes it holds (or, with a
//      terminal, takes the pty master from the runtime's --console-socket),
//   2. records the init's pid (init.json) and tells the starter "ok <pid>" or
//      "error <code> <message>" on the ready fd,
//   3. copies the output into ctr.log (k8s-file) and to attached clients, their input to the
//      container (attach_protocol.hpp), until the init is gone — it is a subreaper, so the init
//      is its child and its exit status is exact,
//   4. writes exit.json, tells the clients the exit code, deletes the runtime's state, runs the
//      exit command (`pod rm` for --rm) and exits. It sleeps in poll(2) in between.
#pragma once

#include <string>
#include <vector>

namespace pod::rootless::monitor {

struct MonitorOptions {
  std::string id;
  std::string bundle;         // the container's directory: config.json, ctr.log, exit.json
  std::string runtime;        // the OCI runtime's path
  std::string runtime_root;   // its --root
  std::string attach_socket;
  std::string console_socket;  // with a terminal
  bool terminal = false;
  bool keep_stdin = false;    // -i: a pipe for stdin, fed by attach clients
  int ready_fd = -1;
  std::string oom_file;       // memory.oom_control (v1) or memory.events (v2) of its cgroup
  std::vector<std::string> exit_command;  // after "--" on pod-monitor's command line
  // pod-slirp and its flags: started with "--ready-fd N INIT-PID" once the container's
  // namespaces exist, before it is reported created; stopped when the container ends.
  std::vector<std::string> network_helper;
};

// Returns the monitor's own exit code.
int run_monitor(const MonitorOptions& options);

}  // namespace pod::rootless::monitor
