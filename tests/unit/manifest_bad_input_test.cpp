// Bad input for the manifest and index parsers: each case a clear message and kind.
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

