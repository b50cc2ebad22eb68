// The networking flags of run and create (--network, -p, -P, --dns…, --add-host, --no-hosts)
// and what they come to for one container: its mode, published ports (chosen and checked
// before anything is created) and the contents of /etc/hosts and /etc/resolv.conf.
#pragma once

#include <string>
#include <vector>

#include "libcore/oci/image_config.hpp"
#include "rootless/container/network_mode.hpp"
#include "rootless/container/userdata.hpp"
#include "storage/container_store.hpp"

namespace CLI {
class App;
}

namespace pod::tools {

struct NetworkFlags {
  std::string network = "slirp4netns";
  std::vector<std::string> publish;
  bool publish_all = false;
  std::vector<std::string> dns, dns_search, dns_options, add_hosts;
  bool no_hosts = false;
};

void add_network_flags(CLI::App& verb, NetworkFlags& flags);

struct ContainerNetwork {
  rootless::container::NetworkMode mode;
  std::vector<std::string> ports;   // canonical, host ports chosen
  std::string namespace_path;       // container:NAME — /proc/PID/ns/net
  std::string shared_dir;           // container:NAME — its directory
};

// Errors before anything is created: a bad mode or -p, a port in use on the host, -p without
// user-mode networking, container:NAME that is not running.
ContainerNetwork resolve_network(const NetworkFlags& flags, const core::oci::ImageConfig& image,
                                 const storage::ContainerStore& containers);

rootless::container::UserData userdata_of(const NetworkFlags& flags, const ContainerNetwork& network,
                                          const std::string& hostname, const std::string& name);

}  // namespace pod::tools
