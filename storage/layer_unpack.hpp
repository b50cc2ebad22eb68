// What pulling and loading share: the layer records an image's manifest and config imply
// (chain IDs), unpacking a stored blob into a layer directory, and the image record.
#pragma once

#include <string>
#include <vector>

#include "libcore/oci/image_config.hpp"
#include "libcore/oci/manifest.hpp"
#include "storage/image_store.hpp"
#include "storage/layer/apply.hpp"
#include "storage/layer_store.hpp"

namespace pod::storage {

struct LayerJob {
  core::oci::Descriptor blob;
  LayerRecord record;
};

// One job per layer, bottom first; Error(invalid_input) when the config's diff IDs do not
// match the layers, Error(unsupported) for a layer type that is not a tar.
std::vector<LayerJob> plan_layers(const core::oci::Manifest& manifest, const core::oci::ImageConfig& config);

// Applies the blob (any compression) to `dir_fd`, hashing the tar for its diff ID.
UnpackResult unpack_blob(const std::string& blob_path, int dir_fd, const ApplyOptions& options);

// How a store unpacks layers for this process (rootless or not).
ApplyOptions apply_options_for(const core::Digest& blob, bool rootless);

struct ImageToRecord {
  std::string manifest_bytes;
  core::Digest manifest_digest;
  core::oci::ManifestKind kind = core::oci::ManifestKind::oci_manifest;
  std::string config_bytes;
  core::oci::ImageConfig config;
  std::vector<LayerJob> layers;
  std::vector<std::string> names;
};

// Records the image (its layers already exist) under its names.
ImageRecord record_image(const Store& store, const ImageToRecord& image);

}  // namespace pod::storage
