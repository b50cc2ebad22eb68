// The faults applied to a blob body on its way to the client: cut it after some bytes,
// throttle it, flip a byte. Wraps the client's sink; decided per response (see faults.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "tests/support/registry_proxy/body.hpp"

namespace pod::testsupport::proxy {

struct Shaping {
  std::optional<std::uint64_t> cut_after;      // send this many body bytes, then stop
  std::optional<std::uint64_t> bytes_per_sec;  // pace the body
  std::optional<std::uint64_t> tamper_at;      // body offset of the byte to flip

  bool is_active() const { return cut_after || bytes_per_sec || tamper_at; }
};

class ShapedSink final : public Sink {
 public:
  ShapedSink(Sink& out, Shaping shaping);
  void write(std::string_view data) override;
  bool is_cut() const override { return cut_; }
  bool tampered() const { return tampered_; }

 private:
  void write_piece(std::string_view piece);
  void pace();

  Sink& out_;
  Shaping shaping_;
  std::uint64_t offset_ = 0;
  bool cut_ = false;
  bool tampered_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace pod::testsupport::proxy
