// zlib and libzstd directly, not libarchive: libarchive's read filters (3.6) do not check the
// gzip CRC or length, return a clean empty stream for a damaged gzip header or a truncated
// zstd frame, and when bidding with every filter they decode a plain stream that merely looks
// like uuencode, undo nested compression and may run external programs (lrzip, lzop, grzip).
#include "libcore/compression/decompress.hpp"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>
#include <vector>

#include "libcore/sys/error.hpp"

namespace pod::core {
namespace {

constexpr std::size_t kInputChunk = 128 * 1024;
constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
constexpr unsigned char kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};

[[noreturn]] void corrupt(std::string_view format, std::string_view what) {
  throw Error(std::string(format) + ": " + std::string(what), ErrorKind::invalid_input);
}

struct ZstdFree {
  void operator()(ZSTD_DCtx* ctx) const noexcept { ZSTD_freeDCtx(ctx); }
};

}  // namespace

struct DecompressingReader::Impl {
  explicit Impl(core::Reader& reader) : inner(reader), buf(kInputChunk) {}
  ~Impl() {
    if (gzip_ready) inflateEnd(&zs);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  core::Reader& inner;
  std::vector<unsigned char> buf;  // compressed input, buf[pos, len) not yet consumed
  std::size_t pos = 0;
  std::size_t len = 0;
  bool eof = false;
  std::optional<Compression> kind;

  z_stream zs{};
  bool gzip_ready = false;
  bool member_done = false;
  std::unique_ptr<ZSTD_DCtx, ZstdFree> zstd;
  bool frame_pending = false;

  // Refills buf when it is used up; false at the end of the input.
  bool fill() {
    if (pos < len) return true;
    if (eof) return false;
    pos = 0;
    len = inner.read(buf.data(), buf.size());
    eof = len == 0;
    return !eof;
  }

  bool starts_with(const unsigned char* magic, std::size_t n) const {
    return len >= n && std::memcmp(buf.data(), magic, n) == 0;
  }

  void detect() {
    while (len < sizeof kZstdMagic && !eof) {  // the magic may arrive in pieces
      const std::size_t n = inner.read(buf.data() + len, buf.size() - len);
      eof = n == 0;
      len += n;
    }
    if (starts_with(kGzipMagic, sizeof kGzipMagic)) {
      kind = Compression::gzip;
      // 16 + MAX_WBITS: gzip wrapper only, header and trailer (CRC-32, length) checked.
      if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw Error("gzip: cannot initialize zlib");
      gzip_ready = true;
    } else if (starts_with(kZstdMagic, sizeof kZstdMagic)) {
      kind = Compression::zstd;
      // The default window limit (128 MiB) bounds memory against a hostile frame header.
      zstd.reset(ZSTD_createDCtx());
      if (!zstd) throw std::bad_alloc();
    } else {
      kind = Compression::none;
    }
  }

  std::size_t read_plain(void* out, std::size_t size) {
    if (pos < len) {
      const std::size_t n = std::min(size, len - pos);
      std::memcpy(out, buf.data() + pos, n);
      pos += n;
      return n;
    }
    if (eof) return 0;
    const std::size_t n = inner.read(out, size);
    eof = n == 0;
    return n;
  }

  std::size_t read_gzip(void* out, std::size_t size) {
    for (;;) {
      if (member_done) {
        if (!fill()) return 0;  // nothing after the last member: the end
        inflateReset(&zs);      // another member follows; junk fails its header check
        member_done = false;
      }
      fill();
      zs.next_in = buf.data() + pos;
      zs.avail_in = static_cast<uInt>(len - pos);
      zs.next_out = static_cast<Bytef*>(out);
      zs.avail_out = static_cast<uInt>(std::min<std::size_t>(size, UINT_MAX));
      const uInt offered = zs.avail_out;
      const int rc = inflate(&zs, Z_NO_FLUSH);
      pos = len - zs.avail_in;
      const std::size_t produced = offered - zs.avail_out;
      if (rc == Z_STREAM_END) {
        member_done = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        corrupt("gzip", zs.msg != nullptr ? zs.msg : "invalid data");
      }
      if (produced > 0) return produced;
      if (!member_done && pos == len && eof) corrupt("gzip", "the stream is truncated");
    }
  }

  std::size_t read_zstd(void* out, std::size_t size) {
    for (;;) {
      fill();
      // Between frames with no input left: the end. (A call now would report a want for the
      // next frame's header.)
      if (pos == len && eof && !frame_pending) return 0;
      ZSTD_inBuffer in{buf.data(), len, pos};
      ZSTD_outBuffer o{out, size, 0};
      const std::size_t rc = ZSTD_decompressStream(zstd.get(), &o, &in);
      pos = in.pos;
      if (ZSTD_isError(rc) != 0) corrupt("zstd", ZSTD_getErrorName(rc));
      frame_pending = rc != 0;  // 0: a frame ended and all of it was handed out
      if (o.pos > 0) return o.pos;
      if (pos == len && eof) {
        if (frame_pending) corrupt("zstd", "the stream is truncated");
        return 0;
      }
    }
  }
};

DecompressingReader::DecompressingReader(core::Reader& inner) : impl_(std::make_unique<Impl>(inner)) {}
DecompressingReader::~DecompressingReader() = default;

Compression DecompressingReader::compression() {
  if (!impl_->kind) impl_->detect();
  return *impl_->kind;
}

std::size_t DecompressingReader::read(void* buffer, std::size_t size) {
  if (size == 0) return 0;
  switch (compression()) {
    case Compression::gzip:
      return impl_->read_gzip(buffer, size);
    case Compression::zstd:
      return impl_->read_zstd(buffer, size);
    case Compression::none:
      break;
  }
  return impl_->read_plain(buffer, size);
}

}  // namespace pod::core
