// The container's output as Podman's k8s-file log driver writes it, one line per output line:
//   2024-05-01T10:00:00.123456789Z stdout F the line
// "F" ends a line, "P" is a partial one continued by the next record of the same stream (a
// line longer than a read, or output not ended by a newline when the container exits).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "libcore/sys/fd.hpp"

namespace pod::rootless::monitor {

class ContainerLog {
 public:
  explicit ContainerLog(const std::string& path);  // appends
  void write(std::string_view stream, std::string_view data);

 private:
  UniqueFd fd_;
};

struct LogRecord {
  std::string time;
  std::string stream;  // stdout, stderr
  bool partial = false;
  std::string text;
};

// Parses a log file's content; malformed lines are skipped.
std::vector<LogRecord> parse_log(std::string_view content);

// RFC 3339 UTC with nanoseconds, as the log writes it.
std::string log_timestamp();

}  // namespace pod::rootless::monitor
