#include "libcore/compression/compress.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "libcore/sys/error.hpp"

namespace pod::core {
namespace {

constexpr std::size_t kChunk = 128 * 1024;

struct ZstdFree {
  void operator()(ZSTD_CCtx* ctx) const noexcept { ZSTD_freeCCtx(ctx); }
};

}  // namespace

struct CompressingReader::Impl {
  Impl(Reader& reader, Compression f) : inner(reader), format(f), in(kChunk) {}
  ~Impl() {
    if (format == Compression::gzip) deflateEnd(&zs);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Reader& inner;
  Compression format;
  std::vector<unsigned char> in;
  std::size_t pos = 0;
  std::size_t len = 0;
  bool input_done = false;
  bool finished = false;
  z_stream zs{};
  std::unique_ptr<ZSTD_CCtx, ZstdFree> zstd;

  void refill() {
    if (pos < len || input_done) return;
    len = inner.read(in.data(), in.size());
    pos = 0;
    input_done = len == 0;
  }

  // Each returns at least one byte, or 0 once the stream is finished.
  std::size_t gzip(void* out, std::size_t size) {
    zs.next_out = static_cast<Bytef*>(out);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(size, UINT32_MAX));
    const uInt room = zs.avail_out;
    while (zs.avail_out == room && !finished) {
      refill();
      zs.next_in = in.data() + pos;
      zs.avail_in = static_cast<uInt>(len - pos);
      const int rc = deflate(&zs, input_done ? Z_FINISH : Z_NO_FLUSH);
      pos = len - zs.avail_in;
      if (rc == Z_STREAM_END) finished = true;
      else if (rc != Z_OK && rc != Z_BUF_ERROR) throw Error("gzip compression failed");
    }
    return room - zs.avail_out;
  }

  std::size_t zstd_stream(void* out, std::size_t size) {
    ZSTD_outBuffer o{out, size, 0};
    while (o.pos == 0 && !finished) {
      refill();
      ZSTD_inBuffer i{in.data() + pos, len - pos, 0};
      const std::size_t left = ZSTD_compressStream2(zstd.get(), &o, &i, input_done ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left)) throw Error(std::string("zstd compression failed: ") + ZSTD_getErrorName(left));
      pos += i.pos;
      if (input_done && left == 0) finished = true;
    }
    return o.pos;
  }
};

CompressingReader::CompressingReader(Reader& inner, Compression format) : impl_(std::make_unique<Impl>(inner, format)) {
  if (format == Compression::gzip) {
    if (deflateInit2(&impl_->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw Error("gzip: init failed");
  } else if (format == Compression::zstd) {
    impl_->zstd.reset(ZSTD_createCCtx());
    if (!impl_->zstd) throw std::bad_alloc();
    ZSTD_CCtx_setParameter(impl_->zstd.get(), ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(impl_->zstd.get(), ZSTD_c_checksumFlag, 1);
  }
}

CompressingReader::~CompressingReader() = default;

std::size_t CompressingReader::read(void* buffer, std::size_t size) {
  if (size == 0) return 0;
  switch (impl_->format) {
    case Compression::none: return impl_->inner.read(buffer, size);
    case Compression::gzip: return impl_->gzip(buffer, size);
    case Compression::zstd: return impl_->zstd_stream(buffer, size);
  }
  return 0;
}

}  // namespace pod::core
