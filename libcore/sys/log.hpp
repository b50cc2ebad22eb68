// One logger with podman's levels (--log-level). Lines go to stderr as "level: message".
// Callers format with fmt in their .cpp; this header stays light.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pod::log {

enum class Level { debug, info, warn, error, fatal, panic };

void set_level(Level level);
Level level();
bool enabled(Level level);
// Parses podman's names: debug, info, warn, error, fatal, panic; nullopt for anything else.
std::optional<Level> parse_level(std::string_view name);

void write(Level level, std::string_view message);
inline void debug(std::string_view message) { write(Level::debug, message); }
inline void info(std::string_view message) { write(Level::info, message); }
inline void warn(std::string_view message) { write(Level::warn, message); }
inline void error(std::string_view message) { write(Level::error, message); }

// Also writes every enabled message to `path` (appending), as text lines or, with `json`, as
// {"level","msg","time"} lines — what OCI runtimes' --log/--log-format give engines to read.
// Throws SysError when the file cannot be opened.
void log_to_file(const std::string& path, bool json);
// A message for the log file only (the caller has told stderr already): the final error.
void record(Level level, std::string_view message);

// Warns once per process for a given key: fallbacks announce themselves once, with the fix.
void warn_once(std::string_view key, std::string_view message);

}  // namespace pod::log
