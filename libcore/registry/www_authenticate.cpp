#include "libcore/registry/www_authenticate.hpp"

#include <algorithm>
#include <cctype>

namespace pod::core::registry {
namespace {

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  std::string token() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_token_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  // An unquoted value: lenient, up to the next comma or space (some servers send URLs bare).
  std::string bare() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ' ' && s_[pos_] != '\t') ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  std::optional<std::string> quoted() {
    if (!eat('"')) return std::nullopt;
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
      out.push_back(s_[pos_++]);
    }
    if (pos_ >= s_.size()) return std::nullopt;
    ++pos_;
    return out;
  }
  bool at_end() {
    skip_space();
    return pos_ >= s_.size();
  }
  std::size_t mark() const { return pos_; }
  void reset(std::size_t p) { pos_ = p; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

// Reads "key=value" pairs until the next scheme (a token not followed by '=').
void read_params(Scanner& in, Challenge& c) {
  for (;;) {
    const std::size_t before = in.mark();
    const std::string key = in.token();
    if (key.empty()) return;
    if (!in.eat('=')) {
      in.reset(before);  // the next challenge's scheme
      return;
    }
    auto value = in.quoted();
    if (!value) value = in.bare();
    c.params[lower(key)] = *value;
    if (!in.eat(',')) return;
  }
}

}  // namespace

std::vector<Challenge> parse_www_authenticate(std::string_view header) {
  std::vector<Challenge> out;
  Scanner in(header);
  while (!in.at_end()) {
    const std::string scheme = in.token();
    if (scheme.empty()) break;
    Challenge c{lower(scheme), {}};
    read_params(in, c);
    out.push_back(std::move(c));
    in.eat(',');
  }
  return out;
}

std::optional<Challenge> find_challenge(const std::vector<Challenge>& challenges, std::string_view scheme) {
  for (const auto& c : challenges) {
    if (c.scheme == scheme) return c;
  }
  return std::nullopt;
}

}  // namespace pod::core::registry
