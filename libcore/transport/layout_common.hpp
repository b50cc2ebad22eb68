// Small pieces the file-based transports share.
#pragma once

#include <string>

#include "libcore/digest.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

// "blobs/sha256/<hex>": where the OCI layout keeps a blob.
std::string oci_blob_path(const Digest& digest);

oci::Descriptor descriptor(std::string_view media_type, const Digest& digest, std::int64_t size);

// Reads a manifest-sized file and checks it against `expected` (when given).
ManifestBlob read_manifest_file(FileTree& tree, const std::string& path, const std::optional<Digest>& expected,
                                std::string_view media_type = {});

}  // namespace pod::core::transport
