// --network as Podman spells it, and what each mode needs: none (only lo), host (the host's
// stack), slirp4netns[:OPTIONS] (the rootless default: pod-slirp's user-mode stack), and
// container:NAME (another container's network namespace).
//   slirp4netns options: allow_host_loopback=true|false (10.0.2.2 reaches the host's
//   127.0.0.1), mtu=N, and pod's own dns_resolv_conf=FILE (forward DNS to the resolvers listed
//   there instead of the host's /etc/resolv.conf).
#pragma once

#include <string>
#include <vector>

namespace pod::rootless::container {

struct NetworkMode {
  enum class Kind { none, host, slirp, container };
  Kind kind = Kind::slirp;
  std::string container;  // container:NAME
  unsigned mtu = 65520;
  bool allow_host_loopback = false;
  std::string dns_resolv_conf;
};

// Error(invalid_input) naming the mode or option it does not know.
NetworkMode parse_network_mode(const std::string& text);

// pod-slirp and its flags for a container with these published ports (canonical form); the
// monitor adds --ready-fd and the init's pid.
std::vector<std::string> slirp_command(const NetworkMode& mode, const std::vector<std::string>& ports);

// The addresses pod-slirp gives the container.
inline constexpr const char* kSlirpGuestAddress = "10.0.2.100";
inline constexpr const char* kSlirpGateway = "10.0.2.2";
inline constexpr const char* kSlirpDns = "10.0.2.3";

}  // namespace pod::rootless::container
