// The other direction of apply.hpp: a directory in overlay format (a container's upper
// directory, or a layer's) written as an OCI layer tar. Overlay whiteouts (char 0/0 devices)
// become ".wh.NAME" entries, an opaque directory gets ".wh..wh..opq", overlay's own xattrs
// are left out, files with several links inside the tree become hardlink entries.
//
// The stream is deterministic: entries in byte order of their names, numeric owners only,
// whole-second times — so the same tree (with a pinned timestamp) always hashes the same.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "storage/layer/apply.hpp"

namespace pod::storage {

struct DiffOptions {
  // Every entry's modification time, for reproducible layers (--timestamp, SOURCE_DATE_EPOCH).
  std::optional<std::int64_t> timestamp;
  OpaqueXattr opaque_xattr = OpaqueXattr::user;
};

using TarSink = std::function<void(const char* data, std::size_t size)>;

// Writes the tree below `dir` (not `dir` itself) to `sink`. Throws Error naming the path
// that cannot be read.
void write_layer_tar(const std::string& dir, const DiffOptions& options, const TarSink& sink);

}  // namespace pod::storage
