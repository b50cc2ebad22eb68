#include "libcore/config/short_names.hpp"

#include <catch2/catch.hpp>

#include "libcore/sys/error.hpp"

using namespace pod::core::config;

namespace {

RegistriesConf conf_with(std::vector<std::string> search, ShortNameMode mode = ShortNameMode::enforcing) {
  RegistriesConf conf;
  conf.unqualified_search_registries = std::move(search);
  conf.short_name_mode = mode;
  conf.aliases = {{"fedora", "registry.fedoraproject.org/fedora"}, {"ubi8/ubi", "registry.access.redhat.com/ubi8/ubi"}};
  conf.files = {"/etc/containers/registries.conf"};
  return conf;
}

std::vector<std::string> strs(const ShortNameResolution& r) {
  std::vector<std::string> out;
  for (const auto& ref : r.candidates) out.push_back(ref.str());
  return out;
}

const std::string kDigest = "sha256:" + std::string(64, 'b');

}  // namespace

TEST_CASE("a name with a registry is taken as it is", "[registries_conf][short_names]") {
  const auto r = resolve_short_name(conf_with({}), "quay.io/podman/hello:1", false);
  CHECK(strs(r) == std::vector<std::string>{"quay.io/podman/hello:1"});
  CHECK_FALSE(r.from_alias);
  CHECK(strs(resolve_short_name(conf_with({}), "localhost/app", false)) == std::vector<std::string>{"localhost/app:latest"});
}

TEST_CASE("aliases win and keep the user's tag or digest", "[registries_conf][short_names]") {
  const auto conf = conf_with({"docker.io", "quay.io"});
  const auto plain = resolve_short_name(conf, "fedora", false);
  CHECK(plain.from_alias);
  CHECK(strs(plain) == std::vector<std::string>{"registry.fedoraproject.org/fedora:latest"});
  CHECK(strs(resolve_short_name(conf, "fedora:39", false)) ==
        std::vector<std::string>{"registry.fedoraproject.org/fedora:39"});
  CHECK(strs(resolve_short_name(conf, "ubi8/ubi@" + kDigest, false)) ==
        std::vector<std::string>{"registry.access.redhat.com/ubi8/ubi@" + kDigest});
  CHECK(strs(resolve_short_name(conf, "ubi8/ubi:8.9@" + kDigest, false)) ==
        std::vector<std::string>{"registry.access.redhat.com/ubi8/ubi:8.9@" + kDigest});
}

TEST_CASE("one search registry resolves without asking", "[registries_conf][short_names]") {
  const auto r = resolve_short_name(conf_with({"docker.io"}), "busybox:1.36", false);
  CHECK(strs(r) == std::vector<std::string>{"docker.io/library/busybox:1.36"});
  CHECK_FALSE(r.from_alias);
  CHECK_FALSE(r.should_prompt);
  CHECK(strs(resolve_short_name(conf_with({"quay.io"}), "org/app", false)) ==
        std::vector<std::string>{"quay.io/org/app:latest"});
}

TEST_CASE("an ambiguous short name in enforcing mode without a TTY is an error", "[registries_conf][short_names]") {
  const auto conf = conf_with({"docker.io", "quay.io"});
  REQUIRE_THROWS_WITH(resolve_short_name(conf, "busybox", false),
                      "short-name resolution enforced but cannot prompt without a TTY: `busybox` could be any of: "
                      "docker.io/library/busybox:latest, quay.io/busybox:latest");
  try {
    resolve_short_name(conf, "busybox", false);
  } catch (const pod::Error& e) {
    CHECK(e.kind() == pod::ErrorKind::usage);
  }
  const auto with_tty = resolve_short_name(conf, "busybox", true);
  CHECK(with_tty.should_prompt);
  CHECK(with_tty.candidates.size() == 2);
}

TEST_CASE("permissive and disabled modes return every candidate in order", "[registries_conf][short_names]") {
  const std::vector<std::string> expected{"docker.io/library/busybox:latest", "quay.io/busybox:latest",
                                          "localhost:5000/busybox:latest"};
  const auto permissive = resolve_short_name(conf_with({"docker.io", "quay.io", "localhost:5000"}, ShortNameMode::permissive),
                                             "busybox", false);
  CHECK(strs(permissive) == expected);
  CHECK_FALSE(permissive.should_prompt);
  CHECK(resolve_short_name(conf_with({"docker.io", "quay.io", "localhost:5000"}, ShortNameMode::permissive), "busybox", true)
            .should_prompt);
  const auto disabled = resolve_short_name(conf_with({"docker.io", "quay.io", "localhost:5000"}, ShortNameMode::disabled),
                                           "busybox", true);
  CHECK(strs(disabled) == expected);
  CHECK_FALSE(disabled.should_prompt);
}

TEST_CASE("no alias and no search registries is an error naming the files", "[registries_conf][short_names]") {
  REQUIRE_THROWS_WITH(resolve_short_name(conf_with({}, ShortNameMode::permissive), "busybox", false),
                      "short-name `busybox` did not resolve to an alias and no unqualified-search registries are "
                      "defined in `/etc/containers/registries.conf`");
  REQUIRE_THROWS_WITH(resolve_short_name(RegistriesConf{}, "busybox", false),
                      Catch::EndsWith("defined in registries.conf (no file was found)"));
}

TEST_CASE("text that is no reference is refused before any lookup", "[registries_conf][short_names]") {
  REQUIRE_THROWS_WITH(resolve_short_name(conf_with({"docker.io"}), "BusyBox", false),
                      Catch::StartsWith("invalid reference `BusyBox`"));
}
