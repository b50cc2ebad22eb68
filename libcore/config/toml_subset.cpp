#include "libcore/config/toml_subset.hpp"

#include <charconv>
#include <set>

#include "libcore/sys/error.hpp"

namespace pod::core::config {
namespace {

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TomlValue* find_mut(TomlTable& table, std::string_view key) {
  for (auto& [k, v] : table) {
    if (k == key) return &v;
  }
  return nullptr;
}

TomlValue& add(TomlTable& table, std::string key, TomlValue value) {
  table.emplace_back(std::move(key), std::move(value));
  return table.back().second;
}

std::string join_path(std::string_view base, std::string_view key) {
  return base.empty() ? std::string(key) : std::string(base) + "." + std::string(key);
}

// One pass over the text. Headers are resolved from the root each time; between headers,
// key/value pairs only add entries inside `current_`, so the pointer stays valid.
class Parser {
 public:
  Parser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  TomlTable parse() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte order mark
    for (;;) {
      skip_blank_lines();
      if (at_end()) return std::move(root_);
      if (peek() == '[') {
        parse_header();
      } else {
        parse_key_value();
      }
    }
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  bool starts_with(std::string_view s) const { return text_.substr(pos_).starts_with(s); }

  [[noreturn]] void fail_at(int line, std::string_view why) const {
    throw Error(std::string(source_) + ":" + std::to_string(line) + ": " + std::string(why), ErrorKind::invalid_input);
  }
  [[noreturn]] void fail(std::string_view why) const { fail_at(line_, why); }

  std::string found() const {
    if (at_end()) return "the end of the file";
    if (peek() == '\n' || peek() == '\r') return "the end of the line";
    return quote_untrusted(text_.substr(pos_, 1));
  }

  void skip_blanks() {
    while (peek() == ' ' || peek() == '\t') ++pos_;
  }

  void skip_comment() {
    if (peek() != '#') return;
    while (!at_end() && peek() != '\n') ++pos_;
  }

  bool skip_newline() {
    if (peek() == '\r' && peek(1) == '\n') ++pos_;
    if (peek() != '\n') return false;
    ++pos_;
    ++line_;
    return true;
  }

  // Blanks, comments and line breaks: between statements and between array items.
  void skip_blank_lines() {
    do {
      skip_blanks();
      skip_comment();
    } while (skip_newline());
  }

  void expect_line_end() {
    skip_blanks();
    skip_comment();
    if (!at_end() && !skip_newline()) fail("expected the end of the line, found " + found());
  }

  void expect(char c) {
    if (peek() != c) fail("expected " + quote(std::string(1, c)) + ", found " + found());
    ++pos_;
  }

  // ---- keys ----

  std::string parse_key_part() {
    if (peek() == '"') return parse_basic_string();
    if (peek() == '\'') return parse_literal_string();
    const std::size_t start = pos_;
    while (!at_end() && is_bare_key_char(peek())) ++pos_;
    if (pos_ == start) fail("expected a key, found " + found());
    return std::string(text_.substr(start, pos_ - start));
  }

  std::vector<std::string> parse_key() {
    std::vector<std::string> parts{parse_key_part()};
    for (;;) {
      skip_blanks();
      if (peek() != '.') return parts;
      ++pos_;
      skip_blanks();
      parts.push_back(parse_key_part());
    }
  }

  // ---- values ----

  std::string parse_basic_string() {
    if (starts_with("\"\"\"")) fail("multi-line strings are not supported");
    ++pos_;
    std::string out;
    for (;;) {
      if (at_end() || peek() == '\n' || starts_with("\r\n")) fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        parse_escape(out);
      } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        fail("control character in a string");
      } else {
        out.push_back(c);
      }
    }
  }

  void parse_escape(std::string& out) {
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"': out.push_back('"'); return;
      case '\\': out.push_back('\\'); return;
      case 'b': out.push_back('\b'); return;
      case 't': out.push_back('\t'); return;
      case 'n': out.push_back('\n'); return;
      case 'f': out.push_back('\f'); return;
      case 'r': out.push_back('\r'); return;
      case 'u': append_utf8(out, parse_code_point(4)); return;
      case 'U': append_utf8(out, parse_code_point(8)); return;
      default: fail("invalid escape " + quote_untrusted(std::string("\\") + c) + " in a string");
    }
  }

  std::uint32_t parse_code_point(int digits) {
    std::uint32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      const int v = hex_value(peek());
      if (v < 0) fail("expected " + std::to_string(digits) + " hex digits in a unicode escape");
      cp = cp * 16 + static_cast<std::uint32_t>(v);
      ++pos_;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) fail("unicode escape is not a scalar value");
    return cp;
  }

  std::string parse_literal_string() {
    if (starts_with("'''")) fail("multi-line strings are not supported");
    ++pos_;
    const std::size_t start = pos_;
    while (!at_end() && peek() != '\'' && peek() != '\n') ++pos_;
    if (peek() != '\'') fail("unterminated string");
    std::string out(text_.substr(start, pos_ - start));
    ++pos_;
    return out;
  }

  TomlValue parse_array() {
    const int line = line_;
    ++pos_;
    TomlArray items;
    for (;;) {
      skip_blank_lines();
      if (at_end()) fail_at(line, "unterminated array");
      if (peek() == ']') break;
      items.push_back(parse_value());
      skip_blank_lines();
      if (at_end()) fail_at(line, "unterminated array");
      if (peek() == ']') break;
      expect(',');
    }
    ++pos_;
    return TomlValue{std::move(items), line};
  }

  // true, false and decimal integers; anything else is a form this subset does not read.
  TomlValue parse_bare_value() {
    const std::size_t start = pos_;
    while (!at_end() && std::string_view(" \t\r\n,]#").find(peek()) == std::string_view::npos) ++pos_;
    const std::string_view token = text_.substr(start, pos_ - start);
    if (token.empty()) fail("expected a value, found " + found());
    if (token == "true" || token == "false") return TomlValue{token == "true", line_};
    return TomlValue{parse_integer(token), line_};
  }

  std::int64_t parse_integer(std::string_view token) {
    std::string digits;
    bool digit_before = false;
    for (std::size_t i = 0; i < token.size(); ++i) {
      const char c = token[i];
      const bool sign = i == 0 && (c == '+' || c == '-');
      const bool underscore = c == '_' && digit_before && i + 1 < token.size() && is_digit(token[i + 1]);
      if (!sign && !underscore && !is_digit(c)) fail("unsupported value " + quote_untrusted(token));
      digit_before = is_digit(c);
      if (c != '_' && c != '+') digits.push_back(c);
    }
    const std::string_view unsigned_part = std::string_view(digits).substr(digits.starts_with('-') ? 1 : 0);
    if (unsigned_part.empty()) fail("unsupported value " + quote_untrusted(token));
    if (unsigned_part.size() > 1 && unsigned_part.front() == '0') fail("leading zeros in integer " + quote_untrusted(token));
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) fail("integer out of range: " + quote_untrusted(token));
    return value;
  }

  TomlValue parse_value() {
    const char c = peek();
    if (c == '"') return TomlValue{parse_basic_string(), line_};
    if (c == '\'') return TomlValue{parse_literal_string(), line_};
    if (c == '[') return parse_array();
    if (c == '{') fail("inline tables are not supported");
    return parse_bare_value();
  }

  // ---- structure ----

  // Walks from the root through keys[0, count), creating tables; an array of tables stands
  // for its last element. `path` receives the canonical path ("registry[1].mirror").
  TomlTable& walk(const std::vector<std::string>& keys, std::size_t count, std::string& path, int line) {
    TomlTable* table = &root_;
    for (std::size_t i = 0; i < count; ++i) {
      path = join_path(path, keys[i]);
      TomlValue* v = find_mut(*table, keys[i]);
      if (!v) v = &add(*table, keys[i], TomlValue{TomlTable{}, line});
      if (auto* array = std::get_if<TomlArray>(&v->data); array && v->table_array) {
        path += "[" + std::to_string(array->size() - 1) + "]";
        v = &array->back();
      }
      table = std::get_if<TomlTable>(&v->data);
      if (!table) fail_at(line, "key " + quote(path) + " is already defined as " + std::string(toml_type_name(*v)));
    }
    return *table;
  }

  void parse_header() {
    const int line = line_;
    const bool array = starts_with("[[");
    pos_ += array ? 2 : 1;
    skip_blanks();
    const std::vector<std::string> keys = parse_key();
    skip_blanks();
    expect(']');
    if (array) expect(']');
    expect_line_end();
    std::string path;
    TomlTable& parent = walk(keys, keys.size() - 1, path, line);
    path = join_path(path, keys.back());
    if (array) {
      open_table_array(parent, keys.back(), path, line);
    } else {
      open_table(parent, keys.back(), path, line);
    }
  }

  void open_table(TomlTable& parent, const std::string& key, const std::string& path, int line) {
    TomlValue* v = find_mut(parent, key);
    if (!v) v = &add(parent, key, TomlValue{TomlTable{}, line});
    if (!v->is_table()) fail_at(line, "key " + quote(path) + " is already defined as " + std::string(toml_type_name(*v)));
    if (!defined_.insert(path).second) fail_at(line, "table " + quote(path) + " is defined twice");
    v->line = line;
    current_ = &std::get<TomlTable>(v->data);
    current_path_ = path;
  }

  void open_table_array(TomlTable& parent, const std::string& key, const std::string& path, int line) {
    TomlValue* v = find_mut(parent, key);
    if (!v) {
      v = &add(parent, key, TomlValue{TomlArray{}, line});
      v->table_array = true;
    }
    if (!v->table_array) {
      fail_at(line, "key " + quote(path) + " is already defined as " + std::string(toml_type_name(*v)) +
           ", not an array of tables");
    }
    auto& items = std::get<TomlArray>(v->data);
    items.push_back(TomlValue{TomlTable{}, line});
    current_ = &std::get<TomlTable>(items.back().data);
    current_path_ = path + "[" + std::to_string(items.size() - 1) + "]";
  }

  void parse_key_value() {
    const int line = line_;
    const std::vector<std::string> keys = parse_key();
    skip_blanks();
    expect('=');
    skip_blanks();
    TomlValue value = parse_value();
    expect_line_end();

    TomlTable* table = current_;
    std::string path = current_path_;
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
      path = join_path(path, keys[i]);
      TomlValue* v = find_mut(*table, keys[i]);
      if (!v) v = &add(*table, keys[i], TomlValue{TomlTable{}, line});
      defined_.insert(path);  // a table made by dotted keys cannot get a [header] later
      table = std::get_if<TomlTable>(&v->data);
      if (!table) fail_at(line, "key " + quote(path) + " is already defined as " + std::string(toml_type_name(*v)));
    }
    path = join_path(path, keys.back());
    if (find_mut(*table, keys.back())) fail_at(line, "key " + quote(path) + " is defined twice");
    add(*table, keys.back(), std::move(value));
  }

  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  int line_ = 1;
  TomlTable root_;
  TomlTable* current_ = &root_;
  std::string current_path_;
  std::set<std::string> defined_;  // tables opened by [header] or made by dotted keys
};

}  // namespace

std::string_view toml_type_name(const TomlValue& value) {
  static constexpr std::string_view kNames[] = {"a string", "a boolean", "an integer", "an array", "a table"};
  return kNames[value.data.index()];
}

const TomlValue* toml_find(const TomlTable& table, std::string_view key) {
  for (const auto& [k, v] : table) {
    if (k == key) return &v;
  }
  return nullptr;
}

TomlTable parse_toml(std::string_view text, std::string_view source) { return Parser(text, source).parse(); }

}  // namespace pod::core::config
