#include "libcore/containerfile/ignore.hpp"

#include <fnmatch.h>

#include <cctype>

namespace pod::core::containerfile {
namespace {

std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (part == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!part.empty() && part != ".") {
      out.emplace_back(part);
    }
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// A pattern matches the path or one of its parent directories.
bool matches(const std::vector<std::string>& pattern, std::size_t p, const std::vector<std::string>& path, std::size_t s) {
  if (p == pattern.size()) return s > 0 || path.empty();
  if (pattern[p] == "**") {
    for (std::size_t k = s; k <= path.size(); ++k) {
      if (matches(pattern, p + 1, path, k)) return true;
    }
    return false;
  }
  if (s == path.size()) return false;
  if (::fnmatch(pattern[p].c_str(), path[s].c_str(), 0) != 0) return false;
  return matches(pattern, p + 1, path, s + 1);
}

}  // namespace

IgnoreRules IgnoreRules::parse(std::string_view text) {
  IgnoreRules rules;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    Rule rule;
    if (line.front() == '!') {
      rule.exception = true;
      line.remove_prefix(1);
    }
    rule.segments = segments_of(line);
    if (rule.segments.empty()) continue;
    rules.has_exceptions_ = rules.has_exceptions_ || rule.exception;
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

bool IgnoreRules::excluded(std::string_view path) const {
  const auto parts = segments_of(path);
  bool out = false;
  for (const auto& rule : rules_) {
    if (matches(rule.segments, 0, parts, 0)) out = !rule.exception;
  }
  return out;
}

}  // namespace pod::core::containerfile
