// Relaying message bodies byte for byte: Content-Length, chunked (raw chunk lines, data and
// trailers copied unchanged) or until the peer closes. Bodies stream through; nothing is
// held in memory beyond the reader's buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/registry_proxy/http.hpp"
#include "tests/support/registry_proxy/net.hpp"

namespace pod::testsupport::proxy {

// Where relayed bytes go. write() throws on failure. A sink that is_cut() wants nothing more:
// the relay stops early and leaves the rest of the body unread.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(std::string_view data) = 0;
  virtual bool is_cut() const { return false; }
};

// Sends to a socket it does not own and counts what it sent.
class SocketSink final : public Sink {
 public:
  SocketSink(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
  void write(std::string_view data) override;
  std::uint64_t sent() const { return sent_; }

 private:
  int fd_;
  std::string peer_;
  std::uint64_t sent_ = 0;
};

// Swallows everything: reading a body we answer without forwarding keeps the connection in step.
class DiscardSink final : public Sink {
 public:
  void write(std::string_view) override {}
};

// Forwards to `inner` until a write fails, then swallows the rest and remembers the failure:
// when upstream stops reading a request body, the client's body must still be read to its end.
class BestEffortSink final : public Sink {
 public:
  explicit BestEffortSink(Sink& inner) : inner_(inner) {}
  void write(std::string_view data) override;
  bool failed() const { return !failure_.empty(); }
  const std::string& failure() const { return failure_; }

 private:
  Sink& inner_;
  std::string failure_;
};

// Copies one body framed as `framing` from `in` to `out`. Throws if `in` ends early.
void relay_body(Reader& in, const Framing& framing, Sink& out);

}  // namespace pod::testsupport::proxy
