#include "libcore/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "libcore/sys/error.hpp"

namespace pod::core {
namespace {

struct AlgorithmInfo {
  DigestAlgorithm algorithm;
  std::string_view name;
  std::size_t hex_length;
};
constexpr AlgorithmInfo kAlgorithms[] = {
    {DigestAlgorithm::sha256, "sha256", 64},
    {DigestAlgorithm::sha512, "sha512", 128},
};

const AlgorithmInfo& info(DigestAlgorithm algorithm) {
  return *std::find_if(std::begin(kAlgorithms), std::end(kAlgorithms),
                       [&](const AlgorithmInfo& a) { return a.algorithm == algorithm; });
}

const EVP_MD* evp_md(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::sha256 ? EVP_sha256() : EVP_sha512();
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Returns a reason when invalid, nullptr when fine.
const char* check(std::string_view text, const AlgorithmInfo** found) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return "missing the `algorithm:` prefix";
  const auto name = text.substr(0, colon);
  const auto hex = text.substr(colon + 1);
  const auto it = std::find_if(std::begin(kAlgorithms), std::end(kAlgorithms),
                               [&](const AlgorithmInfo& a) { return a.name == name; });
  if (it == std::end(kAlgorithms)) return "unsupported algorithm (sha256 and sha512 are)";
  if (hex.size() != it->hex_length) return "wrong length of the hex part";
  if (!std::all_of(hex.begin(), hex.end(), is_lower_hex)) return "the hex part is not lowercase hex";
  *found = &*it;
  return nullptr;
}

}  // namespace

Digest Digest::parse(std::string_view unsafe_text) {
  const AlgorithmInfo* found = nullptr;
  if (const char* reason = check(unsafe_text, &found)) {
    throw Error("invalid digest " + quote_untrusted(unsafe_text, 140) + ": " + reason,
                ErrorKind::invalid_input);
  }
  return Digest(found->algorithm, std::string(unsafe_text.substr(unsafe_text.find(':') + 1)));
}

Digest::Digest() : hex_("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") {}

std::optional<Digest> Digest::try_parse(std::string_view unsafe_text) noexcept {
  const AlgorithmInfo* found = nullptr;
  if (check(unsafe_text, &found)) return std::nullopt;
  return Digest(found->algorithm, std::string(unsafe_text.substr(unsafe_text.find(':') + 1)));
}

std::string_view Digest::algorithm_name() const noexcept { return info(algorithm_).name; }

std::string Digest::str() const {
  std::string s(algorithm_name());
  s.append(":").append(hex_);
  return s;
}

struct Hasher::Impl {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

Hasher::Hasher(DigestAlgorithm algorithm) : impl_(std::make_unique<Impl>()), algorithm_(algorithm) {
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx.get(), evp_md(algorithm), nullptr) != 1) {
    throw Error("initializing " + std::string(info(algorithm).name) + " hashing failed");
  }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(const void* data, std::size_t size) {
  if (size != 0 && EVP_DigestUpdate(impl_->ctx.get(), data, size) != 1) throw Error("hashing failed");
}

Digest Hasher::finish() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(impl_->ctx.get(), md, &len) != 1) throw Error("hashing failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[md[i] >> 4]);
    hex.push_back(kHex[md[i] & 0xf]);
  }
  return Digest(algorithm_, std::move(hex));
}

Digest digest_of(std::string_view bytes, DigestAlgorithm algorithm) {
  Hasher h(algorithm);
  h.update(bytes);
  return h.finish();
}

VerifyingReader::VerifyingReader(Reader& inner, Digest expected, std::int64_t expected_size)
    : inner_(inner), expected_(std::move(expected)), expected_size_(expected_size),
      hasher_(expected_.algorithm()) {}

std::size_t VerifyingReader::read(void* buffer, std::size_t size) {
  const std::size_t n = inner_.read(buffer, size);
  if (n == 0) {
    verify_at_end();
    return 0;
  }
  count_ += n;
  if (expected_size_ >= 0 && count_ > static_cast<std::uint64_t>(expected_size_)) {
    throw Error("size mismatch for " + expected_.str() + ": expected " + std::to_string(expected_size_) +
                    " bytes, got more",
                ErrorKind::digest_mismatch);
  }
  hasher_.update(buffer, n);
  return n;
}

void VerifyingReader::verify_at_end() {
  if (verified_) return;
  if (expected_size_ >= 0 && count_ != static_cast<std::uint64_t>(expected_size_)) {
    throw Error("size mismatch for " + expected_.str() + ": expected " + std::to_string(expected_size_) +
                    " bytes, got " + std::to_string(count_),
                ErrorKind::digest_mismatch);
  }
  if (!actual_) actual_ = hasher_.finish();
  if (*actual_ != expected_) {
    throw Error("digest mismatch: expected " + expected_.str() + ", got " + actual_->str(),
                ErrorKind::digest_mismatch);
  }
  verified_ = true;
}

}  // namespace pod::core

namespace pod::core {

std::size_t HashingReader::read(void* buffer, std::size_t size) {
  const std::size_t n = inner_.read(buffer, size);
  hasher_.update(buffer, n);
  count_ += n;
  return n;
}

Digest HashingReader::drain_and_finish() {
  char buf[65536];
  while (read(buf, sizeof buf) != 0) {
  }
  return hasher_.finish();
}

}  // namespace pod::core
