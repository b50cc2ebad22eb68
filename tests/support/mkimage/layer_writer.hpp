// Writes one layer of an ImageSpec as a tar (pax) stream, compressed as asked, straight into
// a blob of an OCI layout, in one pass: the tar bytes are hashed for the diff ID while the
// compressed bytes are hashed for the blob digest. Same spec → same bytes (fixed mtimes,
// no gzip timestamp), so fixtures have stable digests.
#pragma once

#include <cstdint>
#include <string>

#include "libcore/digest.hpp"
#include "tests/support/mkimage/spec.hpp"

namespace pod::testsupport {

struct WrittenBlob {
  core::Digest digest;
  std::int64_t size = 0;
};

struct WrittenLayer {
  WrittenBlob blob;
  core::Digest diff_id;
};

// Writes bytes as blobs/sha256/<hex> under `layout_dir`.
WrittenBlob write_blob(const std::string& layout_dir, const std::string& bytes);

WrittenLayer write_layer(const std::string& layout_dir, const LayerSpec& layer, const std::string& compression,
                         std::int64_t mtime);

}  // namespace pod::testsupport
