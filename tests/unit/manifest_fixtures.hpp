// Documents the manifest tests build: manifests and indexes from their parts.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "libcore/oci/manifest.hpp"
#include "libcore/oci/media_types.hpp"

using pod::core::Digest;
using pod::core::oci::Descriptor;
using pod::core::oci::Index;
using pod::core::oci::Manifest;
using pod::core::oci::ManifestKind;
using pod::core::oci::Platform;
namespace media_type = pod::core::oci::media_type;

namespace manifest_fixtures {

inline const std::string kConfigDigest = "sha256:" + std::string(64, 'c');
inline const std::string kLayer0Digest = "sha256:" + std::string(64, '0');
inline const std::string kLayer1Digest = "sha256:" + std::string(64, '1');
inline const std::string kAmd64Digest = "sha256:" + std::string(64, 'a');
inline const std::string kArm64Digest = "sha256:" + std::string(64, 'b');

inline std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// {"mediaType": …, "digest": …, "size": …} plus `extra` members (starting with a comma).
inline std::string descriptor(std::string_view media, std::string_view digest, std::string_view size = "1234",
                       std::string_view extra = "") {
  return R"({"mediaType":)" + quoted(media) + R"(,"digest":)" + quoted(digest) + R"(,"size":)" +
         std::string(size) + std::string(extra) + "}";
}

// An image manifest document built from its parts; `media` empty leaves out mediaType.
inline std::string manifest_json(std::string_view media, std::string_view config, std::string_view layers,
                          std::string_view extra = "") {
  std::string s = R"({"schemaVersion":2)";
  if (!media.empty()) s += R"(,"mediaType":)" + quoted(media);
  if (!config.empty()) s += R"(,"config":)" + std::string(config);
  if (!layers.empty()) s += R"(,"layers":)" + std::string(layers);
  return s + std::string(extra) + "}";
}

inline std::string oci_config() { return descriptor(media_type::kOciConfig, kConfigDigest, "1469"); }

inline std::string oci_layers() {
  return "[" + descriptor(media_type::kOciLayerGzip, kLayer0Digest, "3370706") + "," +
         descriptor(media_type::kOciLayerZstd, kLayer1Digest, "100") + "]";
}

inline std::string valid_oci_manifest() { return manifest_json(media_type::kOciManifest, oci_config(), oci_layers()); }

// A two-platform index (linux/amd64, linux/arm64).
inline std::string index_json(std::string_view media) {
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


inline void check_same(const Platform& a, const Platform& b) { CHECK(a == b); }

inline void check_same(const Descriptor& a, const Descriptor& b) {
  CHECK(a.media_type == b.media_type);
  CHECK(a.digest == b.digest);
  CHECK(a.size == b.size);
  CHECK(a.urls == b.urls);
  CHECK(a.annotations == b.annotations);
  REQUIRE(a.platform.has_value() == b.platform.has_value());
  if (a.platform) check_same(*a.platform, *b.platform);
  CHECK(a.artifact_type == b.artifact_type);
}

inline void check_same(const Manifest& a, const Manifest& b) {
  CHECK(a.kind == b.kind);
  check_same(a.config, b.config);
  REQUIRE(a.layers.size() == b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) check_same(a.layers[i], b.layers[i]);
  CHECK(a.annotations == b.annotations);
  CHECK(a.artifact_type == b.artifact_type);
  REQUIRE(a.subject.has_value() == b.subject.has_value());
  if (a.subject) check_same(*a.subject, *b.subject);
}

inline void check_same(const Index& a, const Index& b) {
  CHECK(a.kind == b.kind);
  REQUIRE(a.manifests.size() == b.manifests.size());
  for (std::size_t i = 0; i < a.manifests.size(); ++i) check_same(a.manifests[i], b.manifests[i]);
  CHECK(a.annotations == b.annotations);
}

inline Platform plat(std::string os, std::string arch, std::string variant = "") {
  return Platform{std::move(os), std::move(arch), std::move(variant), {}, {}};
}

inline Index index_of(std::vector<Platform> platforms) {
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

}  // namespace manifest_fixtures
using namespace manifest_fixtures;
