// pod-test-net — the networking tests' servers that busybox lacks. Static: it also runs inside
// containers, bind-mounted.
//   pod-test-net dns ADDRESS PORT NAME=IPV4...  answers A queries for the names given, NXDOMAIN
//       for the rest, over UDP, until killed. Just enough of RFC 1035 for busybox nslookup and
//       libc; no recursion, no other record types.
//   pod-test-net udp-echo PORT  sends each datagram back to its sender, until killed.
//   pod-test-net tcp-sink ADDRESS PORT  takes one connection, reads it to the end and prints
//       how many bytes came (the network benchmark's receiver on the host).
//   pod-test-net unix-request PATH TEXT  sends TEXT on the unix socket and prints the answer
//       (the benchmark drives slirp4netns' API socket with it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {

// The query's name ("a.b.c") and where its question ends; empty on a malformed packet.
std::string question_name(const unsigned char* p, std::size_t n, std::size_t& end) {
  std::string name;
  std::size_t i = 12;
  while (i < n && p[i] != 0) {
    const std::size_t len = p[i];
    if (len > 63 || i + 1 + len > n) return {};
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(p + i + 1), len);
    i += 1 + len;
  }
  end = i + 1 + 4;  // the zero label, QTYPE, QCLASS
  return end <= n ? name : std::string();
}

int bound_udp(const char* address, const char* port) {
  const int sock = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(port)));
  ::inet_pton(AF_INET, address, &addr.sin_addr);
  if (::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("pod-test-net: bind");
    std::exit(1);
  }
  return sock;
}

int udp_echo(const char* port) {
  const int sock = bound_udp("0.0.0.0", port);
  for (;;) {
    char buf[65536];
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(sock, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n >= 0) ::sendto(sock, buf, static_cast<std::size_t>(n), 0, reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

int tcp_sink(const char* address, const char* port) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(std::atoi(port)));
  ::inet_pton(AF_INET, address, &addr.sin_addr);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 1) != 0) {
    std::perror("pod-test-net: listen");
    return 1;
  }
  const int conn = ::accept(listener, nullptr, nullptr);
  static char buf[1 << 20];
  unsigned long long total = 0;
  for (ssize_t n; (n = ::read(conn, buf, sizeof buf)) > 0;) total += static_cast<unsigned long long>(n);
  std::printf("%llu\n", total);
  return 0;
}

int unix_request(const char* path, const char* text) {
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  if (::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("pod-test-net: connect");
    return 1;
  }
  if (::write(sock, text, std::strlen(text)) < 0) return 1;
  ::shutdown(sock, SHUT_WR);
  char buf[4096];
  for (ssize_t n; (n = ::read(sock, buf, sizeof buf)) > 0;) std::fwrite(buf, 1, static_cast<std::size_t>(n), stdout);
  std::printf("\n");
  return 0;
}

int dns(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: pod-test-net dns ADDRESS PORT NAME=IPV4...\n");
    return 2;
  }
  ++argv;
  --argc;
  std::map<std::string, in_addr> names;
  for (int i = 3; i < argc; ++i) {
    const std::string entry = argv[i];
    const auto eq = entry.find('=');
    in_addr a{};
    if (eq == std::string::npos || ::inet_pton(AF_INET, entry.substr(eq + 1).c_str(), &a) != 1) return 2;
    names[entry.substr(0, eq)] = a;
  }
  const int sock = bound_udp(argv[1], argv[2]);
  for (;;) {
    unsigned char packet[512];
    sockaddr_in from{};
    socklen_t from_len = sizeof from;
    const ssize_t n = ::recvfrom(sock, packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 12) continue;
    std::size_t end = 0;
    const std::string name = question_name(packet, static_cast<std::size_t>(n), end);
    if (name.empty()) continue;
    const bool is_a = packet[end - 4] == 0 && packet[end - 3] == 1;
    const auto found = names.find(name);
    unsigned char reply[512];
    std::memcpy(reply, packet, end);
    reply[2] = 0x84 | (packet[2] & 0x01);  // a response, authoritative, RD copied
    reply[3] = found == names.end() ? 3 : 0;  // NXDOMAIN or no error
    reply[4] = 0, reply[5] = 1;             // one question
    reply[6] = 0, reply[7] = (found != names.end() && is_a) ? 1 : 0;
    reply[8] = reply[9] = reply[10] = reply[11] = 0;
    std::size_t len = end;
    if (reply[7] == 1) {
      const unsigned char answer[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};
      std::memcpy(reply + len, answer, sizeof answer);
      len += sizeof answer;
      std::memcpy(reply + len, &found->second, 4);
      len += 4;
    }
    ::sendto(sock, reply, len, 0, reinterpret_cast<sockaddr*>(&from), from_len);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string verb = argc > 1 ? argv[1] : "";
  if (verb == "dns") return dns(argc, argv);
  if (verb == "udp-echo" && argc == 3) return udp_echo(argv[2]);
  if (verb == "tcp-sink" && argc == 4) return tcp_sink(argv[2], argv[3]);
  if (verb == "unix-request" && argc == 4) return unix_request(argv[2], argv[3]);
  std::fprintf(stderr, "usage: pod-test-net dns ADDRESS PORT NAME=IPV4... | udp-echo PORT | tcp-sink ADDRESS PORT | unix-request PATH TEXT\n");
  return 2;
}
