#include "libcore/oci/image_config.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <map>
#include <string>
#include <vector>

#include "libcore/sys/error.hpp"

using pod::test::kind_of_failure;

using pod::core::Digest;
using pod::core::oci::ContainerConfig;
using pod::core::oci::HistoryEntry;
using pod::core::oci::ImageConfig;
using pod::core::oci::parse_image_config;

namespace {

using Strings = std::vector<std::string>;

const std::string kDiff0 = "sha256:" + std::string(64, '0');
const std::string kDiff1 = "sha256:" + std::string(64, '1');

// A config as a registry serves it (Docker's field names, some extra fields we ignore).
const std::string kRealistic = R"({
  "architecture": "amd64",
  "os": "linux",
  "variant": "",
  "created": "2024-05-06T07:08:09.123456789Z",
  "author": "Jane Doe <jane@example.com>",
  "docker_version": "24.0.7",
  "config": {
    "Hostname": "",
    "User": "app:app",
    "ExposedPorts": {"80/tcp": {}, "443/tcp": {}, "53/udp": {}},
    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.25.3", "EMPTY="],
    "Cmd": ["nginx", "-g", "daemon off;"],
    "Volumes": {"/var/cache/nginx": {}, "/data": {}},
    "WorkingDir": "/srv",
    "Labels": {"maintainer": "NGINX Docker Maintainers", "org.opencontainers.image.version": "1.25.3"},
    "StopSignal": "SIGQUIT",
    "OnBuild": null,
    "ArgsEscaped": true
  },
  "rootfs": {
    "type": "layers",
    "diff_ids": [
      "sha256:0000000000000000000000000000000000000000000000000000000000000000",
      "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    ]
  },
  "history": [
    {"created": "2024-05-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in / "},
    {"created": "2024-05-01T00:00:01Z", "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true},
    {"created": "2024-05-06T07:08:09Z", "created_by": "RUN apt-get install nginx", "author": "Jane",
     "comment": "buildkit.dockerfile.v0"}
  ]
})";

// A minimal config with `config_body` as its "config" object.
std::string with_container_config(std::string_view config_body) {
  return R"({"architecture":"arm64","os":"linux","config":)" + std::string(config_body) +
         R"(,"rootfs":{"type":"layers","diff_ids":[]}})";
}


void check_same(const ContainerConfig& a, const ContainerConfig& b) {
  CHECK(a.user == b.user);
  CHECK(a.exposed_ports == b.exposed_ports);
  CHECK(a.env == b.env);
  CHECK(a.entrypoint == b.entrypoint);
  CHECK(a.cmd == b.cmd);
  CHECK(a.volumes == b.volumes);
  CHECK(a.working_dir == b.working_dir);
  CHECK(a.labels == b.labels);
  CHECK(a.stop_signal == b.stop_signal);
}

void check_same(const HistoryEntry& a, const HistoryEntry& b) {
  CHECK(a.created == b.created);
  CHECK(a.created_by == b.created_by);
  CHECK(a.author == b.author);
  CHECK(a.comment == b.comment);
  CHECK(a.empty_layer == b.empty_layer);
}

void check_same(const ImageConfig& a, const ImageConfig& b) {
  CHECK(a.created == b.created);
  CHECK(a.author == b.author);
  CHECK(a.architecture == b.architecture);
  CHECK(a.os == b.os);
  CHECK(a.variant == b.variant);
  check_same(a.config, b.config);
  CHECK(a.diff_ids == b.diff_ids);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t i = 0; i < a.history.size(); ++i) check_same(a.history[i], b.history[i]);
}

}  // namespace

TEST_CASE("parse a realistic image config", "[image_config]") {
  const ImageConfig c = parse_image_config(kRealistic);
  CHECK(c.architecture == "amd64");
  CHECK(c.os == "linux");
  CHECK(c.variant.empty());
  CHECK(c.created == "2024-05-06T07:08:09.123456789Z");
  CHECK(c.author == "Jane Doe <jane@example.com>");

  const ContainerConfig& cc = c.config;
  CHECK(cc.user == "app:app");
  CHECK(cc.exposed_ports == Strings{"443/tcp", "53/udp", "80/tcp"});  // the object's keys, sorted
  CHECK(cc.env == Strings{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                          "NGINX_VERSION=1.25.3", "EMPTY="});
  CHECK_FALSE(cc.entrypoint);
  REQUIRE(cc.cmd);
  CHECK(*cc.cmd == Strings{"nginx", "-g", "daemon off;"});
  CHECK(cc.volumes == Strings{"/data", "/var/cache/nginx"});
  CHECK(cc.working_dir == "/srv");
  CHECK(cc.labels == std::map<std::string, std::string>{{"maintainer", "NGINX Docker Maintainers"},
                                                        {"org.opencontainers.image.version", "1.25.3"}});
  CHECK(cc.stop_signal == "SIGQUIT");

  CHECK(c.diff_ids == std::vector<Digest>{Digest::parse(kDiff0), Digest::parse(kDiff1)});

  REQUIRE(c.history.size() == 3);
  CHECK(c.history[0].created == "2024-05-01T00:00:00Z");
  CHECK(c.history[0].created_by == "/bin/sh -c #(nop) ADD file:abc in / ");
  CHECK_FALSE(c.history[0].empty_layer);
  CHECK(c.history[1].created_by == R"(/bin/sh -c #(nop)  CMD ["bash"])");
  CHECK(c.history[1].empty_layer);
  CHECK(c.history[2].author == "Jane");
  CHECK(c.history[2].comment == "buildkit.dockerfile.v0");
  CHECK_FALSE(c.history[2].empty_layer);
}

TEST_CASE("Entrypoint and Cmd: absent, null and empty are distinguished", "[image_config]") {
  SECTION("absent") {
    const ImageConfig c = parse_image_config(with_container_config("{}"));
    CHECK_FALSE(c.config.entrypoint);
    CHECK_FALSE(c.config.cmd);
  }
  SECTION("null counts as absent") {
    const ImageConfig c = parse_image_config(with_container_config(R"({"Entrypoint":null,"Cmd":null})"));
    CHECK_FALSE(c.config.entrypoint);
    CHECK_FALSE(c.config.cmd);
  }
  SECTION("empty arrays clear") {
    const ImageConfig c = parse_image_config(with_container_config(R"({"Entrypoint":[],"Cmd":[]})"));
    REQUIRE(c.config.entrypoint);
    CHECK(c.config.entrypoint->empty());
    REQUIRE(c.config.cmd);
    CHECK(c.config.cmd->empty());
  }
  SECTION("values") {
    const ImageConfig c =
        parse_image_config(with_container_config(R"({"Entrypoint":["/docker-entrypoint.sh"],"Cmd":["run"]})"));
    CHECK(c.config.entrypoint == Strings{"/docker-entrypoint.sh"});
    CHECK(c.config.cmd == Strings{"run"});
  }
  SECTION("the distinction survives serialize") {
    const ImageConfig c = parse_image_config(with_container_config(R"({"Entrypoint":[]})"));
    const ImageConfig again = parse_image_config(pod::core::oci::serialize(c));
    REQUIRE(again.config.entrypoint);
    CHECK(again.config.entrypoint->empty());
    CHECK_FALSE(again.config.cmd);
  }
}

TEST_CASE("a config without a container config or history is fine", "[image_config]") {
  const ImageConfig c = parse_image_config(
      R"({"architecture":"arm","variant":"v7","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})");
  CHECK(c.architecture == "arm");
  CHECK(c.variant == "v7");
  CHECK(c.created.empty());
  CHECK(c.config.env.empty());
  CHECK(c.config.exposed_ports.empty());
  CHECK(c.config.labels.empty());
  CHECK(c.diff_ids.empty());
  CHECK(c.history.empty());
}

TEST_CASE("serialize → parse round-trips an image config", "[image_config]") {
  SECTION("the realistic config") {
    const ImageConfig parsed = parse_image_config(kRealistic);
    const std::string first = pod::core::oci::serialize(parsed);
    CAPTURE(first);
    CHECK(pod::core::oci::serialize(parsed) == first);
    const ImageConfig again = parse_image_config(first);
    check_same(again, parsed);
    CHECK(pod::core::oci::serialize(again) == first);
    CHECK(first.find('\n') == std::string::npos);
  }
  SECTION("a config built in code") {
    ImageConfig c;
    c.architecture = "s390x";
    c.os = "linux";
    c.created = "2024-01-01T00:00:00Z";
    c.config.user = "1000";
    c.config.env = {"A=1", "B=two words"};
    c.config.entrypoint = Strings{"/bin/sh", "-c"};
    c.config.cmd = Strings{};
    c.config.exposed_ports = {"8080/tcp"};
    c.config.volumes = {"/data"};
    c.config.labels = {{"a", "1"}};
    c.config.working_dir = "/";
    c.config.stop_signal = "SIGTERM";
    c.diff_ids = {Digest::parse(kDiff1), Digest::parse(kDiff0), Digest::parse(kDiff1)};  // order kept
    c.history = {HistoryEntry{"t0", "ADD x", "", "", false}, HistoryEntry{"t1", "ENV A=1", "me", "c", true}};
    const ImageConfig again = parse_image_config(pod::core::oci::serialize(c));
    check_same(again, c);
  }
}

namespace {

struct BadCase {
  std::string name;
  std::string json;
  std::string message;
};

}  // namespace

TEST_CASE("parse_image_config rejects bad input naming the field", "[image_config]") {
  const auto c = GENERATE(values<BadCase>({
      {"malformed JSON", R"({"os":)", "parsing image config: malformed JSON"},
      {"top-level array", "[]", "parsing image config: expected a JSON object, got array"},
      {"missing rootfs", R"({"architecture":"amd64","os":"linux"})", "parsing image config: field `rootfs`: missing"},
      {"rootfs not an object", R"({"architecture":"amd64","os":"linux","rootfs":"layers"})",
       "field `rootfs`: expected an object, got string"},
      {"rootfs type missing", R"({"architecture":"amd64","os":"linux","rootfs":{"diff_ids":[]}})",
       "field `rootfs.type`: missing"},
      {"rootfs type not layers", R"({"architecture":"amd64","os":"linux","rootfs":{"type":"snapshot","diff_ids":[]}})",
       R"(field `rootfs.type`: expected "layers")"},
      {"diff_ids missing", R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers"}})",
       "field `rootfs.diff_ids`: missing"},
      {"diff_ids not an array", R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":{}}})",
       "field `rootfs.diff_ids`: expected an array of strings"},
      {"bad diff_id",
       R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[")" + kDiff0 +
           R"(","sha256:1234"]}})",
       "field `rootfs.diff_ids[1]`: invalid digest `sha256:1234`: wrong length"},
      {"diff_id not a string", R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[1]}})",
       "field `rootfs.diff_ids`: expected an array of strings, found a number"},
      {"missing os", R"({"architecture":"amd64","rootfs":{"type":"layers","diff_ids":[]}})",
       "parsing image config: field `os`: missing"},
      {"missing architecture", R"({"os":"linux","rootfs":{"type":"layers","diff_ids":[]}})",
       "parsing image config: field `architecture`: missing"},
      {"architecture not a string", R"({"architecture":64,"os":"linux","rootfs":{"type":"layers","diff_ids":[]}})",
       "field `architecture`: expected a string, got number"},
      {"Env not an array", with_container_config(R"({"Env":"PATH=/bin"})"),
       "field `config.Env`: expected an array of strings, got string"},
      {"Env with a number", with_container_config(R"({"Env":["A=1",2]})"),
       "field `config.Env`: expected an array of strings, found a number"},
      {"Cmd a string", with_container_config(R"({"Cmd":"nginx"})"),
       "field `config.Cmd`: expected an array of strings, got string"},
      {"Entrypoint with null", with_container_config(R"({"Entrypoint":[null]})"),
       "field `config.Entrypoint`: expected an array of strings, found a null"},
      {"ExposedPorts an array", with_container_config(R"({"ExposedPorts":["80/tcp"]})"),
       "field `config.ExposedPorts`: expected an object, got array"},
      {"Labels with a number", with_container_config(R"({"Labels":{"a":1}})"),
       "field `config.Labels.a`: expected a string, got number"},
      {"User a number", with_container_config(R"({"User":0})"), "field `config.User`: expected a string, got number"},
      {"config an array", with_container_config("[]"), "field `config`: expected an object, got array"},
      {"history not an array",
       R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":{}})",
       "field `history`: expected an array, got object"},
      {"empty_layer a string",
       R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},)"
       R"("history":[{},{"empty_layer":"true"}]})",
       "field `history[1].empty_layer`: expected a boolean, got string"},
  }));
  CAPTURE(c.name, c.json);
  REQUIRE_THROWS_WITH(parse_image_config(c.json), Catch::Contains(c.message));
  REQUIRE_THROWS_WITH(parse_image_config(c.json), Catch::StartsWith("parsing image config: "));
  CHECK(kind_of_failure([&] { parse_image_config(c.json); }) == pod::ErrorKind::invalid_input);
}
