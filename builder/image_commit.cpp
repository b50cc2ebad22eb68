// The built image into the store: its config (labels, layers' diff IDs, history), a manifest
// in the format asked for, and the record under the tags.
#include "builder/image_commit.hpp"

#include "libcore/digest.hpp"
#include "libcore/oci/image_config.hpp"
#include "libcore/oci/media_types.hpp"
#include "storage/layer_unpack.hpp"

namespace pod::builder {

BuildResult commit_image(const BuildEnvironment& env, const BuildOptions& options, ImageState image) {
  auto& config = image.config;
  for (const auto& [k, v] : options.labels) config["config"]["Labels"][k] = v;
  if (options.timestamp) config["created"] = rfc3339_of(*options.timestamp);
  if (!config.contains("created")) config["created"] = now_rfc3339_fraction(9);
  const std::string config_bytes = config.dump();

  using core::oci::ManifestKind;
  const ManifestKind kind = options.docker_format ? ManifestKind::docker_manifest : ManifestKind::oci_manifest;
  core::oci::Manifest manifest;
  manifest.kind = kind;
  manifest.config.media_type = std::string(core::oci::config_media_type(kind));
  manifest.config.digest = core::digest_of(config_bytes);
  manifest.config.size = static_cast<std::int64_t>(config_bytes.size());
  std::vector<storage::LayerJob> jobs;
  const storage::LayerStore layers(*env.store);
  for (const auto& l : image.layers) {
    core::oci::Descriptor blob = l.blob;
    const auto compression = core::oci::layer_compression(blob.media_type).value_or(core::oci::Compression::gzip);
    blob.media_type = std::string(core::oci::layer_media_type(kind, compression));
    blob.annotations.clear();
    manifest.layers.push_back(blob);
    auto record = layers.get(l.chain_id);
    if (!record) throw Error("layer " + l.chain_id + " of the build is gone from the store (removed meanwhile?)");
    jobs.push_back({blob, *record});
  }
  if (!options.docker_format) manifest.annotations = options.annotations;
  const std::string manifest_bytes = core::oci::serialize(manifest);

  storage::ImageToRecord record;
  record.manifest_bytes = manifest_bytes;
  record.manifest_digest = core::digest_of(manifest_bytes);
  record.kind = kind;
  record.config_bytes = config_bytes;
  record.config = core::oci::parse_image_config(config_bytes);
  record.layers = std::move(jobs);
  record.names = options.tags;
  const auto recorded = storage::record_image(*env.store, record);
  BuildResult out;
  out.image_id = recorded.id;
  out.manifest = manifest_bytes;
  out.config = config_bytes;
  out.layers = recorded.layers;
  return out;
}

}  // namespace pod::builder
