// The files a container gets bind-mounted at /etc/hosts, /etc/hostname and /etc/resolv.conf,
// written into its directory at create, as Podman fills them for each network mode.
#pragma once

#include <string>
#include <vector>

#include "rootless/container/network_mode.hpp"

namespace pod::rootless::container {

struct UserData {
  std::string hostname;
  std::string name;                      // the container's name, an alias of its address
  NetworkMode::Kind network = NetworkMode::Kind::none;
  std::vector<std::string> dns;          // --dns: these servers instead of the default
  std::vector<std::string> dns_search;   // --dns-search
  std::vector<std::string> dns_options;  // --dns-option
  std::vector<std::string> add_hosts;    // --add-host NAME:IP
  bool no_hosts = false;                 // --no-hosts: no /etc/hosts from pod (the image's stays)
  std::string shared_dir;                // container:NAME — that container's directory
};

// Error(invalid_input) for an --add-host that is not NAME:IP.
void write_userdata(const std::string& dir, const UserData& data);

}  // namespace pod::rootless::container
