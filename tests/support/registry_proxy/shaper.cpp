#include "tests/support/registry_proxy/shaper.hpp"

#include <algorithm>
#include <string>
#include <thread>

namespace pod::testsupport::proxy {
namespace {

// A throttled body goes out in pieces of 1/20 s worth of bytes, so the pace is smooth and a
// stop (the socket shut down under us) is noticed within 50 ms.
std::size_t piece_size(const Shaping& shaping) {
  if (!shaping.bytes_per_sec) return std::string_view::npos;
  return static_cast<std::size_t>(std::max<std::uint64_t>(1, *shaping.bytes_per_sec / 20));
}

}  // namespace

ShapedSink::ShapedSink(Sink& out, Shaping shaping)
    : out_(out), shaping_(shaping), start_(std::chrono::steady_clock::now()) {
  if (shaping_.cut_after && *shaping_.cut_after == 0) cut_ = true;
}

void ShapedSink::write(std::string_view data) {
  const std::size_t piece = piece_size(shaping_);
  while (!data.empty() && !cut_) {
    std::size_t n = std::min(piece, data.size());
    if (shaping_.cut_after) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, *shaping_.cut_after - offset_));
    write_piece(data.substr(0, n));
    data.remove_prefix(n);
    if (shaping_.cut_after && offset_ >= *shaping_.cut_after) cut_ = true;
  }
}

void ShapedSink::write_piece(std::string_view piece) {
  if (shaping_.tamper_at && *shaping_.tamper_at >= offset_ && *shaping_.tamper_at < offset_ + piece.size()) {
    std::string copy(piece);
    copy[static_cast<std::size_t>(*shaping_.tamper_at - offset_)] ^= static_cast<char>(0xff);
    out_.write(copy);
    tampered_ = true;
  } else {
    out_.write(piece);
  }
  offset_ += piece.size();
  pace();
}

// Sleeps until the bytes sent so far are due at the configured rate.
void ShapedSink::pace() {
  if (!shaping_.bytes_per_sec) return;
  const auto due =
      start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(
                   static_cast<double>(offset_) / static_cast<double>(*shaping_.bytes_per_sec)));
  std::this_thread::sleep_until(due);
}

}  // namespace pod::testsupport::proxy
