#include "libcore/sys/log.hpp"

#include "libcore/sys/clock.hpp"
#include "libcore/sys/error.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <array>
#include <mutex>
#include <set>
#include <string>

namespace pod::log {
namespace {

Level g_level = Level::warn;

constexpr std::array<std::string_view, 6> kNames = {"debug", "info", "warn", "error", "fatal", "panic"};

struct FileSink {
  int fd = -1;
  bool json = false;
};
FileSink g_file;

void write_to_file(Level lvl, std::string_view message) {
  if (g_file.fd < 0) return;
  const std::string_view name = kNames[static_cast<std::size_t>(lvl)];
  std::string line;
  if (g_file.json) {
    line = nlohmann::json{{"level", name}, {"msg", message}, {"time", now_rfc3339_fraction(3)}}.dump(-1, ' ', false,
                                                                                       nlohmann::json::error_handler_t::replace);
  } else {
    line = now_rfc3339_fraction(3) + " " + std::string(name) + ": " + std::string(message);
  }
  line.push_back('\n');
  [[maybe_unused]] auto n = ::write(g_file.fd, line.data(), line.size());
}

}  // namespace

void log_to_file(const std::string& path, bool json) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw_errno("open the log file", path);
  if (g_file.fd >= 0) ::close(g_file.fd);
  g_file = {fd, json};
}

void record(Level lvl, std::string_view message) { write_to_file(lvl, message); }

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
  write_to_file(lvl, message);
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
