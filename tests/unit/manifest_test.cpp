#include "libcore/oci/manifest.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/manifest_fixtures.hpp"
#include "tests/unit/test_support.hpp"

#include <string>
#include <vector>

#include "libcore/oci/media_types.hpp"
#include "libcore/sys/error.hpp"

using pod::test::kind_of_failure;


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
