#include "libcore/sys/log.hpp"

#include <unistd.h>

#include <array>
#include <mutex>
#include <set>
#include <string>

namespace pod::log {
namespace {

Level g_level = Level::warn;

constexpr std::array<std::string_view, 6> kNames = {"debug", "info", "warn", "error", "fatal", "panic"};

}  // namespace

void set_level(Level level) { g_level = level; }
Level level() { return g_level; }
bool enabled(Level lvl) { return lvl >= g_level; }

std::optional<Level> parse_level(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Level>(i);
  }
  if (name == "warning") return Level::warn;
  return std::nullopt;
}

void write(Level lvl, std::string_view message) {
  if (!enabled(lvl)) return;
  std::string line(kNames[static_cast<std::size_t>(lvl)]);
  line.append(": ").append(message).push_back('\n');
  // One write(2) per line so lines of concurrent processes do not interleave.
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

void warn_once(std::string_view key, std::string_view message) {
  static std::mutex mutex;  // pulls warn from several threads
  static std::set<std::string, std::less<>> seen;
  {
    std::lock_guard lock(mutex);
    if (!seen.emplace(key).second) return;
  }
  warn(message);
}

}  // namespace pod::log
