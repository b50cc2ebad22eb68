#include "libcore/oci/media_types.hpp"

namespace pod::core::oci {

std::string_view media_type_of(ManifestKind kind) {
  switch (kind) {
    case ManifestKind::oci_manifest: return media_type::kOciManifest;
    case ManifestKind::oci_index: return media_type::kOciIndex;
    case ManifestKind::docker_manifest: return media_type::kDockerManifest;
    case ManifestKind::docker_list: return media_type::kDockerList;
  }
  return {};
}

bool is_index(ManifestKind kind) { return kind == ManifestKind::oci_index || kind == ManifestKind::docker_list; }

std::optional<Compression> layer_compression(std::string_view media_type) {
  using namespace media_type;
  if (media_type == kOciLayer || media_type == kDockerLayer) return Compression::none;
  if (media_type == kOciLayerGzip || media_type == kDockerLayerGzip || media_type == kDockerForeignLayerGzip) {
    return Compression::gzip;
  }
  if (media_type == kOciLayerZstd) return Compression::zstd;
  return std::nullopt;
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return {};
}

std::string_view layer_media_type(ManifestKind kind, Compression c) {
  using namespace media_type;
  const bool docker = kind == ManifestKind::docker_manifest || kind == ManifestKind::docker_list;
  switch (c) {
    case Compression::none: return docker ? kDockerLayer : kOciLayer;
    case Compression::gzip: return docker ? kDockerLayerGzip : kOciLayerGzip;
    case Compression::zstd: return kOciLayerZstd;  // Docker's format has no zstd type
  }
  return kOciLayer;
}

std::string_view config_media_type(ManifestKind kind) {
  const bool docker = kind == ManifestKind::docker_manifest || kind == ManifestKind::docker_list;
  return docker ? media_type::kDockerConfig : media_type::kOciConfig;
}

std::string_view manifest_accept_header() {
  return "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
         "application/vnd.docker.distribution.manifest.list.v2+json, "
         "application/vnd.docker.distribution.manifest.v2+json";
}

}  // namespace pod::core::oci
