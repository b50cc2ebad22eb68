// Media types of the OCI image spec and Docker's v2 schema 2, and what they imply.
#pragma once

#include <optional>
#include <string_view>

namespace pod::core::oci {

namespace media_type {
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";  // uncompressed
inline constexpr std::string_view kDockerForeignLayerGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
inline constexpr std::string_view kDockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";
}  // namespace media_type

enum class ManifestKind { oci_manifest, oci_index, docker_manifest, docker_list };

enum class Compression { none, gzip, zstd };

std::string_view media_type_of(ManifestKind kind);
bool is_index(ManifestKind kind);

// The compression a layer media type implies; nullopt when it is not a known layer type.
std::optional<Compression> layer_compression(std::string_view media_type);
std::string_view compression_name(Compression c);
// The layer media type of `kind`'s family (OCI or Docker) for a compression.
std::string_view layer_media_type(ManifestKind kind, Compression c);
// The config media type of `kind`'s family.
std::string_view config_media_type(ManifestKind kind);

// The Accept header value for manifest requests: every kind we can read, best first.
std::string_view manifest_accept_header();

}  // namespace pod::core::oci
