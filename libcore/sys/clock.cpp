#include "libcore/sys/clock.hpp"

#include <cstdio>
#include <ctime>

namespace pod {

std::string now_rfc3339() { return rfc3339_of(std::time(nullptr)); }

std::string rfc3339_of(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string now_rfc3339_fraction(int digits) {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  ::gmtime_r(&ts.tv_sec, &tm);
  char buf[48];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char nanos[16];
  std::snprintf(nanos, sizeof nanos, "%09ld", ts.tv_nsec);
  return std::string(buf, n) + "." + std::string(nanos, static_cast<std::size_t>(digits)) + "Z";
}

}  // namespace pod
