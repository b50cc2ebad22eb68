#include <catch2/catch.hpp>

#include "libcore/registry/www_authenticate.hpp"

using pod::core::registry::find_challenge;
using pod::core::registry::parse_www_authenticate;

TEST_CASE("a bearer challenge as Docker Hub sends it", "[www_authenticate]") {
  const auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
  REQUIRE(c.size() == 1);
  CHECK(c[0].scheme == "bearer");
  CHECK(c[0].params.at("realm") == "https://auth.docker.io/token");
  CHECK(c[0].params.at("service") == "registry.docker.io");
  CHECK(c[0].params.at("scope") == "repository:library/busybox:pull");
}

TEST_CASE("basic, several challenges, odd spacing, token values and escapes", "[www_authenticate]") {
  const auto c = parse_www_authenticate(R"(Basic realm="Registry \"Realm\"" , Bearer realm=https://a/t, service = svc)");
  REQUIRE(c.size() == 2);
  CHECK(c[0].scheme == "basic");
  CHECK(c[0].params.at("realm") == R"(Registry "Realm")");
  CHECK(c[1].params.at("realm") == "https://a/t");
  CHECK(c[1].params.at("service") == "svc");
  CHECK(find_challenge(c, "bearer"));
  CHECK_FALSE(find_challenge(c, "digest"));
}

TEST_CASE("garbage does not throw", "[www_authenticate]") {
  for (const char* h : {"", "   ", "Bearer realm=\"unterminated", "=,=,", "Bearer ,,,"}) {
    INFO(h);
    CHECK_NOTHROW(parse_www_authenticate(h));
  }
}
