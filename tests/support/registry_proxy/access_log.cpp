#include "tests/support/registry_proxy/access_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libcore/sys/error.hpp"

namespace pod::testsupport::proxy {
namespace {

// Request targets come from clients: keep each entry on one line.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

}  // namespace

AccessLog::AccessLog(const std::string& path) : path_(path) {
  if (path.empty()) return;
  fd_.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd_) throw_errno("open", path);
}

void AccessLog::write(const LogEntry& e) {
  append_line("conn=" + std::to_string(e.connection) + " " + one_line(e.method) + " " + one_line(e.target) +
              " status=" + std::to_string(e.status) + " bytes=" + std::to_string(e.bytes) +
              " range=" + (e.range.empty() ? std::string("-") : one_line(e.range)) + " action=" + one_line(e.action));
}

void AccessLog::note(std::string_view text) { append_line("# " + one_line(text)); }

void AccessLog::append_line(std::string line) {
  if (!fd_) return;
  line.push_back('\n');
  for (;;) {  // one write: O_APPEND keeps the line whole; a short write on a local file is not expected
    const ssize_t n = ::write(fd_.get(), line.data(), line.size());
    if (n >= 0 || errno != EINTR) {
      if (n < 0) std::fprintf(stderr, "pod-test-registry-proxy: writing %s: %s\n", path_.c_str(), std::strerror(errno));
      return;
    }
  }
}

}  // namespace pod::testsupport::proxy
