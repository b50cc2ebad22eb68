// Decompressing a layer blob: gzip, zstd or plain, told apart by their magic bytes.
#pragma once

#include <memory>

#include "libcore/oci/media_types.hpp"
#include "libcore/stream.hpp"

namespace pod::core {

using Compression = oci::Compression;  // one enum for media types and streams

// Reads `inner` (which must outlive it) and yields the decompressed bytes. The format is
// detected from the first bytes at the first read: gzip (1f 8b), zstd (28 b5 2f fd), anything
// else — an empty stream included — passes through unchanged. Exactly one level is undone: a
// tar that happens to start like a gzip stream is not decompressed again.
//
// Strict, like Go's readers the layers were written with: gzip members are checked (header,
// CRC-32, length) and may be concatenated, but nothing else may follow them; zstd frames are
// checked against their checksum when they carry one; a truncated stream is an error, never a
// short clean end. Failures throw pod::Error(invalid_input); what `inner` throws passes
// through unchanged. Not thread-safe.
class DecompressingReader final : public core::Reader {
 public:
  explicit DecompressingReader(core::Reader& inner);
  ~DecompressingReader() override;
  DecompressingReader(const DecompressingReader&) = delete;
  DecompressingReader& operator=(const DecompressingReader&) = delete;

  std::size_t read(void* buffer, std::size_t size) override;
  // The detected format; reads the first bytes if no read() has yet.
  Compression compression();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pod::core
