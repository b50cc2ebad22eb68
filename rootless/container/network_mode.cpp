#include "rootless/container/network_mode.hpp"

#include "libcore/sys/error.hpp"
#include "libcore/sys/process.hpp"

namespace pod::rootless::container {
namespace {

[[noreturn]] void bad(const std::string& text, const std::string& why) {
  throw Error("--network " + quote_untrusted(text) + ": " + why, ErrorKind::invalid_input);
}

void apply_slirp_option(NetworkMode& m, const std::string& text, const std::string& option) {
  const auto eq = option.find('=');
  const std::string key = option.substr(0, eq), value = eq == std::string::npos ? "" : option.substr(eq + 1);
  if (key == "allow_host_loopback" && (value == "true" || value == "false")) {
    m.allow_host_loopback = value == "true";
  } else if (key == "mtu" && !value.empty() && value.find_first_not_of("0123456789") == std::string::npos &&
             value.size() < 6) {
    m.mtu = static_cast<unsigned>(std::stoul(value));
    if (m.mtu < 1280 || m.mtu > 65521) bad(text, "mtu must be 1280-65521");
  } else if (key == "dns_resolv_conf" && !value.empty() && value.front() == '/') {
    m.dns_resolv_conf = value;
  } else if (key == "enable_ipv6" || key == "port_handler" || key == "cidr" || key == "outbound_addr") {
    bad(text, "the slirp4netns option `" + key + "` is not supported by pod-slirp");
  } else {
    bad(text, "unknown slirp4netns option `" + option + "` (allow_host_loopback=true|false, mtu=N, dns_resolv_conf=/FILE)");
  }
}

}  // namespace

NetworkMode parse_network_mode(const std::string& text) {
  NetworkMode m;
  if (text == "none") {
    m.kind = NetworkMode::Kind::none;
  } else if (text == "host") {
    m.kind = NetworkMode::Kind::host;
  } else if (text.rfind("container:", 0) == 0) {
    m.kind = NetworkMode::Kind::container;
    m.container = text.substr(10);
    if (m.container.empty()) bad(text, "name the container: container:NAME");
  } else if (text == "slirp4netns" || text == "private" || text.rfind("slirp4netns:", 0) == 0) {
    if (text.size() > 12) {
      std::string options = text.substr(12);
      for (std::size_t start = 0; start <= options.size();) {
        const auto comma = options.find(',', start);
        apply_slirp_option(m, text, options.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
  } else if (text == "bridge" || text == "pasta") {
    bad(text, "not available: pod has user-mode networking (slirp4netns), none, host and container:NAME");
  } else {
    bad(text, "unknown mode (slirp4netns[:OPTIONS], none, host, container:NAME)");
  }
  return m;
}

std::vector<std::string> slirp_command(const NetworkMode& m, const std::vector<std::string>& ports) {
  std::vector<std::string> argv = {find_helper_binary("pod-slirp"), "--mtu", std::to_string(m.mtu)};
  if (m.allow_host_loopback) argv.push_back("--allow-host-loopback");
  if (!m.dns_resolv_conf.empty()) argv.insert(argv.end(), {"--resolv-conf", m.dns_resolv_conf});
  for (const auto& p : ports) argv.insert(argv.end(), {"--publish", p});
  return argv;
}

}  // namespace pod::rootless::container
