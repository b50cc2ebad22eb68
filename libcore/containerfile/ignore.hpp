// .containerignore / .dockerignore: which paths of the build context COPY and ADD leave out.
// Docker's rules: one pattern a line, `#` comments, `!` re-includes, `**` spans directories,
// a pattern that matches a directory matches everything under it, the last match decides.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pod::core::containerfile {

class IgnoreRules {
 public:
  IgnoreRules() = default;
  static IgnoreRules parse(std::string_view text);

  // `path` relative to the context, '/'-separated, no leading "./".
  bool excluded(std::string_view path) const;
  // True when a directory that is excluded may still hold re-included paths.
  bool has_exceptions() const { return has_exceptions_; }
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::vector<std::string> segments;
    bool exception = false;
  };
  std::vector<Rule> rules_;
  bool has_exceptions_ = false;
};

}  // namespace pod::core::containerfile
