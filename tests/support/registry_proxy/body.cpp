#include "tests/support/registry_proxy/body.hpp"

#include <algorithm>
#include <charconv>

#include "libcore/sys/error.hpp"

namespace pod::testsupport::proxy {
namespace {

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::size_t kChunkLineLimit = 4096;

void relay_exact(Reader& in, std::uint64_t length, Sink& out) {
  while (length > 0 && !out.is_cut()) {
    const std::string_view piece = in.read_some(static_cast<std::size_t>(std::min<std::uint64_t>(length, kPiece)));
    if (piece.empty())
      throw Error("receiving a body from " + quote(in.peer()) + ": connection closed with " + std::to_string(length) +
                  " bytes to go");
    out.write(piece);
    length -= piece.size();
  }
}

std::uint64_t chunk_size(std::string_view line, const std::string& peer) {
  std::uint64_t size = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
  const char next = end < line.data() + line.size() ? *end : '\n';
  if (ec != std::errc() || end == line.data() || (next != ';' && next != '\r' && next != '\n' && next != ' '))
    throw Error("malformed chunk size from " + quote(peer) + ": " + quote_untrusted(line), ErrorKind::invalid_input);
  return size;
}

void relay_chunked(Reader& in, Sink& out) {
  for (;;) {
    const std::string line = in.read_line(kChunkLineLimit);
    out.write(line);
    const std::uint64_t size = chunk_size(line, in.peer());
    if (size == 0) break;
    relay_exact(in, size, out);
    if (out.is_cut()) return;
    const std::string end = in.read_line(kChunkLineLimit);
    if (end != "\r\n" && end != "\n")
      throw Error("malformed chunk end from " + quote(in.peer()) + ": " + quote_untrusted(end),
                  ErrorKind::invalid_input);
    out.write(end);
  }
  for (;;) {  // trailer fields, then the empty line
    const std::string line = in.read_line(kChunkLineLimit);
    out.write(line);
    if (line == "\r\n" || line == "\n") return;
  }
}

void relay_until_close(Reader& in, Sink& out) {
  while (!out.is_cut()) {
    const std::string_view piece = in.read_some(kPiece);
    if (piece.empty()) return;
    out.write(piece);
  }
}

}  // namespace

void SocketSink::write(std::string_view data) {
  send_all(fd_, data, peer_);
  sent_ += data.size();
}

void BestEffortSink::write(std::string_view data) {
  if (failed()) return;
  try {
    inner_.write(data);
  } catch (const std::exception& e) {
    failure_ = e.what();
  }
}

void relay_body(Reader& in, const Framing& framing, Sink& out) {
  switch (framing.kind) {
    case Framing::Kind::none:
      return;
    case Framing::Kind::length:
      return relay_exact(in, framing.length, out);
    case Framing::Kind::chunked:
      return relay_chunked(in, out);
    case Framing::Kind::until_close:
      return relay_until_close(in, out);
  }
}

}  // namespace pod::testsupport::proxy
