// pod-slirp: user-mode networking for one container (issue "User-mode networking"). Started
// by pod-monitor once the container's network namespace exists and before its process runs:
//   pod-slirp [--mtu N] [--allow-host-loopback] [--publish tcp|udp:IP:HOSTPORT:PORT]...
//             [--ready-fd N] [--resolv-conf FILE] PID
// It creates tap0 in PID's network namespace (10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3
// forwarded to the host's resolvers), listens on the published ports, writes "ok" (or
// "error MESSAGE") to the ready fd, and runs libslirp's stack until PID exits. Connections to
// published ports reach the container from the gateway's address, 10.0.2.2.
// Flags are parsed by hand: the helper stays resident for the container's life (small RSS).
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/error.hpp"
#include "rootless/network/tap_device.hpp"
#include "rootless/newidmap.hpp"
#include "tools/pod-slirp/slirp_stack.hpp"

namespace {

struct Options {
  unsigned mtu = 65520;
  bool allow_host_loopback = false;
  std::vector<pod::core::net::PortMapping> ports;
  int ready_fd = -1;
  std::string resolv_conf;  // forward DNS to these resolvers instead of /etc/resolv.conf's
  pid_t pid = 0;
};

// libslirp reads the host's resolvers from /etc/resolv.conf: in a mount namespace of this
// process alone (owned by a user namespace of its own) that path shows `path` instead.
void use_resolv_conf(const std::string& path) {
  const auto uid = ::geteuid();
  const auto gid = ::getegid();
  if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) pod::throw_errno("unshare a mount namespace for --resolv-conf");
  pod::rootless::write_single_id_maps(::getpid(), {uid, uid, 1}, {gid, gid, 1});
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      ::mount(path.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0) {
    pod::throw_errno("bind-mount over /etc/resolv.conf", path);
  }
}

in_addr address(const char* text) {
  in_addr a{};
  ::inet_pton(AF_INET, text, &a);
  return a;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--allow-host-loopback") {
      o.allow_host_loopback = true;
    } else if ((flag == "--mtu" || flag == "--publish" || flag == "--ready-fd" || flag == "--resolv-conf") && i + 1 < argc) {
      const std::string value = argv[++i];
      if (flag == "--resolv-conf") o.resolv_conf = value;
      if (flag == "--mtu") o.mtu = static_cast<unsigned>(std::strtoul(value.c_str(), nullptr, 10));
      if (flag == "--publish") o.ports.push_back(pod::core::net::from_canonical(value));
      if (flag == "--ready-fd") o.ready_fd = std::atoi(value.c_str());
    } else if (flag[0] != '-' && o.pid == 0) {
      o.pid = static_cast<pid_t>(std::atol(flag.c_str()));
    } else {
      throw pod::Error("pod-slirp: unknown or incomplete flag " + flag + " (it is started by pod-monitor)",
                       pod::ErrorKind::invalid_input);
    }
  }
  if (o.pid <= 0) throw pod::Error("pod-slirp: the container's pid is missing", pod::ErrorKind::invalid_input);
  if (o.mtu < 1280 || o.mtu > 65521) throw pod::Error("pod-slirp: --mtu must be 1280-65521", pod::ErrorKind::invalid_input);
  return o;
}

void tell(int fd, const std::string& line) {
  if (fd < 0) return;
  [[maybe_unused]] auto n = ::write(fd, line.data(), line.size());
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  int ready_fd = -1;
  try {
    const Options o = parse(argc, argv);
    ready_fd = o.ready_fd;
    // Exit with the container: its init's pidfd becomes readable when it ends.
    const pod::UniqueFd init(static_cast<int>(::syscall(SYS_pidfd_open, o.pid, 0)));
    if (!init) pod::throw_errno("watch the container's init", std::to_string(o.pid));
    pod::rootless::network::TapConfig tap;
    tap.mtu = o.mtu;
    tap.address = address("10.0.2.100");
    tap.netmask = address("255.255.255.0");
    tap.gateway = address("10.0.2.2");
    pod::tools::SlirpSettings settings;
    settings.mtu = o.mtu;
    settings.allow_host_loopback = o.allow_host_loopback;
    settings.network = address("10.0.2.0");
    settings.netmask = tap.netmask;
    settings.gateway = tap.gateway;
    settings.dns = address("10.0.2.3");
    settings.dhcp_start = address("10.0.2.15");
    settings.guest = tap.address;
    auto device = pod::rootless::network::create_tap(o.pid, tap);
    if (!o.resolv_conf.empty()) use_resolv_conf(o.resolv_conf);
    pod::tools::SlirpStack stack(std::move(device), settings);
    for (const auto& port : o.ports) stack.publish(port);
    ::signal(SIGPIPE, SIG_IGN);
    tell(ready_fd, "ok\n");
    ready_fd = -1;
    stack.run(init.get());
    return 0;
  } catch (const std::exception& e) {
    std::string message = e.what();
    for (auto& c : message) {
      if (c == '\n') c = ' ';
    }
    tell(ready_fd, "error " + message + "\n");
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  }
}
