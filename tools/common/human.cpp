#include "tools/common/human.hpp"

#include <fmt/core.h>

#include <array>
#include <cstdio>

namespace pod::tools {

namespace {

std::string si_size(std::uint64_t bytes, int digits, const char* separator) {
  static constexpr std::array<const char*, 7> kUnits = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000.0 && unit + 1 < kUnits.size()) {
    value /= 1000.0;
    ++unit;
  }
  return fmt::format("{:.{}g}{}{}", value, digits, separator, kUnits[unit]);
}

}  // namespace

std::string human_size(std::uint64_t bytes) { return si_size(bytes, 3, " "); }
std::string compact_size(std::uint64_t bytes) { return si_size(bytes, 4, ""); }

std::string human_age(std::time_t then, std::time_t now) {
  const double seconds = std::difftime(now, then);
  const auto plural = [](long n, const char* unit) {
    return n == 1 ? fmt::format("1 {} ago", unit) : fmt::format("{} {}s ago", n, unit);
  };
  if (seconds < 1) return "Less than a second ago";
  if (seconds < 60) return plural(static_cast<long>(seconds), "second");
  const long minutes = static_cast<long>(seconds / 60);
  if (minutes < 60) return minutes == 1 ? "About a minute ago" : plural(minutes, "minute");
  const long hours = minutes / 60;
  if (hours < 48) return hours == 1 ? "About an hour ago" : plural(hours, "hour");
  const long days = hours / 24;
  if (days < 14) return plural(days, "day");
  if (days < 60) return plural(days / 7, "week");
  if (days < 730) return plural(days / 30, "month");
  return plural(days / 365, "year");
}

std::optional<std::time_t> parse_rfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t t = ::timegm(&tm);
  std::size_t pos = static_cast<std::size_t>(consumed);
  while (pos < text.size() && (text[pos] == '.' || (text[pos] >= '0' && text[pos] <= '9'))) ++pos;
  int oh = 0, om = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-') &&
      std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &oh, &om) == 2) {
    const long offset = (oh * 60L + om) * 60L;
    t -= text[pos] == '+' ? offset : -offset;
  }
  return t;
}

}  // namespace pod::tools
