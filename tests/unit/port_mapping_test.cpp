#include "libcore/net/port_mapping.hpp"

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"

using namespace pod::core::net;

TEST_CASE("port mapping: Podman's forms, ranges and protocols", "[network]") {
  auto one = parse_publish("8080:80");
  REQUIRE(one.size() == 1);
  CHECK(to_canonical(one[0]) == "tcp:0.0.0.0:8080:80");
  CHECK(to_canonical(parse_publish("127.0.0.1:53:53/udp")[0]) == "udp:127.0.0.1:53:53");
  CHECK(to_canonical(parse_publish("80")[0]) == "tcp:0.0.0.0:0:80");          // a host port to pick
  CHECK(to_canonical(parse_publish("127.0.0.1::80")[0]) == "tcp:127.0.0.1:0:80");
  const auto range = parse_publish("9000-9002:90-92");
  REQUIRE(range.size() == 3);
  CHECK(to_canonical(range[2]) == "tcp:0.0.0.0:9002:92");
  CHECK(to_display(range[0]) == "0.0.0.0:9000->90/tcp");
}

TEST_CASE("port mapping: bad values are refused, naming them", "[network]") {
  CHECK_THROWS_WITH(parse_publish("80/sctp"), Catch::Contains("sctp"));
  CHECK_THROWS_WITH(parse_publish("70000:80"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(parse_publish("1-3:1-2"), Catch::Contains("differ in length"));
  CHECK_THROWS_WITH(parse_publish("host:80:80"), Catch::Contains("IPv4"));
  CHECK_THROWS_WITH(parse_publish("x"), Catch::Contains("not a port"));
  CHECK_THROWS_AS(from_canonical("tcp:1.2.3.4:80"), pod::Error);
}

TEST_CASE("port mapping: the canonical form round-trips", "[network]") {
  const auto p = from_canonical("udp:127.0.0.1:5353:53");
  CHECK(p.protocol == "udp");
  CHECK(p.host_ip == "127.0.0.1");
  CHECK(p.host_port == 5353);
  CHECK(p.container_port == 53);
  CHECK(to_canonical(p) == "udp:127.0.0.1:5353:53");
}

TEST_CASE("reserve_host_port: a free port is picked; a taken one is refused", "[network]") {
  PortMapping p = parse_publish("127.0.0.1::80")[0];
  reserve_host_port(p);
  CHECK(p.host_port != 0);
  CHECK_NOTHROW(reserve_host_port(p));  // free again once checked
}
