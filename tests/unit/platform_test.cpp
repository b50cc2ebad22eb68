#include "libcore/oci/platform.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "libcore/sys/error.hpp"

using pod::core::oci::Platform;

namespace {

Platform plat(std::string os, std::string arch, std::string variant = "") {
  return Platform{std::move(os), std::move(arch), std::move(variant), {}, {}};
}

struct NormalizeCase {
  Platform in;
  std::string expected;  // to_string of the result
};

struct InvalidCase {
  std::string text;
  std::string message;
};

pod::ErrorKind kind_of_failure(const std::string& text) {
  try {
    pod::core::oci::parse_platform(text);
  } catch (const pod::Error& e) {
    return e.kind();
  }
  return pod::ErrorKind::generic;
}

}  // namespace

TEST_CASE("normalize maps kernel and distribution names to Go's", "[platform]") {
  const auto c = GENERATE(values<NormalizeCase>({
      {plat("linux", "x86_64"), "linux/amd64"},
      {plat("linux", "x86-64"), "linux/amd64"},
      {plat("linux", "amd64"), "linux/amd64"},
      {plat("linux", "aarch64"), "linux/arm64"},
      {plat("linux", "aarch64", "v8"), "linux/arm64"},
      {plat("linux", "arm64", "v8"), "linux/arm64"},
      {plat("linux", "arm64"), "linux/arm64"},
      {plat("linux", "armhf"), "linux/arm/v7"},
      {plat("linux", "armv7l"), "linux/arm/v7"},
      {plat("linux", "armel"), "linux/arm/v6"},
      {plat("linux", "armv6l"), "linux/arm/v6"},
      {plat("linux", "i386"), "linux/386"},
      {plat("linux", "i686"), "linux/386"},
      {plat("linux", "arm", "v7"), "linux/arm/v7"},
      {plat("linux", "arm", "v8"), "linux/arm/v8"},  // 32-bit arm v8 keeps its variant
      {plat("linux", "s390x"), "linux/s390x"},
      {plat("linux", "ppc64le"), "linux/ppc64le"},
      {plat("windows", "x86_64"), "windows/amd64"},
  }));
  CAPTURE(pod::core::oci::to_string(c.in));
  CHECK(pod::core::oci::to_string(pod::core::oci::normalize(c.in)) == c.expected);
}

TEST_CASE("normalize keeps an explicit variant and the other fields", "[platform]") {
  Platform p{"windows", "x86_64", "", "10.0.17763.1", {"win32k"}};
  const Platform n = pod::core::oci::normalize(p);
  CHECK(n.os == "windows");
  CHECK(n.architecture == "amd64");
  CHECK(n.variant.empty());
  CHECK(n.os_version == "10.0.17763.1");
  CHECK(n.os_features == std::vector<std::string>{"win32k"});
  CHECK(pod::core::oci::normalize(plat("linux", "armhf", "v6")) == plat("linux", "arm", "v6"));
  CHECK(pod::core::oci::normalize(n) == n);  // idempotent
}

TEST_CASE("parse_platform accepts os/arch[/variant]", "[platform]") {
  using pod::core::oci::parse_platform;
  CHECK(parse_platform("linux/amd64") == plat("linux", "amd64"));
  CHECK(parse_platform("linux/arm/v7") == plat("linux", "arm", "v7"));
  CHECK(parse_platform("linux/arm64/v8") == plat("linux", "arm64"));
  CHECK(parse_platform("linux/x86_64") == plat("linux", "amd64"));
  CHECK(parse_platform("linux/aarch64") == plat("linux", "arm64"));
  CHECK(parse_platform("linux/armhf") == plat("linux", "arm", "v7"));
  CHECK(parse_platform("linux/ppc64le") == plat("linux", "ppc64le"));
  CHECK(parse_platform("freebsd/riscv64") == plat("freebsd", "riscv64"));
}

TEST_CASE("parse_platform rejects other shapes", "[platform]") {
  const auto c = GENERATE(values<InvalidCase>({
      {"", "invalid platform ``: expected os/arch[/variant]"},
      {"linux", "invalid platform `linux`: expected os/arch[/variant]"},
      {"linux/", "invalid platform `linux/`"},
      {"/amd64", "invalid platform `/amd64`"},
      {"linux//v7", "expected os/arch[/variant]"},
      {"linux/arm/", "expected os/arch[/variant]"},
      {"linux/arm/v7/extra", "invalid platform `linux/arm/v7/extra`: expected os/arch[/variant]"},
      {"Linux/amd64", "expected os/arch[/variant]"},
      {"linux/amd 64", "expected os/arch[/variant]"},
      {"linux/amd64\n", "expected os/arch[/variant]"},
      {"linux:amd64", "expected os/arch[/variant]"},
  }));
  CAPTURE(c.text);
  REQUIRE_THROWS_WITH(pod::core::oci::parse_platform(c.text), Catch::Contains(c.message));
  CHECK(kind_of_failure(c.text) == pod::ErrorKind::invalid_input);
}

TEST_CASE("to_string writes os/arch and the variant when there is one", "[platform]") {
  using pod::core::oci::to_string;
  CHECK(to_string(plat("linux", "amd64")) == "linux/amd64");
  CHECK(to_string(plat("linux", "arm", "v7")) == "linux/arm/v7");
  CHECK(to_string(Platform{"windows", "amd64", "", "10.0", {}}) == "windows/amd64");
  for (const char* text : {"linux/amd64", "linux/arm/v6", "linux/arm64"}) {
    CHECK(to_string(pod::core::oci::parse_platform(text)) == text);
  }
}

TEST_CASE("host_platform is linux on a known architecture", "[platform]") {
  const Platform host = pod::core::oci::host_platform();
  CHECK(host.os == "linux");
  CHECK_FALSE(host.architecture.empty());
  CHECK(host == pod::core::oci::normalize(host));
  CHECK(pod::core::oci::parse_platform(pod::core::oci::to_string(host)) == host);
  CHECK(pod::core::oci::match_rank(host, host) == 0);
}

TEST_CASE("match_rank", "[platform]") {
  using pod::core::oci::match_rank;
  SECTION("os and architecture must be equal") {
    CHECK(match_rank(plat("linux", "amd64"), plat("linux", "amd64")) == 0);
    CHECK_FALSE(match_rank(plat("linux", "amd64"), plat("linux", "arm64")));
    CHECK_FALSE(match_rank(plat("linux", "amd64"), plat("windows", "amd64")));
    CHECK_FALSE(match_rank(plat("linux", "amd64"), Platform{}));
  }
  SECTION("aliases on either side") {
    CHECK(match_rank(plat("linux", "x86_64"), plat("linux", "amd64")) == 0);
    CHECK(match_rank(plat("linux", "arm64"), plat("linux", "aarch64", "v8")) == 0);
    CHECK(match_rank(plat("linux", "arm64", "v8"), plat("linux", "arm64")) == 0);
  }
  SECTION("an empty wanted variant accepts any") {
    CHECK(match_rank(plat("linux", "arm"), plat("linux", "arm", "v6")) == 0);
    CHECK(match_rank(plat("linux", "arm"), plat("linux", "arm", "v7")) == 0);
  }
  SECTION("a wanted arm variant accepts older ones, ranked after the exact one") {
    CHECK(match_rank(plat("linux", "arm", "v8"), plat("linux", "arm", "v8")) == 0);
    const auto v7 = match_rank(plat("linux", "arm", "v8"), plat("linux", "arm", "v7"));
    const auto v6 = match_rank(plat("linux", "arm", "v8"), plat("linux", "arm", "v6"));
    const auto v5 = match_rank(plat("linux", "arm", "v8"), plat("linux", "arm", "v5"));
    REQUIRE(v7);
    REQUIRE(v6);
    REQUIRE(v5);
    CHECK(0 < *v7);
    CHECK(*v7 < *v6);
    CHECK(*v6 < *v5);
  }
  SECTION("but not newer ones, nor a missing one") {
    CHECK_FALSE(match_rank(plat("linux", "arm", "v6"), plat("linux", "arm", "v7")));
    CHECK_FALSE(match_rank(plat("linux", "arm", "v7"), plat("linux", "arm")));
    CHECK_FALSE(match_rank(plat("linux", "arm", "v7"), plat("linux", "arm", "v7l")));
  }
  SECTION("other architectures' variants must be equal") {
    CHECK(match_rank(plat("linux", "amd64", "v3"), plat("linux", "amd64", "v3")) == 0);
    CHECK_FALSE(match_rank(plat("linux", "amd64", "v3"), plat("linux", "amd64", "v2")));
  }
}

TEST_CASE("choose_platform picks the best candidate", "[platform]") {
  using pod::core::oci::choose_platform;
  const std::vector<Platform> candidates{plat("linux", "amd64"), plat("linux", "arm", "v6"),
                                         plat("linux", "arm", "v7"), plat("linux", "arm64")};
  CHECK(choose_platform(candidates, plat("linux", "amd64")) == 0u);
  CHECK(choose_platform(candidates, plat("linux", "arm64", "v8")) == 3u);
  CHECK(choose_platform(candidates, plat("linux", "arm", "v7")) == 2u);
  CHECK(choose_platform(candidates, plat("linux", "arm", "v8")) == 2u);  // v7 beats v6
  CHECK(choose_platform(candidates, plat("linux", "arm", "v6")) == 1u);
  CHECK(choose_platform(candidates, plat("linux", "arm")) == 1u);  // any: the first
  CHECK(choose_platform(candidates, plat("linux", "arm", "v5")) == std::nullopt);
  CHECK(choose_platform(candidates, plat("linux", "s390x")) == std::nullopt);
  CHECK(choose_platform({}, plat("linux", "amd64")) == std::nullopt);
}
