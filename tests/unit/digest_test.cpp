#include "libcore/digest.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/test_support.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "libcore/stream.hpp"
#include "libcore/sys/error.hpp"

using pod::test::kind_of_failure;

using pod::core::Digest;
using pod::core::DigestAlgorithm;
using pod::core::Hasher;
using pod::core::StringReader;
using pod::core::VerifyingReader;

namespace {

const std::string kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kEmptySha512 =
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
const std::string kAbcSha512 =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

struct InvalidCase {
  std::string text;
  std::string message;
};


// Reads `reader` to its end in chunks of `chunk` bytes.
std::string drain(pod::core::Reader& reader, std::size_t chunk = 7) {
  std::string out;
  std::vector<char> buf(chunk);
  for (;;) {
    const std::size_t n = reader.read(buf.data(), buf.size());
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

// Hands out its data in pieces of at most `step` bytes, like a socket.
class TrickleReader final : public pod::core::Reader {
 public:
  TrickleReader(std::string data, std::size_t step) : data_(std::move(data)), step_(step) {}
  std::size_t read(void* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, step_, data_.size() - pos_});
    std::memcpy(buffer, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::size_t consumed() const { return pos_; }

 private:
  std::string data_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

}  // namespace

TEST_CASE("Digest::parse accepts sha256 and sha512", "[digest]") {
  SECTION("sha256") {
    const Digest d = Digest::parse("sha256:" + kAbcSha256);
    CHECK(d.algorithm() == DigestAlgorithm::sha256);
    CHECK(d.algorithm_name() == "sha256");
    CHECK(d.hex() == kAbcSha256);
    CHECK(d.str() == "sha256:" + kAbcSha256);
    CHECK(d.short_hex() == "ba7816bf8f01");
    CHECK(d.short_hex(4) == "ba78");
  }
  SECTION("sha512") {
    const Digest d = Digest::parse("sha512:" + kEmptySha512);
    CHECK(d.algorithm() == DigestAlgorithm::sha512);
    CHECK(d.algorithm_name() == "sha512");
    CHECK(d.hex() == kEmptySha512);
    CHECK(d.str() == "sha512:" + kEmptySha512);
  }
  SECTION("try_parse agrees with parse") {
    const auto d = Digest::try_parse("sha256:" + kAbcSha256);
    REQUIRE(d);
    CHECK(*d == Digest::parse("sha256:" + kAbcSha256));
  }
}

TEST_CASE("Digest::parse rejects invalid text with a reason", "[digest]") {
  const auto c = GENERATE(values<InvalidCase>({
      {"", "invalid digest ``: missing the `algorithm:` prefix"},
      {kAbcSha256, "missing the `algorithm:` prefix"},
      {"sha256", "missing the `algorithm:` prefix"},
      {"md5:d41d8cd98f00b204e9800998ecf8427e", "invalid digest `md5:d41d8cd98f00b204e9800998ecf8427e`: "
                                               "unsupported algorithm (sha256 and sha512 are)"},
      {"SHA256:" + kAbcSha256, "unsupported algorithm"},
      {":" + kAbcSha256, "unsupported algorithm"},
      {"sha256:", "wrong length of the hex part"},
      {"sha256:abc", "invalid digest `sha256:abc`: wrong length of the hex part"},
      {"sha256:" + kAbcSha256 + "0", "wrong length of the hex part"},
      {"sha256:" + kAbcSha256.substr(1), "wrong length of the hex part"},
      {"sha512:" + kAbcSha256, "wrong length of the hex part"},
      {"sha256:" + kEmptySha512, "wrong length of the hex part"},
      {"sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
       "the hex part is not lowercase hex"},
      {"sha256:" + std::string(63, 'a') + "g", "the hex part is not lowercase hex"},
      {"sha256:" + std::string(63, 'a') + ":", "the hex part is not lowercase hex"},
      {"sha256: " + std::string(63, 'a'), "the hex part is not lowercase hex"},
  }));
  CAPTURE(c.text);
  REQUIRE_THROWS_WITH(Digest::parse(c.text), Catch::Contains(c.message));
  CHECK(kind_of_failure([&] { Digest::parse(c.text); }) == pod::ErrorKind::invalid_input);
  CHECK_FALSE(Digest::try_parse(c.text));
}

TEST_CASE("Digest::parse quotes hostile input truncated", "[digest]") {
  const std::string text = "sha256:" + std::string(1000, 'a');
  try {
    Digest::parse(text);
    FAIL("expected an error");
  } catch (const pod::Error& e) {
    CHECK_THAT(e.message(), Catch::Contains("wrong length of the hex part"));
    CHECK(e.message().size() < 300);
  }
}

TEST_CASE("default Digest is the sha256 of no bytes", "[digest]") {
  const Digest d;
  CHECK(d.algorithm() == DigestAlgorithm::sha256);
  CHECK(d.hex() == kEmptySha256);
  CHECK(d == pod::core::digest_of(""));
}

TEST_CASE("Digest equality and ordering", "[digest]") {
  const Digest a = Digest::parse("sha256:" + kAbcSha256);
  const Digest empty = Digest::parse("sha256:" + kEmptySha256);
  const Digest empty512 = Digest::parse("sha512:" + kEmptySha512);
  CHECK(a == Digest::parse("sha256:" + kAbcSha256));
  CHECK(a != empty);
  CHECK(a < empty);  // same algorithm: by hex
  CHECK(empty < empty512);  // sha256 sorts before sha512
}

TEST_CASE("Hasher produces the known test vectors", "[digest]") {
  SECTION("sha256 of abc") {
    CHECK(pod::core::digest_of("abc").str() == "sha256:" + kAbcSha256);
  }
  SECTION("sha256 of nothing") {
    CHECK(pod::core::digest_of("").hex() == kEmptySha256);
  }
  SECTION("sha512 of nothing") {
    const Digest d = pod::core::digest_of("", DigestAlgorithm::sha512);
    CHECK(d.algorithm() == DigestAlgorithm::sha512);
    CHECK_THAT(d.hex(), Catch::StartsWith("cf83e1357eefb8bd"));
    CHECK(d.hex() == kEmptySha512);
  }
  SECTION("sha512 of abc") {
    CHECK(pod::core::digest_of("abc", DigestAlgorithm::sha512).hex() == kAbcSha512);
  }
  SECTION("incremental updates equal one update") {
    Hasher h;
    h.update("a");
    h.update("");
    h.update(std::string_view("bc"));
    CHECK(h.finish().hex() == kAbcSha256);
  }
  SECTION("the two-block NIST vector") {
    CHECK(pod::core::digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex() ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
  SECTION("a million a's, fed in pieces") {
    Hasher h;
    const std::string piece(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(piece);
    CHECK(h.finish().hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  SECTION("a moved Hasher keeps its state") {
    Hasher a;
    a.update("ab");
    Hasher b(std::move(a));
    b.update("c");
    CHECK(b.finish().hex() == kAbcSha256);
  }
}

TEST_CASE("VerifyingReader passes a good stream through", "[digest]") {
  const std::string data = "hello, verified world\n";
  const Digest expected = pod::core::digest_of(data);
  const auto size = GENERATE(as<std::int64_t>{}, -1, 22);
  const auto chunk = GENERATE(as<std::size_t>{}, 1, 5, 4096);
  CAPTURE(size, chunk);
  StringReader inner(data);
  VerifyingReader reader(inner, expected, size);
  CHECK(drain(reader, chunk) == data);
  CHECK(reader.bytes_read() == data.size());
  // The end stays a clean end.
  char c;
  CHECK(reader.read(&c, 1) == 0);
}

TEST_CASE("VerifyingReader accepts an empty blob", "[digest]") {
  StringReader inner("");
  VerifyingReader reader(inner, Digest(), 0);
  CHECK(drain(reader).empty());
}

TEST_CASE("VerifyingReader verifies sha512 digests", "[digest]") {
  StringReader inner("abc");
  VerifyingReader reader(inner, Digest::parse("sha512:" + kAbcSha512), 3);
  CHECK(drain(reader) == "abc");
}

TEST_CASE("VerifyingReader fails at the end on a digest mismatch", "[digest]") {
  const std::string data = "abd";
  StringReader inner(data);
  VerifyingReader reader(inner, Digest::parse("sha256:" + kAbcSha256), 3);
  char buf[16];
  // All bytes come through; only the end is refused.
  REQUIRE(reader.read(buf, sizeof buf) == 3);
  REQUIRE_THROWS_WITH(reader.read(buf, sizeof buf),
                      "digest mismatch: expected sha256:" + kAbcSha256 + ", got " +
                          pod::core::digest_of(data).str());
  SECTION("the kind is digest_mismatch") {
    StringReader again(data);
    VerifyingReader r(again, Digest::parse("sha256:" + kAbcSha256));
    CHECK(kind_of_failure([&] { drain(r); }) == pod::ErrorKind::digest_mismatch);
  }
  SECTION("reading again after the failure fails again the same way") {
    REQUIRE_THROWS_WITH(reader.read(buf, sizeof buf),
                        "digest mismatch: expected sha256:" + kAbcSha256 + ", got " +
                            pod::core::digest_of(data).str());
    CHECK(kind_of_failure([&] { reader.read(buf, sizeof buf); }) == pod::ErrorKind::digest_mismatch);
  }
}

TEST_CASE("VerifyingReader fails at the end when the stream is too short", "[digest]") {
  const std::string data = "abc";
  const std::string short_data = data.substr(0, 2);  // StringReader does not own its bytes
  StringReader inner(short_data);
  VerifyingReader reader(inner, pod::core::digest_of(data), 3);
  REQUIRE_THROWS_WITH(drain(reader), "size mismatch for sha256:" + kAbcSha256 + ": expected 3 bytes, got 2");
  StringReader again(short_data);
  VerifyingReader r(again, pod::core::digest_of(data), 3);
  CHECK(kind_of_failure([&] { drain(r); }) == pod::ErrorKind::digest_mismatch);
}

TEST_CASE("VerifyingReader fails as soon as the stream is longer than expected", "[digest]") {
  const std::string data = "abc";
  SECTION("in the read that crosses the size") {
    TrickleReader inner(data + std::string(1 << 20, 'x'), 2);
    VerifyingReader reader(inner, pod::core::digest_of(data), 3);
    char buf[2];
    REQUIRE(reader.read(buf, sizeof buf) == 2);
    REQUIRE_THROWS_WITH(reader.read(buf, sizeof buf),
                        "size mismatch for sha256:" + kAbcSha256 + ": expected 3 bytes, got more");
    CHECK(inner.consumed() == 4);  // nothing past the offending read was pulled
  }
  SECTION("an endless body is cut off, not read to its end") {
    TrickleReader inner(data + std::string(1 << 20, 'x'), 4096);
    VerifyingReader reader(inner, pod::core::digest_of(data), 3);
    REQUIRE_THROWS_WITH(drain(reader, 4096), Catch::Contains("got more"));
    CHECK(inner.consumed() <= 4096);
  }
  SECTION("kind") {
    const std::string longer = data + "!";
    StringReader inner(longer);
    VerifyingReader reader(inner, pod::core::digest_of(data), 3);
    CHECK(kind_of_failure([&] { drain(reader); }) == pod::ErrorKind::digest_mismatch);
  }
}

TEST_CASE("StringReader hands out its data and then ends", "[digest]") {
  StringReader reader("0123456789");
  char buf[4];
  CHECK(reader.read(buf, 4) == 4);
  CHECK(std::string(buf, 4) == "0123");
  CHECK(drain(reader, 3) == "456789");
  CHECK(reader.read(buf, 4) == 0);
}

TEST_CASE("read_bounded reads up to the limit", "[digest]") {
  SECTION("under the limit") {
    StringReader reader("small body");
    CHECK(pod::core::read_bounded(reader, 100, "error body") == "small body");
  }
  SECTION("exactly the limit") {
    const std::string data(40000, 'z');  // spans several internal buffers
    StringReader reader(data);
    CHECK(pod::core::read_bounded(reader, data.size(), "manifest") == data);
  }
  SECTION("empty") {
    StringReader reader("");
    CHECK(pod::core::read_bounded(reader, 0, "manifest").empty());
  }
}

TEST_CASE("read_bounded fails over the limit", "[digest]") {
  const auto size = GENERATE(as<std::size_t>{}, 11, 40001, 5u << 20);
  CAPTURE(size);
  const std::string data(size, 'q');
  const std::size_t limit = size - 1;
  StringReader reader(data);
  REQUIRE_THROWS_WITH(pod::core::read_bounded(reader, limit, "manifest"),
                      "reading manifest: exceeds the limit of " + std::to_string(limit) + " bytes");
  StringReader again(data);
  CHECK(kind_of_failure([&] { pod::core::read_bounded(again, limit, "manifest"); }) ==
        pod::ErrorKind::invalid_input);
}

TEST_CASE("read_bounded stops reading once over the limit", "[digest]") {
  TrickleReader reader(std::string(10u << 20, 'q'), 16384);
  REQUIRE_THROWS_WITH(pod::core::read_bounded(reader, pod::core::kSmallBodyLimit, "error body"),
                      Catch::Contains("exceeds the limit"));
  CHECK(reader.consumed() <= pod::core::kSmallBodyLimit + 16384);
}
