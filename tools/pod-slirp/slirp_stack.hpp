// libslirp's TCP/IP stack on the host's side of a container's tap device: frames from the tap
// go into slirp_input, frames slirp sends go to the tap, and the sockets slirp opens on the
// host (outgoing connections, published ports, DNS forwarding) are polled in the same loop.
// One thread, no glib main loop: slirp's timers are kept here.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::tools {

struct SlirpSettings {
  unsigned mtu = 65520;
  bool allow_host_loopback = false;  // 10.0.2.2 reaches the host's 127.0.0.1
  in_addr network{}, netmask{}, gateway{}, dns{}, dhcp_start{}, guest{};
};

class SlirpStack {
 public:
  SlirpStack(UniqueFd tap, const SlirpSettings& settings);
  ~SlirpStack();
  SlirpStack(const SlirpStack&) = delete;
  SlirpStack& operator=(const SlirpStack&) = delete;

  // Listens on the host and forwards to the container's address. Error naming the port when
  // the host refuses (taken, privileged).
  void publish(const core::net::PortMapping& mapping);

  // Until `stop_fd` is readable (a pidfd of the container's init) or the tap is gone.
  void run(int stop_fd);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pod::tools
