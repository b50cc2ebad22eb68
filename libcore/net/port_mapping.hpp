// Published ports as Podman's -p spells them: [ip:][hostPort:]containerPort[/tcp|/udp], with
// ranges of equal length ("8080-8081:80-81"); no host port means one the kernel picks.
// Canonical text (records, pod port, pod-slirp's --publish): "tcp:0.0.0.0:8080:80".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pod::core::net {

struct PortMapping {
  std::string protocol = "tcp";     // tcp or udp
  std::string host_ip = "0.0.0.0";  // where the host listens
  std::uint16_t host_port = 0;      // 0: not chosen yet
  std::uint16_t container_port = 0;
};

// One -p value (a range gives several). Throws Error(invalid_input) naming the value.
std::vector<PortMapping> parse_publish(const std::string& spec);

std::string to_canonical(const PortMapping& p);             // "tcp:0.0.0.0:8080:80"
PortMapping from_canonical(const std::string& text);        // Error(invalid_input) if malformed
std::string to_display(const PortMapping& p);               // "0.0.0.0:8080->80/tcp", as ps shows

// Asks the kernel whether `p` can be listened on now (a port already taken, or one below
// 1024 for an unprivileged user, fails with a one-line Error naming it); with host_port 0,
// picks a free one and stores it in `p`.
void reserve_host_port(PortMapping& p);

}  // namespace pod::core::net
