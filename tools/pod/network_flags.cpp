#include "tools/pod/network_flags.hpp"

#include <CLI/CLI.hpp>

#include "libcore/net/port_mapping.hpp"
#include "libcore/sys/error.hpp"
#include "storage/container_status.hpp"

namespace pod::tools {

using rootless::container::NetworkMode;

void add_network_flags(CLI::App& verb, NetworkFlags& f) {
  verb.add_option("--network,--net", f.network,
                  "slirp4netns[:allow_host_loopback=true,mtu=N] (default: user-mode networking), none, host or "
                  "container:NAME");
  verb.add_option("-p,--publish", f.publish, "publish [ip:][hostPort:]containerPort[/tcp|/udp] on the host")
      ->allow_extra_args(false);
  verb.add_flag("-P,--publish-all", f.publish_all, "publish the image's EXPOSE ports on free host ports");
  verb.add_option("--dns", f.dns, "DNS server for the container's /etc/resolv.conf")->allow_extra_args(false);
  verb.add_option("--dns-search", f.dns_search, "DNS search domain")->allow_extra_args(false);
  verb.add_option("--dns-option", f.dns_options, "resolver option (ndots:2…)")->allow_extra_args(false);
  verb.add_option("--add-host", f.add_hosts, "NAME:IP line for the container's /etc/hosts")->allow_extra_args(false);
  verb.add_flag("--no-hosts", f.no_hosts, "leave the image's /etc/hosts alone");
}

ContainerNetwork resolve_network(const NetworkFlags& f, const core::oci::ImageConfig& image,
                                 const storage::ContainerStore& containers) {
  ContainerNetwork n;
  n.mode = rootless::container::parse_network_mode(f.network);
  std::vector<core::net::PortMapping> ports;
  for (const auto& spec : f.publish) {
    for (auto& p : core::net::parse_publish(spec)) ports.push_back(p);
  }
  if (f.publish_all) {
    for (const auto& exposed : image.config.exposed_ports) {
      for (auto& p : core::net::parse_publish(exposed)) ports.push_back(p);
    }
  }
  if (!ports.empty() && n.mode.kind != NetworkMode::Kind::slirp) {
    throw Error("publishing ports needs user-mode networking (--network slirp4netns), not --network " + f.network,
                ErrorKind::invalid_input);
  }
  for (auto& p : ports) {
    core::net::reserve_host_port(p);
    n.ports.push_back(core::net::to_canonical(p));
  }
  if (n.mode.kind == NetworkMode::Kind::container) {
    const auto other = containers.resolve(n.mode.container);
    const auto state = storage::container_state(containers.dir(other.id));
    if (state.status != storage::ContainerStatus::running || state.pid <= 0) {
      throw Error("--network container:" + n.mode.container + ": that container is not running", ErrorKind::conflict);
    }
    n.namespace_path = "/proc/" + std::to_string(state.pid) + "/ns/net";
    n.shared_dir = containers.dir(other.id);
  }
  return n;
}

rootless::container::UserData userdata_of(const NetworkFlags& f, const ContainerNetwork& n, const std::string& hostname,
                                          const std::string& name) {
  rootless::container::UserData d;
  d.hostname = hostname;
  d.name = name;
  d.network = n.mode.kind;
  d.dns = f.dns;
  d.dns_search = f.dns_search;
  d.dns_options = f.dns_options;
  d.add_hosts = f.add_hosts;
  d.no_hosts = f.no_hosts;
  d.shared_dir = n.shared_dir;
  return d;
}

}  // namespace pod::tools
