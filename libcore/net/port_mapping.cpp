#include "libcore/net/port_mapping.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"

namespace pod::core::net {
namespace {

[[noreturn]] void bad(const std::string& spec, const std::string& why) {
  throw Error("-p " + quote_untrusted(spec) + ": " + why + " (use [ip:][hostPort:]containerPort[/tcp|/udp])",
              ErrorKind::invalid_input);
}

std::uint16_t port_number(const std::string& spec, const std::string& text, bool zero_ok) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) {
    bad(spec, "`" + text + "` is not a port number");
  }
  const unsigned long n = std::stoul(text);
  if (n > 65535 || (n == 0 && !zero_ok)) bad(spec, "port " + text + " is out of range (1-65535)");
  return static_cast<std::uint16_t>(n);
}

// "80" or "80-82" → first, count
std::pair<std::uint16_t, unsigned> port_range(const std::string& spec, const std::string& text) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) return {port_number(spec, text, false), 1};
  const auto first = port_number(spec, text.substr(0, dash), false);
  const auto last = port_number(spec, text.substr(dash + 1), false);
  if (last < first) bad(spec, "the range " + text + " ends before it starts");
  return {first, static_cast<unsigned>(last - first + 1)};
}

}  // namespace

std::vector<PortMapping> parse_publish(const std::string& spec) {
  std::string rest = spec, protocol = "tcp";
  if (const auto slash = rest.rfind('/'); slash != std::string::npos) {
    protocol = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (protocol != "tcp" && protocol != "udp") bad(spec, "protocol `" + protocol + "` is not tcp or udp");
  }
  std::string ip, host, container;
  const auto last_colon = rest.rfind(':');
  if (last_colon == std::string::npos) {
    container = rest;
  } else {
    container = rest.substr(last_colon + 1);
    const std::string front = rest.substr(0, last_colon);
    const auto colon = front.rfind(':');
    if (colon == std::string::npos) {
      host = front;
    } else {
      ip = front.substr(0, colon);
      host = front.substr(colon + 1);
    }
  }
  if (!ip.empty()) {
    in_addr a{};
    if (::inet_pton(AF_INET, ip.c_str(), &a) != 1) bad(spec, "`" + ip + "` is not an IPv4 address");
  }
  const auto [container_first, count] = port_range(spec, container);
  std::uint16_t host_first = 0;
  if (!host.empty()) {
    const auto [first, host_count] = port_range(spec, host);
    if (host_count != count) bad(spec, "the host and container ranges differ in length");
    host_first = first;
  }
  std::vector<PortMapping> out;
  for (unsigned i = 0; i < count; ++i) {
    PortMapping p;
    p.protocol = protocol;
    if (!ip.empty()) p.host_ip = ip;
    p.host_port = host_first ? static_cast<std::uint16_t>(host_first + i) : 0;
    p.container_port = static_cast<std::uint16_t>(container_first + i);
    out.push_back(p);
  }
  return out;
}

std::string to_canonical(const PortMapping& p) {
  return p.protocol + ":" + p.host_ip + ":" + std::to_string(p.host_port) + ":" + std::to_string(p.container_port);
}

PortMapping from_canonical(const std::string& text) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 4 || (parts[0] != "tcp" && parts[0] != "udp")) {
    throw Error("port mapping " + quote_untrusted(text) + " is not tcp|udp:IP:HOSTPORT:CONTAINERPORT", ErrorKind::invalid_input);
  }
  PortMapping p;
  p.protocol = parts[0];
  p.host_ip = parts[1];
  p.host_port = port_number(text, parts[2], true);
  p.container_port = port_number(text, parts[3], false);
  return p;
}

std::string to_display(const PortMapping& p) {
  return p.host_ip + ":" + std::to_string(p.host_port) + "->" + std::to_string(p.container_port) + "/" + p.protocol;
}

void reserve_host_port(PortMapping& p) {
  const bool udp = p.protocol == "udp";
  const UniqueFd sock(::socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0));
  if (!sock) throw_errno("open a socket");
  const int one = 1;
  ::setsockopt(sock.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as libslirp listens
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(p.host_port);
  if (::inet_pton(AF_INET, p.host_ip.c_str(), &addr.sin_addr) != 1) {
    throw Error("port mapping: `" + p.host_ip + "` is not an IPv4 address", ErrorKind::invalid_input);
  }
  if (::bind(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      (!udp && ::listen(sock.get(), 1) != 0)) {
    const int e = errno;
    const std::string where = p.host_ip + ":" + std::to_string(p.host_port) + "/" + p.protocol;
    if (e == EADDRINUSE) throw Error("cannot publish " + where + ": the port is already in use on the host", ErrorKind::conflict);
    if (e == EACCES && p.host_port < 1024) {
      throw Error("cannot publish " + where + ": ports below 1024 need root (or a lower net.ipv4.ip_unprivileged_port_start)",
                  ErrorKind::unsupported);
    }
    throw Error("cannot publish " + where + ": " + std::strerror(e));
  }
  if (p.host_port == 0) {
    socklen_t len = sizeof addr;
    ::getsockname(sock.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    p.host_port = ntohs(addr.sin_port);
  }
}

}  // namespace pod::core::net
