#include "libcore/compression/decompress.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"

using Catch::Matchers::Contains;
using pod::core::Compression;
using pod::core::DecompressingReader;

namespace {

la_ssize_t append(archive*, void* data, const void* buf, size_t n) {
  static_cast<std::string*>(data)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

// Compresses with libarchive's writer ("raw" format): gzip, zstd.
std::string compress(const std::string& data, const std::string& filter) {
  std::string out;
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), &archive_write_free);
  REQUIRE(archive_write_set_format_raw(a.get()) == ARCHIVE_OK);
  REQUIRE(archive_write_add_filter_by_name(a.get(), filter.c_str()) == ARCHIVE_OK);
  if (filter == "zstd") archive_write_set_filter_option(a.get(), "zstd", "compression-level", "3");
  archive_write_set_bytes_in_last_block(a.get(), 1);
  REQUIRE(archive_write_open2(a.get(), &out, nullptr, &append, nullptr, nullptr) == ARCHIVE_OK);
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), &archive_entry_free);
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_pathname(e.get(), "data");
  REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
  if (!data.empty()) REQUIRE(archive_write_data(a.get(), data.data(), data.size()) == static_cast<la_ssize_t>(data.size()));
  REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
  return out;
}

// Hands out its data in pieces of at most `step` bytes, like a socket; throws at the end if
// given an error.
class TrickleReader final : public pod::core::Reader {
 public:
  TrickleReader(std::string data, std::size_t step, std::optional<pod::Error> error = std::nullopt)
      : data_(std::move(data)), step_(step), error_(std::move(error)) {}
  std::size_t read(void* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, step_, data_.size() - pos_});
    if (n == 0 && error_) throw *error_;
    std::memcpy(buffer, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t step_;
  std::optional<pod::Error> error_;
  std::size_t pos_ = 0;
};

std::string drain(pod::core::Reader& reader, std::size_t chunk = 4096) {
  std::string out;
  std::vector<char> buf(chunk);
  for (std::size_t n; (n = reader.read(buf.data(), buf.size())) > 0;) out.append(buf.data(), n);
  return out;
}

std::string decompress(const std::string& data, std::size_t step = 1 << 20, std::size_t chunk = 4096) {
  TrickleReader inner(data, step);
  DecompressingReader reader(inner);
  return drain(reader, chunk);
}

// Text that compresses, and noise that does not.
std::string payload() {
  std::string s;
  std::uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245 + 12345;
    s.push_back(i % 3 == 0 ? static_cast<char>(x >> 24) : "layer"[i % 5]);
  }
  return s;
}

}  // namespace

TEST_CASE("gzip, zstd and plain input give the same bytes", "[decompress]") {
  const std::string data = payload();
  const std::string gz = compress(data, "gzip");
  const std::string zst = compress(data, "zstd");
  REQUIRE(gz != data);
  REQUIRE(zst != data);
  const std::size_t step = GENERATE(1, 3, 7, 4096, 1 << 20);
  const std::size_t chunk = GENERATE(1, 5000, 1 << 17);
  INFO("input step " << step << ", output chunk " << chunk);
  if (step == 1 && chunk == 1) return;  // byte by byte through a 300 KiB stream: slow, adds nothing
  CHECK(decompress(gz, step, chunk) == data);
  CHECK(decompress(zst, step, chunk) == data);
  CHECK(decompress(data, step, chunk) == data);
}

TEST_CASE("the format is detected from the magic", "[decompress]") {
  const auto kind = [](const std::string& data) {
    TrickleReader inner(data, 1);
    return DecompressingReader(inner).compression();
  };
  CHECK(kind(compress("x", "gzip")) == Compression::gzip);
  CHECK(kind(compress("x", "zstd")) == Compression::zstd);
  CHECK(kind("plain") == Compression::none);
  CHECK(kind("") == Compression::none);
  CHECK(kind("\x1f") == Compression::none);
}

TEST_CASE("empty streams", "[decompress]") {
  CHECK(decompress("").empty());
  CHECK(decompress("a") == "a");
  CHECK(decompress(compress("", "gzip")).empty());
  CHECK(decompress(compress("", "zstd")).empty());
}

TEST_CASE("plain input is never decoded, compressed input only once", "[decompress]") {
  // libarchive's "all filters" would uudecode this and undo the nested gzip as well.
  const std::string uu = "begin 644 foo\nM86)C9&5F9VAI:FML;6YO<'%R<W1U=G=X>7HP,3(S-#4V-S@Y86)C9&5F9VAI\n`\nend\n";
  CHECK(decompress(uu) == uu);
  const std::string inner = compress("hello", "gzip");
  CHECK(decompress(compress(inner, "gzip")) == inner);
  CHECK(decompress(compress(inner, "zstd")) == inner);
}

TEST_CASE("concatenated gzip members are one stream", "[decompress]") {
  CHECK(decompress(compress("hello ", "gzip") + compress("world", "gzip")) == "hello world");
  CHECK(decompress(compress("hello ", "zstd") + compress("world", "zstd")) == "hello world");
}

TEST_CASE("corrupt gzip is an error, never a short clean end", "[decompress]") {
  const std::string data = payload();
  const std::string gz = compress(data, "gzip");
  std::string bad;
  SECTION("damaged header") {
    bad = gz;
    bad[2] = 9;  // compression method
    REQUIRE_THROWS_WITH(decompress(bad), Contains("gzip: "));
  }
  SECTION("damaged data") {
    bad = gz;
    for (std::size_t i = 100; i < 200; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x55);
    REQUIRE_THROWS_WITH(decompress(bad), Contains("gzip: "));
  }
  SECTION("damaged CRC") {
    bad = gz;
    bad[bad.size() - 6] = static_cast<char>(bad[bad.size() - 6] ^ 1);
    REQUIRE_THROWS_WITH(decompress(bad), "gzip: incorrect data check");
  }
  SECTION("damaged length") {
    bad = gz;
    bad[bad.size() - 2] = static_cast<char>(bad[bad.size() - 2] ^ 1);
    REQUIRE_THROWS_WITH(decompress(bad), "gzip: incorrect length check");
  }
  SECTION("truncated") {
    for (const std::size_t cut : {std::size_t{2}, std::size_t{10}, gz.size() / 2, gz.size() - 4, gz.size() - 1}) {
      INFO("cut at " << cut);
      REQUIRE_THROWS_WITH(decompress(gz.substr(0, cut)), "gzip: the stream is truncated");
    }
  }
  SECTION("trailing junk") {
    REQUIRE_THROWS_WITH(decompress(gz + "junk"), Contains("gzip: "));
  }
  SECTION("corrupt errors are invalid input") {
    try {
      decompress(gz.substr(0, 100));
      FAIL("no error");
    } catch (const pod::Error& e) {
      CHECK(e.kind() == pod::ErrorKind::invalid_input);
    }
  }
}

TEST_CASE("corrupt zstd is an error", "[decompress]") {
  const std::string zst = compress(payload(), "zstd");
  for (const std::size_t cut : {std::size_t{4}, std::size_t{20}, zst.size() / 2, zst.size() - 1}) {
    INFO("cut at " << cut);
    REQUIRE_THROWS_WITH(decompress(zst.substr(0, cut)), Contains("zstd: "));
  }
  std::string bad = zst;
  bad[5] = static_cast<char>(0xff);  // frame header descriptor
  REQUIRE_THROWS_WITH(decompress(bad), Contains("zstd: "));
  REQUIRE_THROWS_WITH(decompress(zst + "junk"), Contains("zstd: "));
}

TEST_CASE("what the inner reader throws comes out unchanged", "[decompress]") {
  const std::string data = payload();
  const std::string input = GENERATE(as<std::string>{}, "", "plain text", "gzip", "zstd");
  const std::string bytes = input == "gzip" || input == "zstd" ? compress(data, input).substr(0, 5000) : input;
  TrickleReader inner(bytes, 777, pod::Error("fetching blob: connection reset", pod::ErrorKind::not_found));
  DecompressingReader reader(inner);
  try {
    drain(reader);
    FAIL("no exception");
  } catch (const pod::Error& e) {
    CHECK(e.message() == "fetching blob: connection reset");
    CHECK(e.kind() == pod::ErrorKind::not_found);
  }
}
