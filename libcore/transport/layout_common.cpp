#include "libcore/transport/layout_common.hpp"

#include "libcore/oci/manifest.hpp"
#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::transport {

std::string oci_blob_path(const Digest& digest) {
  return "blobs/" + std::string(digest.algorithm_name()) + "/" + digest.hex();
}

oci::Descriptor descriptor(std::string_view media_type, const Digest& digest, std::int64_t size) {
  oci::Descriptor d;
  d.media_type = std::string(media_type);
  d.digest = digest;
  d.size = size;
  return d;
}

ManifestBlob manifest_blob(std::string bytes, std::string_view media_type) {
  ManifestBlob m;
  m.digest = digest_of(bytes);
  m.media_type = std::string(oci::media_type_of(oci::classify_manifest(bytes, media_type)));
  m.bytes = std::move(bytes);
  return m;
}

ManifestBlob read_manifest_file(FileTree& tree, const std::string& path, const std::optional<Digest>& expected,
                                std::string_view media_type) {
  auto bytes = tree.read_small(path, kManifestLimit);
  if (!bytes) throw Error("manifest " + tree.where(path) + " is missing", ErrorKind::not_found);
  auto m = manifest_blob(std::move(*bytes), media_type);
  if (expected && m.digest != *expected) {
    throw Error(tree.where(path) + ": digest mismatch: expected " + expected->str() + ", got " + m.digest.str(),
                ErrorKind::digest_mismatch);
  }
  return m;
}

}  // namespace pod::core::transport
