// The OCI image layout (image-spec image-layout.md): `oci-layout`, `index.json` whose entries
// carry the org.opencontainers.image.ref.name annotation, and blobs/<alg>/<hex>. As a
// directory (oci:) or a tar of one (oci-archive:).
#pragma once

#include <memory>
#include <string>

#include "libcore/transport/file_sink.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/transport.hpp"

namespace pod::core::transport {

// `ref` empty: the layout must hold exactly one image.
std::unique_ptr<ImageSource> open_oci_source(std::unique_ptr<FileTree> tree, std::string ref, std::string name);

// `existing` (nullable): the layout already there, whose other images stay listed.
std::unique_ptr<ImageDestination> open_oci_destination(std::unique_ptr<FileSink> sink, std::unique_ptr<FileTree> existing,
                                                       std::string ref, std::string name);

}  // namespace pod::core::transport
