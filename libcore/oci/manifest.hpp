// Image manifests and indexes: OCI image manifest / index and Docker v2 schema 2 manifest /
// manifest list, in one pair of types. Parsers are strict about required fields and their
// types and tolerant of unknown fields; schema 1 is refused with a message saying so.
// Serialization is deterministic (sorted keys, no whitespace), so the same value always has
// the same digest.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "libcore/digest.hpp"
#include "libcore/oci/media_types.hpp"
#include "libcore/oci/platform.hpp"

namespace pod::core::oci {

struct Descriptor {
  std::string media_type;
  Digest digest;
  std::int64_t size = 0;
  std::vector<std::string> urls;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
  std::optional<std::string> artifact_type;
};

struct Manifest {
  ManifestKind kind = ManifestKind::oci_manifest;  // oci_manifest or docker_manifest
  Descriptor config;
  std::vector<Descriptor> layers;
  std::map<std::string, std::string> annotations;
  std::optional<std::string> artifact_type;
  std::optional<Descriptor> subject;
};

struct Index {
  ManifestKind kind = ManifestKind::oci_index;  // oci_index or docker_list
  std::vector<Descriptor> manifests;
  std::map<std::string, std::string> annotations;
};

// What the bytes are. The document's own mediaType wins; without one, a known
// `content_type` (from the registry or a layout) decides; without either, the shape
// ("manifests" → index, "config"+"layers" → image manifest). Throws Error(unsupported) for
// schema 1 and unknown types, Error(invalid_input) for malformed JSON.
ManifestKind classify_manifest(std::string_view bytes, std::string_view content_type = {});

// Throw Error(invalid_input) naming the field when the bytes are not a valid manifest /
// index; a manifest where an index was expected (or the reverse) is an error too.
Manifest parse_manifest(std::string_view bytes, std::string_view content_type = {});
Index parse_index(std::string_view bytes, std::string_view content_type = {});

std::string serialize(const Manifest& manifest);
std::string serialize(const Index& index);

// The best image of `index` for `wanted`, or Error(not_found) listing the platforms it has.
const Descriptor& choose_manifest(const Index& index, const Platform& wanted);

}  // namespace pod::core::oci
