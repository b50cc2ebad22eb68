#include "libcore/containerfile/words.hpp"

#include <cctype>

#include "libcore/sys/error.hpp"

namespace pod::core::containerfile {
namespace {

bool name_char(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) || (!first && std::isdigit(static_cast<unsigned char>(c)));
}

[[noreturn]] void bad(std::string_view text, const std::string& what) {
  throw Error("in " + quote_untrusted(text, 80) + ": " + what, ErrorKind::invalid_input);
}

class WordScanner {
 public:
  WordScanner(std::string_view text, const Lookup& lookup, char escape) : text_(text), lookup_(lookup), escape_(escape) {}

  // Words (split) or one word (joined with the whitespace as written).
  std::vector<std::string> run(bool split) {
    std::vector<std::string> words;
    std::string current;
    bool have_word = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (split && std::isspace(static_cast<unsigned char>(c))) {
        if (have_word) words.push_back(std::move(current));
        current.clear();
        have_word = false;
        ++pos_;
        continue;
      }
      have_word = true;
      if (c == '\'') {
        single_quoted(current);
      } else if (c == '"') {
        double_quoted(current);
      } else if (c == escape_ && pos_ + 1 < text_.size()) {
        current.push_back(text_[pos_ + 1]);
        pos_ += 2;
      } else if (c == '$') {
        current += dollar();
      } else {
        current.push_back(c);
        ++pos_;
      }
    }
    if (have_word || !split) words.push_back(std::move(current));
    return words;
  }

 private:
  void single_quoted(std::string& out) {
    const auto end = text_.find('\'', pos_ + 1);
    if (end == std::string_view::npos) bad(text_, "unterminated single quote");
    out.append(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
  }

  void double_quoted(std::string& out) {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      const char c = text_[pos_];
      if (c == escape_ && pos_ + 1 < text_.size() &&
          (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '$' || text_[pos_ + 1] == escape_)) {
        out.push_back(text_[pos_ + 1]);
        pos_ += 2;
      } else if (c == '$') {
        out += dollar();
      } else {
        out.push_back(c);
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) bad(text_, "unterminated double quote");
    ++pos_;
  }

  std::string dollar() {
    ++pos_;  // the $
    if (pos_ >= text_.size()) return "$";
    if (text_[pos_] == '{') return braced();
    const std::size_t start = pos_;
    while (pos_ < text_.size() && name_char(text_[pos_], pos_ == start)) ++pos_;
    if (pos_ == start) return "$";
    return lookup_(text_.substr(start, pos_ - start)).value_or("");
  }

  // ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}, ${NAME:?message}
  std::string braced() {
    ++pos_;  // the {
    const std::size_t start = pos_;
    while (pos_ < text_.size() && name_char(text_[pos_], pos_ == start)) ++pos_;
    const std::string name(text_.substr(start, pos_ - start));
    if (name.empty()) bad(text_, "bad substitution: a variable name must follow ${");
    if (pos_ >= text_.size()) bad(text_, "unterminated ${" + name);
    const auto value = lookup_(name);
    if (text_[pos_] == '}') {
      ++pos_;
      return value.value_or("");
    }
    const bool colon = text_[pos_] == ':';
    if (colon) ++pos_;
    if (pos_ >= text_.size()) bad(text_, "unterminated ${" + name);
    const char op = text_[pos_++];
    if (op != '-' && op != '+' && op != '?') bad(text_, std::string("unsupported modifier `") + op + "` in ${" + name + "}");
    const std::string word = nested_word(name);
    const bool set = colon ? value && !value->empty() : value.has_value();
    if (op == '-') return set ? *value : word;
    if (op == '+') return set ? word : "";
    if (!set) bad(text_, name + ": " + (word.empty() ? "is not set" : word));
    return *value;
  }

  // The word of a modifier up to the matching }, itself substituted.
  std::string nested_word(const std::string& name) {
    int depth = 1;
    const std::size_t start = pos_;
    for (; pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == escape_) {
        ++pos_;
      } else if (text_[pos_] == '{') {
        ++depth;
      } else if (text_[pos_] == '}' && --depth == 0) {
        break;
      }
    }
    if (pos_ >= text_.size()) bad(text_, "unterminated ${" + name);
    const std::string_view inner = text_.substr(start, pos_ - start);
    ++pos_;
    return WordScanner(inner, lookup_, escape_).run(false).front();
  }

  std::string_view text_;
  const Lookup& lookup_;
  char escape_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string process_word(std::string_view text, const Lookup& lookup, char escape) {
  return WordScanner(text, lookup, escape).run(false).front();
}

std::vector<std::string> process_words(std::string_view text, const Lookup& lookup, char escape) {
  return WordScanner(text, lookup, escape).run(true);
}

std::vector<std::pair<std::string, std::optional<std::string>>> key_values(std::string_view text, const Lookup& lookup,
                                                                            bool allow_bare_key, char escape) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  // The words as written (quotes kept), so each is processed once below.
  std::vector<std::string> raw;
  std::string current;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == escape && i + 1 < text.size() && quote != '\'') {
      current.push_back(c);
      current.push_back(text[++i]);
    } else if (quote) {
      if (c == quote) quote = 0;
      current.push_back(c);
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) raw.push_back(std::move(current));
      current.clear();
    } else {
      if (c == '"' || c == '\'') quote = c;
      current.push_back(c);
    }
  }
  if (quote) bad(text, "unterminated quote");
  if (!current.empty()) raw.push_back(std::move(current));
  if (raw.empty()) bad(text, "missing KEY=VALUE");
  if (raw.front().find('=') == std::string::npos && !allow_bare_key) {
    // Legacy form: KEY VALUE WITH SPACES
    if (raw.size() < 2) bad(text, "missing a value for " + raw.front() + " (KEY=VALUE or KEY VALUE)");
    const auto space = text.find_first_of(" \t");
    out.emplace_back(raw.front(), process_word(text.substr(text.find_first_not_of(" \t", space)), lookup, escape));
    return out;
  }
  for (const auto& word : raw) {
    const auto eq = word.find('=');
    if (eq == std::string::npos) {
      if (!allow_bare_key) bad(text, "`" + word + "` is not KEY=VALUE");
      out.emplace_back(process_word(word, lookup, escape), std::nullopt);
      continue;
    }
    std::string key = process_word(std::string_view(word).substr(0, eq), lookup, escape);
    if (key.empty()) bad(text, "a KEY=VALUE pair has an empty key");
    out.emplace_back(std::move(key), process_word(std::string_view(word).substr(eq + 1), lookup, escape));
  }
  return out;
}

}  // namespace pod::core::containerfile
