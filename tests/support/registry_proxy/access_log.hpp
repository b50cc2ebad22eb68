// One line per request, for tests to assert on:
//   conn=3 GET /v2/pod-test/layers/blobs/sha256:ab… status=206 bytes=1048576 range=bytes=100- action=forwarded
// `bytes` counts body bytes sent to the client; `range` is the request's Range header or "-";
// `action` says what the proxy did ("forwarded", "dropped after N", "503 injected (1/2)",
// "401 no token", "token #1 issued", …). Lines starting with '#' are notes. Each line is one
// write(2) on an O_APPEND fd, so lines from concurrent connections never interleave.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "libcore/sys/fd.hpp"

namespace pod::testsupport::proxy {

struct LogEntry {
  std::uint64_t connection = 0;
  std::string method;
  std::string target;
  int status = 0;  // 0: no response was sent
  std::uint64_t bytes = 0;
  std::string range;
  std::string action;
};

class AccessLog {
 public:
  // An empty path disables the log.
  explicit AccessLog(const std::string& path);
  void write(const LogEntry& entry);
  void note(std::string_view text);

 private:
  void append_line(std::string line);

  UniqueFd fd_;
  std::string path_;
};

}  // namespace pod::testsupport::proxy
