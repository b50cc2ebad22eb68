// Content digests ("sha256:<hex>"), streaming hashing (OpenSSL EVP) and a reader that
// verifies size and digest while the bytes pass through.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "libcore/stream.hpp"

namespace pod::core {

enum class DigestAlgorithm { sha256, sha512 };

// A validated digest: known algorithm, lowercase hex of exactly the algorithm's length.
class Digest {
 public:
  // Throws pod::Error(invalid_input) saying what is wrong with `unsafe_text`.
  static Digest parse(std::string_view unsafe_text);
  static std::optional<Digest> try_parse(std::string_view unsafe_text) noexcept;

  // The sha256 of no bytes: a valid digest, so aggregates holding a Digest can be built step
  // by step.
  Digest();

  DigestAlgorithm algorithm() const noexcept { return algorithm_; }
  std::string_view algorithm_name() const noexcept;
  const std::string& hex() const noexcept { return hex_; }
  std::string str() const;  // "sha256:<hex>"
  std::string short_hex(std::size_t n = 12) const { return hex_.substr(0, n); }

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;

 private:
  Digest(DigestAlgorithm algorithm, std::string hex) : algorithm_(algorithm), hex_(std::move(hex)) {}
  friend class Hasher;

  DigestAlgorithm algorithm_ = DigestAlgorithm::sha256;
  std::string hex_;
};

// Incremental hashing. finish() may be called once.
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm algorithm = DigestAlgorithm::sha256);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;

  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  Digest finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DigestAlgorithm algorithm_;
};

Digest digest_of(std::string_view bytes, DigestAlgorithm algorithm = DigestAlgorithm::sha256);

// Hashes and counts what passes through. At the end of `inner` it checks the size (when
// known, >= 0) and the digest, and throws Error(digest_mismatch) "expected …, got …" on a
// difference — so a consumer never sees a clean end of a corrupt blob. Reading past the
// expected size fails at once, so an endless body cannot fill a disk.
class VerifyingReader final : public Reader {
 public:
  VerifyingReader(Reader& inner, Digest expected, std::int64_t expected_size = -1);
  std::size_t read(void* buffer, std::size_t size) override;
  std::uint64_t bytes_read() const noexcept { return count_; }

 private:
  void verify_at_end();

  Reader& inner_;
  Digest expected_;
  std::int64_t expected_size_;
  Hasher hasher_;
  std::optional<Digest> actual_;  // set once the hasher is finished (finish() may run once)
  std::uint64_t count_ = 0;
  bool verified_ = false;
};

}  // namespace pod::core

namespace pod::core {

// Hashes and counts what passes through, without expectations (diff IDs of layers).
class HashingReader final : public Reader {
 public:
  explicit HashingReader(Reader& inner, DigestAlgorithm algorithm = DigestAlgorithm::sha256)
      : inner_(inner), hasher_(algorithm) {}
  std::size_t read(void* buffer, std::size_t size) override;
  // Reads what is left of `inner`, then returns the digest of everything.
  Digest drain_and_finish();
  std::uint64_t bytes_read() const noexcept { return count_; }

 private:
  Reader& inner_;
  Hasher hasher_;
  std::uint64_t count_ = 0;
};

}  // namespace pod::core
