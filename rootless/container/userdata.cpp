#include "rootless/container/userdata.hpp"

#include <unistd.h>

#include <sstream>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

namespace pod::rootless::container {
namespace {

using Kind = NetworkMode::Kind;

std::string hosts_of(const UserData& d) {
  std::string hosts = "127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n";
  if (d.network == Kind::host) hosts = try_read_file("/etc/hosts", 1u << 20).value_or(hosts);
  for (const auto& entry : d.add_hosts) {
    const auto colon = entry.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size()) {
      throw Error("--add-host " + quote_untrusted(entry) + ": use NAME:IP", ErrorKind::invalid_input);
    }
    hosts += entry.substr(colon + 1) + "\t" + entry.substr(0, colon) + "\n";
  }
  const std::string names = d.hostname + (d.name.empty() || d.name == d.hostname ? "" : " " + d.name);
  if (d.network == Kind::slirp) {
    hosts += std::string(kSlirpGuestAddress) + "\t" + names + "\n";
    hosts += std::string(kSlirpGateway) + "\thost.containers.internal host.docker.internal\n";
  } else {
    hosts += "127.0.1.1\t" + names + "\n";
  }
  return hosts;
}

// The host's search and options lines (its nameservers may be loopback addresses the
// container cannot reach; user-mode networking forwards 10.0.2.3 to them instead).
std::string resolv_conf_of(const UserData& d) {
  const std::string host = try_read_file("/etc/resolv.conf", 1u << 20).value_or("");
  if (d.network == Kind::host && d.dns.empty() && d.dns_search.empty() && d.dns_options.empty()) return host;
  std::string search, options, servers;
  std::istringstream lines(host);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("search ", 0) == 0 || line.rfind("domain ", 0) == 0) search = line + "\n";
    if (line.rfind("options ", 0) == 0) options = line + "\n";
    if (line.rfind("nameserver ", 0) == 0) servers += line + "\n";
  }
  if (!d.dns_search.empty()) {
    search = "search";
    for (const auto& s : d.dns_search) search += " " + s;
    search += "\n";
  }
  if (!d.dns_options.empty()) {
    options = "options";
    for (const auto& o : d.dns_options) options += " " + o;
    options += "\n";
  }
  if (!d.dns.empty()) {
    servers.clear();
    for (const auto& s : d.dns) servers += "nameserver " + s + "\n";
  } else if (d.network == Kind::slirp) {
    servers = std::string("nameserver ") + kSlirpDns + "\n";
  }
  return search + servers + options;
}

}  // namespace

void write_userdata(const std::string& dir, const UserData& d) {
  write_state_file(dir + "/hostname", d.hostname + "\n");
  if (d.network == Kind::container && !d.shared_dir.empty()) {
    // One stack, one view of it: the other container's files as they are now.
    for (const char* file : {"/hosts", "/resolv.conf"}) {
      write_state_file(dir + file, try_read_file(d.shared_dir + file, 1u << 20).value_or(""));
    }
    return;
  }
  if (d.no_hosts) {
    ::unlink((dir + "/hosts").c_str());
  } else {
    write_state_file(dir + "/hosts", hosts_of(d));
  }
  write_state_file(dir + "/resolv.conf", resolv_conf_of(d));
}

}  // namespace pod::rootless::container
