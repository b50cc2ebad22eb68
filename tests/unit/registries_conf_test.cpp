#include "libcore/config/registries_conf.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <fstream>
#include <map>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"

using pod::test::fake_env;
using pod::test::write_text;

using pod::core::Reference;
using namespace pod::core::config;

namespace {

// In the style of the registries.conf Podman ships, plus a drop-in's worth of entries.
constexpr std::string_view kShipped = R"(# For more information on this configuration file, see containers-registries.conf(5).
#
# An array of host[:port] registries to try when pulling an unqualified image, in order.
unqualified-search-registries = ["registry.fedoraproject.org", "registry.access.redhat.com", "docker.io", "quay.io"]

short-name-mode = "permissive"

# [[registry]]
# # The "prefix" field is used to choose the relevant [[registry]] TOML table;
# prefix = "example.com/foo"

[[registry]]
prefix = "example.com/foo"
insecure = false
blocked = false
location = "internal-registry-for-example.com/bar/"

[[registry.mirror]]
location = "example-mirror-0.local/mirror-for-foo"

[[registry.mirror]]
location = "example-mirror-1.local/mirrors/foo"
insecure = true

[[registry]]
location = "localhost:5000"
insecure = true

[[registry]]
prefix = "*.blocked.example"
blocked = true

[aliases]
  "fedora" = "registry.fedoraproject.org/fedora"
  "ubi8/ubi" = 'registry.access.redhat.com/ubi8/ubi'
)";

RegistriesConf conf_of(std::string_view text) {
  RegistriesConf conf;
  merge_registries_conf(conf, parse_registries_conf(text, "test.conf"), "test.conf");
  return conf;
}

Reference parse_ref(std::string_view text) { return Reference::parse(text); }

std::string prefix_for(const RegistriesConf& conf, std::string_view text) {
  const Registry* reg = find_registry(conf, parse_ref(text));
  return reg ? reg->prefix : "(none)";
}



struct Invalid {
  std::string text;
  std::string message;
};

}  // namespace

TEST_CASE("a file in the style Podman ships parses", "[registries_conf]") {
  const auto conf = conf_of(kShipped);
  CHECK(conf.unqualified_search_registries ==
        std::vector<std::string>{"registry.fedoraproject.org", "registry.access.redhat.com", "docker.io", "quay.io"});
  CHECK(conf.short_name_mode == ShortNameMode::permissive);
  REQUIRE(conf.registries.size() == 3);  // sorted by prefix
  CHECK(conf.registries[0].prefix == "*.blocked.example");
  CHECK(conf.registries[0].location.empty());
  CHECK(conf.registries[0].blocked);
  const Registry& foo = conf.registries[1];
  CHECK(foo.prefix == "example.com/foo");
  CHECK(foo.location == "internal-registry-for-example.com/bar");  // trailing slash dropped
  REQUIRE(foo.mirrors.size() == 2);
  CHECK(foo.mirrors[0] == Mirror{"example-mirror-0.local/mirror-for-foo", false, MirrorUse::all});
  CHECK(foo.mirrors[1] == Mirror{"example-mirror-1.local/mirrors/foo", true, MirrorUse::all});
  CHECK(conf.registries[2].prefix == "localhost:5000");  // prefix defaults to location
  CHECK(conf.registries[2].insecure);
  CHECK(conf.aliases == std::map<std::string, std::string>{{"fedora", "registry.fedoraproject.org/fedora"},
                                                           {"ubi8/ubi", "registry.access.redhat.com/ubi8/ubi"}});
  CHECK(conf.files == std::vector<std::string>{"test.conf"});
}

TEST_CASE("an empty file gives the defaults", "[registries_conf]") {
  const auto conf = conf_of("# nothing\n");
  CHECK(conf.unqualified_search_registries.empty());
  CHECK(conf.registries.empty());
  CHECK(conf.short_name_mode == ShortNameMode::enforcing);
}

TEST_CASE("invalid registries.conf files are refused with file, line and key", "[registries_conf]") {
  const auto c = GENERATE(values<Invalid>({
      {"unqualified-search-registries = \"docker.io\"\n",
       "test.conf:1: `unqualified-search-registries`: expected an array of strings, got a string"},
      {"unqualified-search-registries = [\"docker.io\", 1]\n",
       "test.conf:1: `unqualified-search-registries`: expected an array of strings, got an integer"},
      {"unqualified-search-registries = [\"quay.io/ns\"]\n",
       "test.conf:1: `unqualified-search-registries`: invalid entry `quay.io/ns`: expected a registry host"},
      {"short-name-mode = \"strict\"\n", "test.conf:1: `short-name-mode`: invalid value `strict`"},
      {"\n[[registry]]\ninsecure = true\n", "test.conf:2: `registry[0]`: both location and prefix are unset"},
      {"[[registry]]\nlocation = \"a.io\"\ninsecure = \"yes\"\n",
       "test.conf:3: `registry[0].insecure`: expected a boolean, got a string"},
      {"[[registry]]\nlocation = \"https://a.io\"\n",
       "test.conf:2: `registry[0].location`: invalid location `https://a.io`: URI schemes are not supported"},
      {"[[registry]]\nprefix = \"a.io/x\"\n",
       "test.conf:1: `registry[0]`: location is unset and prefix `a.io/x` is not of the form `*.example.com`"},
      {"[[registry]]\nprefix = \"*.a.io/x\"\n", "test.conf:2: `registry[0].prefix`: invalid wildcard prefix `*.a.io/x`"},
      {"[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\ninsecure = true\n",
       "test.conf:3: `registry[0].mirror[0]`: mirror location is unset"},
      {"[[registry]]\nlocation = \"a.io\"\n[[registry.mirror]]\nlocation = \"m.io\"\npull-from-mirror = \"some\"\n",
       "test.conf:5: `registry[0].mirror[0].pull-from-mirror`: unsupported value `some`"},
      {"[[registry]]\nlocation = \"a.io\"\npull-from-mirror = \"all\"\n",
       "test.conf:3: `registry[0].pull-from-mirror`: must not be set for a non-mirror registry"},
      {"[[registry]]\nlocation = \"a.io\"\n[[registry]]\nprefix = \"a.io/x\"\nlocation = \"a.io\"\ninsecure = true\n",
       "registry `a.io` is defined multiple times with conflicting `insecure` settings"},
      {"[aliases]\n\"docker.io/x\" = \"docker.io/library/x\"\n",
       "test.conf:2: `aliases.docker.io/x`: the short name must not name a registry"},
      {"[aliases]\n\"x:1\" = \"docker.io/library/x\"\n", "`aliases.x:1`: the short name must not include a tag or digest"},
      {"[aliases]\nx = \"library/x\"\n", "the alias `library/x` must name a registry"},
      {"[aliases]\nx = \"quay.io/x:1\"\n", "the alias `quay.io/x:1` must not include a tag or digest"},
      {"[aliases]\nx = 1\n", "test.conf:2: `aliases.x`: expected a string, got an integer"},
      {"[registries.search]\nregistries = [\"docker.io\"]\n", "test.conf:1: registries.conf version 1"},
      {"[[registry]\n", "test.conf:1: expected `]`"},
  }));
  CAPTURE(c.text);
  REQUIRE_THROWS_WITH(parse_registries_conf(c.text, "test.conf"), Catch::Contains(c.message));
}

TEST_CASE("the longest prefix wins, at component boundaries only", "[registries_conf]") {
  const auto conf = conf_of(R"(
[[registry]]
location = "example.com"
[[registry]]
prefix = "example.com/foo"
location = "mirror.example.com/foo"
[[registry]]
prefix = "example.com/foo/bar:v1"
location = "pinned.example.com/bar"
[[registry]]
prefix = "*.example.org"
location = ""
insecure = true
[[registry]]
prefix = "*.sub.example.org"
blocked = true
[[registry]]
location = "sub.example.org"
)");
  CHECK(prefix_for(conf, "example.com/x") == "example.com");
  CHECK(prefix_for(conf, "example.com/foo") == "example.com/foo");
  CHECK(prefix_for(conf, "example.com/foo/baz:1") == "example.com/foo");
  CHECK(prefix_for(conf, "example.com/foobar") == "example.com");  // not a component boundary
  CHECK(prefix_for(conf, "example.com/foo/bar:v1") == "example.com/foo/bar:v1");
  CHECK(prefix_for(conf, "example.com/foo/bar:v2") == "example.com/foo");
  CHECK(prefix_for(conf, "example.com:5000/x") == "(none)");  // a port is another registry
  CHECK(prefix_for(conf, "example.community/x") == "(none)");
  CHECK(prefix_for(conf, "a.example.org/x") == "*.example.org");
  CHECK(prefix_for(conf, "a.b.example.org:5000/x") == "*.example.org");
  CHECK(prefix_for(conf, "example.org/x") == "(none)");  // a wildcard needs a subdomain
  CHECK(prefix_for(conf, "x.sub.example.org/y") == "*.sub.example.org");
  CHECK(prefix_for(conf, "sub.example.org/y") == "sub.example.org");  // longer than the wildcard
  CHECK(is_insecure(conf, parse_ref("a.example.org/x")));
  CHECK_FALSE(is_insecure(conf, parse_ref("example.com/x")));
  CHECK(is_blocked(conf, parse_ref("x.sub.example.org/y")));
  CHECK_FALSE(is_blocked(conf, parse_ref("sub.example.org/y")));
}

TEST_CASE("pull endpoints: mirrors first, rewritten from prefix to location", "[registries_conf]") {
  const auto conf = conf_of(kShipped);
  const auto endpoints = pull_endpoints(conf, parse_ref("example.com/foo/app/web:1.0"));
  REQUIRE(endpoints.size() == 3);
  CHECK(endpoints[0].reference.str() == "example-mirror-0.local/mirror-for-foo/app/web:1.0");
  CHECK(endpoints[0].mirror);
  CHECK_FALSE(endpoints[0].insecure);
  CHECK(endpoints[1].reference.str() == "example-mirror-1.local/mirrors/foo/app/web:1.0");
  CHECK(endpoints[1].insecure);
  CHECK(endpoints[2].reference.str() == "internal-registry-for-example.com/bar/app/web:1.0");
  CHECK(endpoints[2].location == "internal-registry-for-example.com/bar");
  CHECK_FALSE(endpoints[2].mirror);

  const auto plain = pull_endpoints(conf, parse_ref("quay.io/a/b"));
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].reference.str() == "quay.io/a/b:latest");
  CHECK(plain[0].location == "quay.io");

  const auto local = pull_endpoints(conf, parse_ref("localhost:5000/x"));
  REQUIRE(local.size() == 1);
  CHECK(local[0].insecure);

  REQUIRE_THROWS_WITH(pull_endpoints(conf, parse_ref("r.blocked.example/x")),
                      "registry `*.blocked.example` is blocked in `test.conf`");
}

TEST_CASE("pull endpoints honour mirror-by-digest-only and pull-from-mirror", "[registries_conf]") {
  const std::string digest = "@sha256:" + std::string(64, 'a');
  const auto conf = conf_of(R"(
[[registry]]
location = "docker.io"
mirror-by-digest-only = true
[[registry.mirror]]
location = "mirror.local"
[[registry]]
location = "quay.io"
[[registry.mirror]]
location = "digests.local"
pull-from-mirror = "digest-only"
[[registry.mirror]]
location = "tags.local"
pull-from-mirror = "tag-only"
)");
  CHECK(pull_endpoints(conf, parse_ref("busybox")).size() == 1);
  const auto by_digest = pull_endpoints(conf, parse_ref("busybox" + digest));
  REQUIRE(by_digest.size() == 2);
  CHECK(by_digest[0].reference.str() == "mirror.local/library/busybox" + digest);

  const auto tagged = pull_endpoints(conf, parse_ref("quay.io/a:1"));
  REQUIRE(tagged.size() == 2);
  CHECK(tagged[0].location == "tags.local");
  const auto digested = pull_endpoints(conf, parse_ref("quay.io/a" + digest));
  REQUIRE(digested.size() == 2);
  CHECK(digested[0].location == "digests.local");
}

TEST_CASE("later files override what they set; registries by prefix; aliases merge", "[registries_conf]") {
  RegistriesConf conf;
  merge_registries_conf(conf, parse_registries_conf(kShipped, "a.conf"), "a.conf");
  merge_registries_conf(conf, parse_registries_conf(R"(
short-name-mode = "disabled"
[[registry]]
prefix = "example.com/foo"
location = "other.example.com/foo"
[aliases]
"fedora" = "quay.io/fedora/fedora"
"alpine" = "docker.io/library/alpine"
)", "b.conf"),
                        "b.conf");
  CHECK(conf.unqualified_search_registries.size() == 4);  // not set in b.conf: kept
  CHECK(conf.short_name_mode == ShortNameMode::disabled);
  REQUIRE(conf.registries.size() == 3);
  CHECK(conf.registries[1].location == "other.example.com/foo");
  CHECK(conf.registries[1].mirrors.empty());  // replaced whole
  CHECK(conf.aliases.at("fedora") == "quay.io/fedora/fedora");
  CHECK(conf.aliases.at("alpine") == "docker.io/library/alpine");
  CHECK(conf.aliases.at("ubi8/ubi") == "registry.access.redhat.com/ubi8/ubi");
  CHECK(conf_of("unqualified-search-registries = []\n").unqualified_search_registries.empty());
  CHECK(config_origin(conf) == "`a.conf`, `b.conf`");
}

TEST_CASE("loading follows Podman's file precedence", "[registries_conf]") {
  pod::TempDir tmp("/tmp", "pod-regconf-");
  const std::string sys = tmp.path() + "/etc";
  const std::string home = tmp.path() + "/home";
  const auto env = fake_env({{"HOME", home}});

  SECTION("no files at all: the defaults") {
    const auto conf = load_registries_conf(env, sys);
    CHECK(conf.files.empty());
    CHECK(conf.unqualified_search_registries.empty());
  }
  SECTION("system file, then system and user drop-ins in lexical order") {
    write_text(sys + "/registries.conf", "unqualified-search-registries = [\"docker.io\"]\n");
    write_text(sys + "/registries.conf.d/20-b.conf", "short-name-mode = \"permissive\"\n");
    write_text(sys + "/registries.conf.d/10-a.conf", "unqualified-search-registries = [\"quay.io\"]\n");
    write_text(sys + "/registries.conf.d/ignored.txt", "this is not toml\n");
    write_text(home + "/.config/containers/registries.conf.d/05-user.conf", "short-name-mode = \"disabled\"\n");
    const auto conf = load_registries_conf(env, sys);
    CHECK(conf.files == std::vector<std::string>{sys + "/registries.conf", sys + "/registries.conf.d/10-a.conf",
                                                 sys + "/registries.conf.d/20-b.conf",
                                                 home + "/.config/containers/registries.conf.d/05-user.conf"});
    CHECK(conf.unqualified_search_registries == std::vector<std::string>{"quay.io"});
    CHECK(conf.short_name_mode == ShortNameMode::disabled);
  }
  SECTION("a user file replaces the system file and its drop-ins") {
    write_text(sys + "/registries.conf", "unqualified-search-registries = [\"docker.io\"]\n");
    write_text(sys + "/registries.conf.d/10-a.conf", "short-name-mode = \"disabled\"\n");
    write_text(home + "/.config/containers/registries.conf", "unqualified-search-registries = [\"quay.io\"]\n");
    const auto conf = load_registries_conf(env, sys);
    CHECK(conf.files == std::vector<std::string>{home + "/.config/containers/registries.conf"});
    CHECK(conf.unqualified_search_registries == std::vector<std::string>{"quay.io"});
    CHECK(conf.short_name_mode == ShortNameMode::enforcing);
  }
  SECTION("$XDG_CONFIG_HOME is where the user file lives when set") {
    write_text(tmp.path() + "/xdg/containers/registries.conf", "unqualified-search-registries = [\"a.io\"]\n");
    const auto conf = load_registries_conf(fake_env({{"HOME", home}, {"XDG_CONFIG_HOME", tmp.path() + "/xdg"}}), sys);
    CHECK(conf.unqualified_search_registries == std::vector<std::string>{"a.io"});
  }
  SECTION("$CONTAINERS_REGISTRIES_CONF names the only file read") {
    write_text(sys + "/registries.conf.d/10-a.conf", "short-name-mode = \"disabled\"\n");
    write_text(tmp.path() + "/mine.conf", "unqualified-search-registries = [\"b.io\"]\n");
    const auto conf = load_registries_conf(fake_env({{"HOME", home}, {"CONTAINERS_REGISTRIES_CONF", tmp.path() + "/mine.conf"}}), sys);
    CHECK(conf.files == std::vector<std::string>{tmp.path() + "/mine.conf"});
    CHECK(conf.short_name_mode == ShortNameMode::enforcing);
  }
  SECTION("errors in a drop-in name that file") {
    write_text(sys + "/registries.conf.d/10-bad.conf", "short-name-mode = enforcing\n");
    REQUIRE_THROWS_WITH(load_registries_conf(env, sys),
                        Catch::StartsWith(sys + "/registries.conf.d/10-bad.conf:1: unsupported value `enforcing`"));
  }
  SECTION("load_registries_conf_file: one file, missing is empty") {
    write_text(tmp.path() + "/one.conf", std::string(kShipped));
    CHECK(load_registries_conf_file(tmp.path() + "/one.conf").registries.size() == 3);
    CHECK(load_registries_conf_file(tmp.path() + "/none.conf").files.empty());
  }
}
