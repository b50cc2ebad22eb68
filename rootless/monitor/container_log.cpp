#include "rootless/monitor/container_log.hpp"

#include <fcntl.h>
#include <unistd.h>


#include "libcore/sys/clock.hpp"
#include "libcore/sys/error.hpp"

namespace pod::rootless::monitor {

std::string log_timestamp() { return now_rfc3339_fraction(9); }

ContainerLog::ContainerLog(const std::string& path)
    : fd_(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) {
  if (!fd_) throw_errno("open the container log", path);
}

void ContainerLog::write(std::string_view stream, std::string_view data) {
  const std::string prefix = log_timestamp() + " " + std::string(stream) + " ";
  std::string out;
  while (!data.empty()) {
    const auto nl = data.find('\n');
    const bool full = nl != std::string_view::npos;
    out += prefix + (full ? "F " : "P ");
    out.append(data.substr(0, full ? nl : data.size()));
    out.push_back('\n');
    data.remove_prefix(full ? nl + 1 : data.size());
  }
  [[maybe_unused]] auto n = ::write(fd_.get(), out.data(), out.size());
}

std::vector<LogRecord> parse_log(std::string_view content) {
  std::vector<LogRecord> out;
  while (!content.empty()) {
    const auto nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content.remove_prefix(nl == std::string_view::npos ? content.size() : nl + 1);
    const auto s1 = line.find(' ');
    const auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos || s2 + 2 > line.size()) continue;
    LogRecord r;
    r.time = std::string(line.substr(0, s1));
    r.stream = std::string(line.substr(s1 + 1, s2 - s1 - 1));
    r.partial = line[s2 + 1] == 'P';
    r.text = s2 + 3 <= line.size() ? std::string(line.substr(s2 + 3)) : std::string();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace pod::rootless::monitor
