#include "storage/layer_unpack.hpp"

#include <fcntl.h>

#include "libcore/compression/decompress.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "storage/blob_store.hpp"

namespace pod::storage {

namespace oci = core::oci;

std::vector<LayerJob> plan_layers(const oci::Manifest& manifest, const oci::ImageConfig& config) {
  if (config.diff_ids.size() != manifest.layers.size()) {
    throw Error("the manifest has " + std::to_string(manifest.layers.size()) + " layers but the config lists " +
                    std::to_string(config.diff_ids.size()) + " diff IDs",
                ErrorKind::invalid_input);
  }
  std::vector<LayerJob> jobs;
  std::optional<core::Digest> parent;
  for (std::size_t i = 0; i < manifest.layers.size(); ++i) {
    const auto& blob = manifest.layers[i];
    if (!oci::layer_compression(blob.media_type)) {
      throw Error("layer " + blob.digest.str() + ": unsupported media type " + quote_untrusted(blob.media_type, 100),
                  ErrorKind::unsupported);
    }
    const core::Digest chain = chain_id(parent, config.diff_ids[i]);
    LayerRecord record{chain.hex(), parent ? parent->hex() : "", config.diff_ids[i], blob.digest, blob.size, 0};
    jobs.push_back({blob, record});
    parent = chain;
  }
  return jobs;
}

UnpackResult unpack_blob(const std::string& blob_path, int dir_fd, const ApplyOptions& options) {
  UniqueFd fd(::open(blob_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw_errno("open", blob_path);
  core::FdReader file(fd.get(), blob_path);
  core::DecompressingReader tar(file);
  core::HashingReader hashed(tar);
  apply_layer(hashed, dir_fd, options);
  const auto diff_id = hashed.drain_and_finish();
  return UnpackResult{diff_id, hashed.bytes_read()};
}

ApplyOptions apply_options_for(const core::Digest& blob, bool rootless) {
  ApplyOptions apply;
  apply.rootless = rootless;
  apply.layer_name = blob.str();
  apply.opaque_xattr = rootless ? OpaqueXattr::user : OpaqueXattr::trusted;
  return apply;
}

ImageRecord record_image(const Store& store, const ImageToRecord& image) {
  ImageRecord record;
  record.id = image.config_bytes.empty() ? "" : core::digest_of(image.config_bytes).hex();
  record.manifest_digest = image.manifest_digest;
  record.digests.push_back(record.manifest_digest.str());
  record.manifest_media_type = std::string(oci::media_type_of(image.kind));
  record.names = image.names;
  LayerStore layers(store);
  for (const auto& job : image.layers) {
    record.layers.push_back(job.record.id);
    record.size += layers.get(job.record.id).value_or(job.record).size;
  }
  record.created = image.config.created;
  BlobStore(store).put(core::digest_of(image.config_bytes), image.config_bytes);
  return ImageStore(store).commit(record, image.manifest_bytes, image.config_bytes);
}

}  // namespace pod::storage
