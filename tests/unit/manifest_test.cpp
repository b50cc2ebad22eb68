#include "libcore/oci/manifest.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <string>
#include <vector>

#include "libcore/oci/media_types.hpp"
#include "libcore/sys/error.hpp"

using pod::test::kind_of_failure;

using pod::core::Digest;
using pod::core::oci::Descriptor;
using pod::core::oci::Index;
using pod::core::oci::Manifest;
using pod::core::oci::ManifestKind;
using pod::core::oci::Platform;
namespace media_type = pod::core::oci::media_type;

namespace {

const std::string kConfigDigest = "sha256:" + std::string(64, 'c');
const std::string kLayer0Digest = "sha256:" + std::string(64, '0');
const std::string kLayer1Digest = "sha256:" + std::string(64, '1');
const std::string kAmd64Digest = "sha256:" + std::string(64, 'a');
const std::string kArm64Digest = "sha256:" + std::string(64, 'b');

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// {"mediaType": …, "digest": …, "size": …} plus `extra` members (starting with a comma).
std::string descriptor(std::string_view media, std::string_view digest, std::string_view size = "1234",
                       std::string_view extra = "") {
  return R"({"mediaType":)" + quoted(media) + R"(,"digest":)" + quoted(digest) + R"(,"size":)" +
         std::string(size) + std::string(extra) + "}";
}

// An image manifest document built from its parts; `media` empty leaves out mediaType.
std::string manifest_json(std::string_view media, std::string_view config, std::string_view layers,
                          std::string_view extra = "") {
  std::string s = R"({"schemaVersion":2)";
  if (!media.empty()) s += R"(,"mediaType":)" + quoted(media);
  if (!config.empty()) s += R"(,"config":)" + std::string(config);
  if (!layers.empty()) s += R"(,"layers":)" + std::string(layers);
  return s + std::string(extra) + "}";
}

std::string oci_config() { return descriptor(media_type::kOciConfig, kConfigDigest, "1469"); }

std::string oci_layers() {
  return "[" + descriptor(media_type::kOciLayerGzip, kLayer0Digest, "3370706") + "," +
         descriptor(media_type::kOciLayerZstd, kLayer1Digest, "100") + "]";
}

std::string valid_oci_manifest() { return manifest_json(media_type::kOciManifest, oci_config(), oci_layers()); }

// A two-platform index (linux/amd64, linux/arm64).
std::string index_json(std::string_view media) {
  std::string s = R"({"schemaVersion":2)";
  if (!media.empty()) s += R"(,"mediaType":)" + quoted(media);
  return s + R"(,"manifests":[)" +
         descriptor(media_type::kOciManifest, kAmd64Digest, "500",
                    R"(,"platform":{"architecture":"amd64","os":"linux"})") +
         "," +
         descriptor(media_type::kOciManifest, kArm64Digest, "501",
                    R"(,"platform":{"architecture":"arm64","os":"linux","variant":"v8"})") +
         "]}";
}


void check_same(const Platform& a, const Platform& b) { CHECK(a == b); }

void check_same(const Descriptor& a, const Descriptor& b) {
  CHECK(a.media_type == b.media_type);
  CHECK(a.digest == b.digest);
  CHECK(a.size == b.size);
  CHECK(a.urls == b.urls);
  CHECK(a.annotations == b.annotations);
  REQUIRE(a.platform.has_value() == b.platform.has_value());
  if (a.platform) check_same(*a.platform, *b.platform);
  CHECK(a.artifact_type == b.artifact_type);
}

void check_same(const Manifest& a, const Manifest& b) {
  CHECK(a.kind == b.kind);
  check_same(a.config, b.config);
  REQUIRE(a.layers.size() == b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) check_same(a.layers[i], b.layers[i]);
  CHECK(a.annotations == b.annotations);
  CHECK(a.artifact_type == b.artifact_type);
  REQUIRE(a.subject.has_value() == b.subject.has_value());
  if (a.subject) check_same(*a.subject, *b.subject);
}

void check_same(const Index& a, const Index& b) {
  CHECK(a.kind == b.kind);
  REQUIRE(a.manifests.size() == b.manifests.size());
  for (std::size_t i = 0; i < a.manifests.size(); ++i) check_same(a.manifests[i], b.manifests[i]);
  CHECK(a.annotations == b.annotations);
}

Platform plat(std::string os, std::string arch, std::string variant = "") {
  return Platform{std::move(os), std::move(arch), std::move(variant), {}, {}};
}

Index index_of(std::vector<Platform> platforms) {
  Index index;
  char fill = 'a';
  for (auto& p : platforms) {
    Descriptor d;
    d.media_type = media_type::kOciManifest;
    d.digest = Digest::parse("sha256:" + std::string(64, fill++));
    d.size = 100;
    d.platform = std::move(p);
    index.manifests.push_back(std::move(d));
  }
  return index;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Valid documents

TEST_CASE("parse an OCI image manifest with annotations and unknown fields", "[manifest]") {
  const std::string json = R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {
      "mediaType": "application/vnd.oci.image.config.v1+json",
      "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
      "size": 1469,
      "futureField": {"nested": [1, 2, 3]}
    },
    "layers": [
      {
        "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
        "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "size": 3370706,
        "annotations": {"org.opencontainers.image.title": "base.tar.gz"}
      },
      {
        "mediaType": "application/vnd.oci.image.layer.v1.tar+zstd",
        "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
        "size": 0,
        "urls": ["https://example.com/layer"]
      }
    ],
    "annotations": {
      "org.opencontainers.image.created": "2024-01-02T03:04:05Z",
      "org.opencontainers.image.source": "https://example.com/repo"
    },
    "unknownTopLevel": true,
    "anotherOne": null
  })";
  const Manifest m = pod::core::oci::parse_manifest(json);
  CHECK(m.kind == ManifestKind::oci_manifest);
  CHECK(m.config.media_type == media_type::kOciConfig);
  CHECK(m.config.digest.str() == kConfigDigest);
  CHECK(m.config.size == 1469);
  REQUIRE(m.layers.size() == 2);
  CHECK(m.layers[0].media_type == media_type::kOciLayerGzip);
  CHECK(m.layers[0].digest.str() == kLayer0Digest);
  CHECK(m.layers[0].size == 3370706);
  CHECK(m.layers[0].annotations.at("org.opencontainers.image.title") == "base.tar.gz");
  CHECK(m.layers[0].urls.empty());
  CHECK(m.layers[1].media_type == media_type::kOciLayerZstd);
  CHECK(m.layers[1].size == 0);
  CHECK(m.layers[1].urls == std::vector<std::string>{"https://example.com/layer"});
  CHECK(m.annotations.size() == 2);
  CHECK(m.annotations.at("org.opencontainers.image.created") == "2024-01-02T03:04:05Z");
  CHECK_FALSE(m.artifact_type);
  CHECK_FALSE(m.subject);
}

TEST_CASE("parse an OCI manifest with artifactType and subject", "[manifest]") {
  const std::string json = manifest_json(
      media_type::kOciManifest, oci_config(), "[]",
      R"(,"artifactType":"application/vnd.example.sbom","subject":)" +
          descriptor(media_type::kOciManifest, kAmd64Digest, "500"));
  const Manifest m = pod::core::oci::parse_manifest(json);
  CHECK(m.layers.empty());
  CHECK(m.artifact_type == "application/vnd.example.sbom");
  REQUIRE(m.subject);
  CHECK(m.subject->digest.str() == kAmd64Digest);
  CHECK(m.subject->size == 500);
}

TEST_CASE("parse a Docker v2 schema 2 manifest", "[manifest]") {
  const std::string json = R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
      "mediaType": "application/vnd.docker.container.image.v1+json",
      "size": 7023,
      "digest": "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
    },
    "layers": [
      {
        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "size": 32654,
        "digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"
      },
      {
        "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "size": 16724,
        "digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
        "urls": ["https://mcr.microsoft.com/v2/layer"]
      }
    ]
  })";
  const Manifest m = pod::core::oci::parse_manifest(json);
  CHECK(m.kind == ManifestKind::docker_manifest);
  CHECK(m.config.media_type == media_type::kDockerConfig);
  CHECK(m.config.size == 7023);
  REQUIRE(m.layers.size() == 2);
  CHECK(m.layers[0].media_type == media_type::kDockerLayerGzip);
  CHECK(m.layers[1].media_type == media_type::kDockerForeignLayerGzip);
  CHECK(m.layers[1].urls.size() == 1);
  CHECK(m.annotations.empty());
}

TEST_CASE("parse an OCI image index with platforms", "[manifest]") {
  const std::string json = R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [
      {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "size": 500,
        "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}
      },
      {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "size": 501,
        "platform": {
          "architecture": "amd64",
          "os": "windows",
          "os.version": "10.0.17763.5206",
          "os.features": ["win32k"]
        },
        "annotations": {"com.example.key": "value"}
      },
      {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        "size": 840,
        "artifactType": "application/vnd.in-toto+json"
      }
    ],
    "annotations": {"org.opencontainers.image.ref.name": "1.0"},
    "somethingNew": [1]
  })";
  const Index index = pod::core::oci::parse_index(json);
  CHECK(index.kind == ManifestKind::oci_index);
  REQUIRE(index.manifests.size() == 3);
  REQUIRE(index.manifests[0].platform);
  CHECK(*index.manifests[0].platform == plat("linux", "arm", "v7"));
  REQUIRE(index.manifests[1].platform);
  const Platform& windows = *index.manifests[1].platform;
  CHECK(windows.os == "windows");
  CHECK(windows.architecture == "amd64");
  CHECK(windows.variant.empty());
  CHECK(windows.os_version == "10.0.17763.5206");
  CHECK(windows.os_features == std::vector<std::string>{"win32k"});
  CHECK(index.manifests[1].annotations.at("com.example.key") == "value");
  CHECK(index.manifests[1].size == 501);
  CHECK_FALSE(index.manifests[2].platform);
  CHECK(index.manifests[2].artifact_type == "application/vnd.in-toto+json");
  CHECK(index.annotations.at("org.opencontainers.image.ref.name") == "1.0");
}

TEST_CASE("parse a Docker manifest list", "[manifest]") {
  const std::string json = R"({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
    "manifests": [
      {
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "digest": "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "size": 528,
        "platform": {"architecture": "amd64", "os": "linux"}
      },
      {
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "digest": "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "size": 528,
        "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}
      }
    ]
  })";
  const Index index = pod::core::oci::parse_index(json);
  CHECK(index.kind == ManifestKind::docker_list);
  REQUIRE(index.manifests.size() == 2);
  CHECK(index.manifests[0].media_type == media_type::kDockerManifest);
  CHECK(*index.manifests[0].platform == plat("linux", "amd64"));
  CHECK(*index.manifests[1].platform == plat("linux", "arm", "v6"));
  CHECK(index.annotations.empty());
}

TEST_CASE("a document without mediaType is classified by content type, then by shape", "[manifest]") {
  using pod::core::oci::classify_manifest;
  const std::string manifest = manifest_json("", oci_config(), oci_layers());
  const std::string docker_manifest =
      manifest_json("", descriptor(media_type::kDockerConfig, kConfigDigest), "[]");
  const std::string index = index_json("");

  SECTION("by content type") {
    CHECK(classify_manifest(manifest, media_type::kOciManifest) == ManifestKind::oci_manifest);
    CHECK(classify_manifest(docker_manifest, media_type::kDockerManifest) == ManifestKind::docker_manifest);
    CHECK(classify_manifest(index, media_type::kOciIndex) == ManifestKind::oci_index);
    CHECK(classify_manifest(index, media_type::kDockerList) == ManifestKind::docker_list);
    CHECK(pod::core::oci::parse_manifest(docker_manifest, media_type::kDockerManifest).kind ==
          ManifestKind::docker_manifest);
    CHECK(pod::core::oci::parse_index(index, media_type::kDockerList).kind == ManifestKind::docker_list);
  }
  SECTION("by shape when the content type is absent or generic") {
    const auto content_type = GENERATE(as<std::string>{}, "", "application/json", "application/octet-stream");
    CAPTURE(content_type);
    CHECK(classify_manifest(manifest, content_type) == ManifestKind::oci_manifest);
    CHECK(classify_manifest(index, content_type) == ManifestKind::oci_index);
    const Manifest m = pod::core::oci::parse_manifest(manifest, content_type);
    CHECK(m.kind == ManifestKind::oci_manifest);
    CHECK(m.layers.size() == 2);
    CHECK(pod::core::oci::parse_index(index, content_type).manifests.size() == 2);
  }
  SECTION("the document's own mediaType wins over the content type") {
    CHECK(classify_manifest(valid_oci_manifest(), media_type::kDockerManifest) == ManifestKind::oci_manifest);
    CHECK(classify_manifest(index_json(media_type::kDockerList), media_type::kOciIndex) ==
          ManifestKind::docker_list);
  }
  SECTION("neither mediaType nor a known shape") {
    REQUIRE_THROWS_WITH(classify_manifest(R"({"schemaVersion":2,"config":{}})"),
                        "parsing manifest: not a manifest: no mediaType, no `manifests`, no `config` and "
                        "`layers`");
    CHECK(kind_of_failure([] { classify_manifest(R"({"schemaVersion":2})"); }) == pod::ErrorKind::invalid_input);
  }
}

TEST_CASE("media type helpers", "[manifest]") {
  using pod::core::oci::Compression;
  using pod::core::oci::layer_compression;
  CHECK(pod::core::oci::media_type_of(ManifestKind::oci_manifest) == media_type::kOciManifest);
  CHECK(pod::core::oci::media_type_of(ManifestKind::oci_index) == media_type::kOciIndex);
  CHECK(pod::core::oci::media_type_of(ManifestKind::docker_manifest) == media_type::kDockerManifest);
  CHECK(pod::core::oci::media_type_of(ManifestKind::docker_list) == media_type::kDockerList);
  CHECK(pod::core::oci::is_index(ManifestKind::oci_index));
  CHECK(pod::core::oci::is_index(ManifestKind::docker_list));
  CHECK_FALSE(pod::core::oci::is_index(ManifestKind::oci_manifest));
  CHECK_FALSE(pod::core::oci::is_index(ManifestKind::docker_manifest));

  CHECK(layer_compression(media_type::kOciLayer) == Compression::none);
  CHECK(layer_compression(media_type::kOciLayerGzip) == Compression::gzip);
  CHECK(layer_compression(media_type::kOciLayerZstd) == Compression::zstd);
  CHECK(layer_compression(media_type::kDockerLayerGzip) == Compression::gzip);
  CHECK(layer_compression(media_type::kDockerForeignLayerGzip) == Compression::gzip);
  CHECK_FALSE(layer_compression(media_type::kOciConfig));
  CHECK_FALSE(layer_compression("application/vnd.oci.image.layer.v1.tar+bzip2"));
  CHECK(pod::core::oci::compression_name(Compression::none) == "none");
  CHECK(pod::core::oci::compression_name(Compression::gzip) == "gzip");
  CHECK(pod::core::oci::compression_name(Compression::zstd) == "zstd");

  const std::string_view accept = pod::core::oci::manifest_accept_header();
  for (auto kind : {ManifestKind::oci_manifest, ManifestKind::oci_index, ManifestKind::docker_manifest,
                    ManifestKind::docker_list}) {
    CHECK_THAT(std::string(accept), Catch::Contains(std::string(pod::core::oci::media_type_of(kind))));
  }
  CHECK_THAT(std::string(accept), !Catch::Contains("distribution.manifest.v1"));
}

// ---------------------------------------------------------------------------------------------
// Serialization

TEST_CASE("serialize → parse round-trips a manifest and is deterministic", "[manifest]") {
  const std::string source = GENERATE(
      valid_oci_manifest(),
      manifest_json(media_type::kDockerManifest, descriptor(media_type::kDockerConfig, kConfigDigest),
                    "[" + descriptor(media_type::kDockerLayerGzip, kLayer0Digest) + "]"),
      manifest_json(media_type::kOciManifest, oci_config(),
                    "[" + descriptor(media_type::kOciLayer, kLayer0Digest, "7",
                                     R"(,"urls":["https://a","https://b"],"annotations":{"z":"1","a":"2"})") +
                        "]",
                    R"(,"annotations":{"k":"v"},"artifactType":"application/x-test","subject":)" +
                        descriptor(media_type::kOciManifest, kAmd64Digest, "9",
                                   R"(,"platform":{"os":"linux","architecture":"arm","variant":"v7"})")));
  CAPTURE(source);
  const Manifest parsed = pod::core::oci::parse_manifest(source);
  const std::string first = pod::core::oci::serialize(parsed);
  CHECK(pod::core::oci::serialize(parsed) == first);
  CAPTURE(first);
  const Manifest again = pod::core::oci::parse_manifest(first);
  check_same(again, parsed);
  CHECK(pod::core::oci::serialize(again) == first);
  CHECK(pod::core::oci::classify_manifest(first) == parsed.kind);
  CHECK(first.find('\n') == std::string::npos);
  CHECK(first.find(": ") == std::string::npos);
}

TEST_CASE("serialize → parse round-trips an index and is deterministic", "[manifest]") {
  Index index = index_of({plat("linux", "amd64"), plat("linux", "arm", "v7"),
                          Platform{"windows", "amd64", "", "10.0.20348.2227", {"win32k"}}});
  index.manifests[0].annotations["org.opencontainers.image.ref.name"] = "x";
  index.manifests.push_back(index.manifests[0]);
  index.manifests.back().platform.reset();
  index.manifests.back().artifact_type = "application/vnd.example";
  index.annotations["b"] = "2";
  index.annotations["a"] = "1";
  for (auto kind : {ManifestKind::oci_index, ManifestKind::docker_list}) {
    index.kind = kind;
    const std::string first = pod::core::oci::serialize(index);
    CAPTURE(first);
    CHECK(pod::core::oci::serialize(index) == first);
    const Index parsed = pod::core::oci::parse_index(first);
    check_same(parsed, index);
    CHECK(pod::core::oci::serialize(parsed) == first);
  }
}

TEST_CASE("serialize writes sorted keys without whitespace", "[manifest]") {
  Manifest m;
  m.config.media_type = media_type::kOciConfig;
  m.config.digest = Digest::parse(kConfigDigest);
  m.config.size = 2;
  m.annotations["b"] = "2";
  m.annotations["a"] = "1";
  CHECK(pod::core::oci::serialize(m) ==
        R"({"annotations":{"a":"1","b":"2"},"config":{"digest":")" + kConfigDigest +
            R"(","mediaType":"application/vnd.oci.image.config.v1+json","size":2},"layers":[],)"
            R"("mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2})");
  // The same manifest built in another order serializes to the same bytes.
  Manifest n;
  n.annotations["a"] = "1";
  n.annotations["b"] = "2";
  n.config = m.config;
  CHECK(pod::core::oci::serialize(n) == pod::core::oci::serialize(m));
  CHECK(pod::core::digest_of(pod::core::oci::serialize(n)) == pod::core::digest_of(pod::core::oci::serialize(m)));
}

// ---------------------------------------------------------------------------------------------
// Bad input

namespace {

struct BadCase {
  std::string name;
  std::string json;
  std::string message;
  pod::ErrorKind kind = pod::ErrorKind::invalid_input;
};

std::string with_layer(std::string_view layer) {
  return manifest_json(media_type::kOciManifest, oci_config(), "[" + std::string(layer) + "]");
}

}  // namespace

TEST_CASE("parse_manifest rejects bad input with a clear message", "[manifest]") {
  using pod::ErrorKind;
  const auto c = GENERATE(values<BadCase>({
      {"malformed JSON", R"({"schemaVersion": 2,)", "parsing image manifest: malformed JSON"},
      {"empty input", "", "malformed JSON"},
      {"top-level array", "[1, 2]", "parsing image manifest: expected a JSON object, got array"},
      {"top-level string", R"("manifest")", "expected a JSON object, got string"},
      {"schemaVersion 1", R"({"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]})",
       "parsing image manifest: Docker schema 1 manifests are not supported", ErrorKind::unsupported},
      {"schema 1 media type", manifest_json(media_type::kDockerSchema1, oci_config(), oci_layers()),
       "schema 1 manifests are not supported", ErrorKind::unsupported},
      {"signed schema 1 media type", manifest_json(media_type::kDockerSchema1Signed, "", ""),
       "schema 1 manifests are not supported", ErrorKind::unsupported},
      {"unknown mediaType", manifest_json("application/vnd.example.thing+json", oci_config(), oci_layers()),
       "parsing image manifest: unsupported manifest media type `application/vnd.example.thing+json`",
       ErrorKind::unsupported},
      {"mediaType not a string", R"({"schemaVersion":2,"mediaType":5})",
       "field `mediaType`: expected a string, got number"},
      {"schemaVersion 3",
       R"({"schemaVersion":3,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" + oci_config() +
           R"(,"layers":[]})",
       "field `schemaVersion`: expected 2"},
      {"schemaVersion missing",
       R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" + oci_config() +
           R"(,"layers":[]})",
       "field `schemaVersion`: missing"},
      {"schemaVersion a string", R"({"schemaVersion":"2"})", "field `schemaVersion`: expected an integer, got string"},
      {"missing config", manifest_json(media_type::kOciManifest, "", oci_layers()),
       "parsing image manifest: field `config`: missing"},
      {"config null", manifest_json(media_type::kOciManifest, "null", oci_layers()), "field `config`: missing"},
      {"config an array", manifest_json(media_type::kOciManifest, "[]", oci_layers()),
       "field `config`: expected an object, got array"},
      {"config without digest",
       manifest_json(media_type::kOciManifest, R"({"mediaType":"x","size":1})", oci_layers()),
       "field `config.digest`: missing"},
      {"config without mediaType",
       manifest_json(media_type::kOciManifest, R"({"digest":")" + kConfigDigest + R"(","size":1})", oci_layers()),
       "field `config.mediaType`: missing"},
      {"missing layers", manifest_json(media_type::kOciManifest, oci_config(), ""),
       "parsing image manifest: field `layers`: missing"},
      {"layers an object", manifest_json(media_type::kOciManifest, oci_config(), "{}"),
       "field `layers`: expected an array, got object"},
      {"layer not an object", manifest_json(media_type::kOciManifest, oci_config(), R"(["sha256:x"])"),
       "field `layers[0]`: expected an object, got string"},
      {"layer digest of the wrong length", with_layer(descriptor(media_type::kOciLayerGzip, "sha256:abc")),
       "parsing image manifest: field `layers[0].digest`: invalid digest `sha256:abc`: wrong length"},
      {"second layer's digest uppercase",
       manifest_json(media_type::kOciManifest, oci_config(),
                     "[" + descriptor(media_type::kOciLayerGzip, kLayer0Digest) + "," +
                         descriptor(media_type::kOciLayerGzip, "sha256:" + std::string(64, 'A')) + "]"),
       "field `layers[1].digest`: invalid digest"},
      {"layer digest a number", with_layer(R"({"mediaType":"x","digest":12,"size":1})"),
       "field `layers[0].digest`: expected a string, got number"},
      {"layer digest unknown algorithm", with_layer(descriptor(media_type::kOciLayerGzip, "md5:abc")),
       "field `layers[0].digest`: invalid digest `md5:abc`: unsupported algorithm"},
      {"negative size", with_layer(descriptor(media_type::kOciLayerGzip, kLayer0Digest, "-1")),
       "field `layers[0].size`: must not be negative"},
      {"size as a string", with_layer(descriptor(media_type::kOciLayerGzip, kLayer0Digest, R"("1234")")),
       "field `layers[0].size`: expected an integer, got string"},
      {"size as a fraction", with_layer(descriptor(media_type::kOciLayerGzip, kLayer0Digest, "1.5")),
       "field `layers[0].size`: expected an integer, got number"},
      {"size too large", with_layer(descriptor(media_type::kOciLayerGzip, kLayer0Digest, "18446744073709551615")),
       "field `layers[0].size`: integer out of range"},
      {"size missing", with_layer(R"({"mediaType":"x","digest":")" + kLayer0Digest + R"("})"),
       "field `layers[0].size`: missing"},
      {"config size negative",
       manifest_json(media_type::kOciManifest, descriptor(media_type::kOciConfig, kConfigDigest, "-5"), "[]"),
       "field `config.size`: must not be negative"},
      {"urls not strings", with_layer(descriptor(media_type::kOciLayerGzip, kLayer0Digest, "1", R"(,"urls":[1])")),
       "field `layers[0].urls`: expected an array of strings"},
      {"annotation value not a string",
       manifest_json(media_type::kOciManifest, oci_config(), oci_layers(), R"(,"annotations":{"a":1})"),
       "field `annotations.a`: expected a string, got number"},
      {"descriptor platform without os",
       manifest_json(media_type::kOciManifest, oci_config(), oci_layers(),
                     R"(,"subject":)" + descriptor(media_type::kOciManifest, kAmd64Digest, "1",
                                                   R"(,"platform":{"architecture":"amd64"})")),
       "field `subject.platform.os`: missing"},
      {"docker manifest with an OCI config type",
       manifest_json(media_type::kDockerManifest, oci_config(), oci_layers()),
       "parsing image manifest: field `config.mediaType`: expected "
       "application/vnd.docker.container.image.v1+json, got `application/vnd.oci.image.config.v1+json`"},
      {"an OCI index", index_json(media_type::kOciIndex),
       "parsing image manifest: expected an image manifest, got an OCI image index"},
      {"a Docker manifest list", index_json(media_type::kDockerList),
       "expected an image manifest, got a Docker manifest list"},
      {"an index by shape", index_json(""), "expected an image manifest, got an OCI image index"},
  }));
  CAPTURE(c.name, c.json);
  REQUIRE_THROWS_WITH(pod::core::oci::parse_manifest(c.json), Catch::Contains(c.message));
  REQUIRE_THROWS_WITH(pod::core::oci::parse_manifest(c.json), Catch::StartsWith("parsing image manifest: "));
  CHECK(kind_of_failure([&] { pod::core::oci::parse_manifest(c.json); }) == c.kind);
}

TEST_CASE("a schema 1 content type is refused even without a mediaType", "[manifest]") {
  const auto content_type =
      GENERATE(as<std::string>{}, std::string(media_type::kDockerSchema1), std::string(media_type::kDockerSchema1Signed));
  const std::string json = R"({"schemaVersion":2,"config":{},"layers":[]})";
  REQUIRE_THROWS_WITH(pod::core::oci::parse_manifest(json, content_type),
                      Catch::Contains("schema 1 manifests are not supported"));
  CHECK(kind_of_failure([&] { pod::core::oci::classify_manifest(json, content_type); }) ==
        pod::ErrorKind::unsupported);
}

TEST_CASE("unknown media types are quoted truncated", "[manifest]") {
  const std::string hostile(5000, 'x');
  try {
    pod::core::oci::parse_manifest(manifest_json(hostile, oci_config(), oci_layers()));
    FAIL("expected an error");
  } catch (const pod::Error& e) {
    CHECK_THAT(e.message(), Catch::Contains("unsupported manifest media type `xxx"));
    CHECK(e.message().size() < 300);
  }
}

TEST_CASE("parse_index rejects bad input with a clear message", "[manifest]") {
  using pod::ErrorKind;
  const auto c = GENERATE(values<BadCase>({
      {"malformed JSON", "{", "parsing image index: malformed JSON"},
      {"top-level array", "[]", "parsing image index: expected a JSON object, got array"},
      {"an OCI manifest", valid_oci_manifest(),
       "parsing image index: expected an image index, got an OCI image manifest"},
      {"a Docker manifest",
       manifest_json(media_type::kDockerManifest, descriptor(media_type::kDockerConfig, kConfigDigest), "[]"),
       "expected an image index, got a Docker v2 schema 2 manifest"},
      {"a manifest by shape", manifest_json("", oci_config(), oci_layers()),
       "expected an image index, got an OCI image manifest"},
      {"schema 1", R"({"schemaVersion":1})", "parsing image index: Docker schema 1 manifests are not supported",
       ErrorKind::unsupported},
      {"unknown mediaType", R"({"schemaVersion":2,"mediaType":"text/html","manifests":[]})",
       "unsupported manifest media type `text/html`", ErrorKind::unsupported},
      {"manifests missing", R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"})",
       "parsing image index: field `manifests`: missing"},
      {"manifests an object", R"({"schemaVersion":2,"manifests":{}})", "field `manifests`: expected an array"},
      {"entry digest bad",
       R"({"schemaVersion":2,"manifests":[)" + descriptor(media_type::kOciManifest, kAmd64Digest) + "," +
           descriptor(media_type::kOciManifest, "sha256:" + std::string(65, 'a')) + "]}",
       "field `manifests[1].digest`: invalid digest"},
      {"platform without architecture",
       R"({"schemaVersion":2,"manifests":[)" +
           descriptor(media_type::kOciManifest, kAmd64Digest, "1", R"(,"platform":{"os":"linux"})") + "]}",
       "field `manifests[0].platform.architecture`: missing"},
      {"platform variant a number",
       R"({"schemaVersion":2,"manifests":[)" +
           descriptor(media_type::kOciManifest, kAmd64Digest, "1",
                      R"(,"platform":{"os":"linux","architecture":"arm","variant":7})") +
           "]}",
       "field `manifests[0].platform.variant`: expected a string, got number"},
      {"os.features not strings",
       R"({"schemaVersion":2,"manifests":[)" +
           descriptor(media_type::kOciManifest, kAmd64Digest, "1",
                      R"(,"platform":{"os":"windows","architecture":"amd64","os.features":"win32k"})") +
           "]}",
       "field `manifests[0].platform.os.features`: expected an array of strings"},
      {"negative size",
       R"({"schemaVersion":2,"manifests":[)" + descriptor(media_type::kOciManifest, kAmd64Digest, "-1") + "]}",
       "field `manifests[0].size`: must not be negative"},
  }));
  CAPTURE(c.name, c.json);
  REQUIRE_THROWS_WITH(pod::core::oci::parse_index(c.json), Catch::Contains(c.message));
  REQUIRE_THROWS_WITH(pod::core::oci::parse_index(c.json), Catch::StartsWith("parsing image index: "));
  CHECK(kind_of_failure([&] { pod::core::oci::parse_index(c.json); }) == c.kind);
}

TEST_CASE("classify_manifest reports malformed JSON as invalid input", "[manifest]") {
  REQUIRE_THROWS_WITH(pod::core::oci::classify_manifest("not json"), "parsing manifest: malformed JSON");
  CHECK(kind_of_failure([] { pod::core::oci::classify_manifest("not json"); }) == pod::ErrorKind::invalid_input);
  CHECK(kind_of_failure([] { pod::core::oci::classify_manifest("[]"); }) == pod::ErrorKind::invalid_input);
}

// ---------------------------------------------------------------------------------------------
// choose_manifest

TEST_CASE("choose_manifest picks the image for a platform", "[manifest]") {
  using pod::core::oci::choose_manifest;
  SECTION("from a parsed two-platform index") {
    const Index index = pod::core::oci::parse_index(index_json(media_type::kOciIndex));
    CHECK(choose_manifest(index, plat("linux", "amd64")).digest.str() == kAmd64Digest);
    CHECK(choose_manifest(index, plat("linux", "arm64")).digest.str() == kArm64Digest);
    CHECK(choose_manifest(index, plat("linux", "aarch64")).digest.str() == kArm64Digest);
    CHECK(choose_manifest(index, pod::core::oci::parse_platform("linux/x86_64")).digest.str() == kAmd64Digest);
    CHECK(&choose_manifest(index, plat("linux", "amd64")) == &index.manifests[0]);
  }
  SECTION("arm: the exact variant first, an older one when it is all there is") {
    const Index both = index_of({plat("linux", "arm", "v7"), plat("linux", "arm", "v8")});
    CHECK(choose_manifest(both, plat("linux", "arm", "v8")).platform->variant == "v8");
    const Index older = index_of({plat("linux", "arm", "v6"), plat("linux", "arm", "v7"), plat("linux", "amd64")});
    CHECK(choose_manifest(older, plat("linux", "arm", "v8")).platform->variant == "v7");
    CHECK(choose_manifest(older, plat("linux", "arm", "v7")).platform->variant == "v7");
    CHECK(choose_manifest(older, plat("linux", "arm", "v6")).platform->variant == "v6");
    REQUIRE_THROWS_WITH(choose_manifest(older, plat("linux", "arm", "v5")),
                        Catch::Contains("no image for platform linux/arm/v5"));
  }
  SECTION("entries without a platform are skipped") {
    Index index = index_of({plat("linux", "amd64")});
    index.manifests.insert(index.manifests.begin(), index.manifests[0]);
    index.manifests[0].platform.reset();
    CHECK(&choose_manifest(index, plat("linux", "amd64")) == &index.manifests[1]);
  }
}

TEST_CASE("choose_manifest lists the available platforms when none matches", "[manifest]") {
  using pod::core::oci::choose_manifest;
  const Index index = pod::core::oci::parse_index(index_json(media_type::kOciIndex));
  REQUIRE_THROWS_WITH(choose_manifest(index, plat("linux", "s390x")),
                      Catch::Contains("no image for platform linux/s390x"));
  // The index says arm64/v8; the message names platforms normalized, as they are matched.
  REQUIRE_THROWS_WITH(choose_manifest(index, plat("linux", "s390x")),
                      Catch::Contains("linux/amd64, linux/arm64)"));
  CHECK(kind_of_failure([&] { choose_manifest(index, plat("linux", "s390x")); }) == pod::ErrorKind::not_found);

  const Index normalized = index_of({plat("linux", "amd64"), plat("linux", "arm64")});
  REQUIRE_THROWS_WITH(choose_manifest(normalized, plat("linux", "s390x")),
                      "no image for platform linux/s390x in the index (it has: linux/amd64, linux/arm64)");

  Index empty;
  REQUIRE_THROWS_WITH(choose_manifest(empty, plat("linux", "amd64")),
                      Catch::Contains("(it has: no platforms)"));
  Index unlabelled = index_of({plat("linux", "amd64")});
  unlabelled.manifests[0].platform.reset();
  REQUIRE_THROWS_WITH(choose_manifest(unlabelled, plat("linux", "amd64")),
                      Catch::Contains("(it has: no platforms)"));
}
