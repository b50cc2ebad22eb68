// Compressing a layer stream for a destination that wants another compression than the
// source's (pod-copy --dest-compress-format, push --compression-format).
#pragma once

#include <memory>

#include "libcore/compression/decompress.hpp"
#include "libcore/stream.hpp"

namespace pod::core {

// Reads `inner` (which must outlive it) and yields it compressed as gzip (level 6, as Go's
// default) or zstd (level 3); Compression::none passes the bytes through.
class CompressingReader final : public Reader {
 public:
  CompressingReader(Reader& inner, Compression format);
  ~CompressingReader() override;
  CompressingReader(const CompressingReader&) = delete;
  CompressingReader& operator=(const CompressingReader&) = delete;

  std::size_t read(void* buffer, std::size_t size) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pod::core
