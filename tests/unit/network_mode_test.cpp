#include "rootless/container/network_mode.hpp"

#include <catch2/catch.hpp>

using namespace pod::rootless::container;

TEST_CASE("network mode: modes and slirp4netns options", "[network]") {
  CHECK(parse_network_mode("slirp4netns").kind == NetworkMode::Kind::slirp);
  CHECK(parse_network_mode("none").kind == NetworkMode::Kind::none);
  CHECK(parse_network_mode("host").kind == NetworkMode::Kind::host);
  const auto joined = parse_network_mode("container:web");
  CHECK(joined.kind == NetworkMode::Kind::container);
  CHECK(joined.container == "web");
  const auto options = parse_network_mode("slirp4netns:allow_host_loopback=true,mtu=1500");
  CHECK(options.allow_host_loopback);
  CHECK(options.mtu == 1500);
  CHECK(parse_network_mode("slirp4netns:dns_resolv_conf=/tmp/r").dns_resolv_conf == "/tmp/r");
}

TEST_CASE("network mode: what pod cannot do is refused, saying so", "[network]") {
  CHECK_THROWS_WITH(parse_network_mode("bridge"), Catch::Contains("not available"));
  CHECK_THROWS_WITH(parse_network_mode("slirp4netns:mtu=10"), Catch::Contains("1280"));
  CHECK_THROWS_WITH(parse_network_mode("slirp4netns:enable_ipv6=true"), Catch::Contains("not supported"));
  CHECK_THROWS_WITH(parse_network_mode("slirp4netns:nonsense"), Catch::Contains("unknown slirp4netns option"));
  CHECK_THROWS_WITH(parse_network_mode("container:"), Catch::Contains("container:NAME"));
  CHECK_THROWS_WITH(parse_network_mode("macvlan"), Catch::Contains("unknown mode"));
}
