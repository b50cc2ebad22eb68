#include "libcore/containerfile/parser.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "libcore/sys/error.hpp"

namespace pod::core::containerfile {

// With `check` false the caller checks the arguments once it has the heredocs.
Instruction parse_instruction(std::string_view text, const std::string& file_name, int line, char escape, bool check);

namespace {

// The instructions and the flags each takes.
const std::map<std::string, std::set<std::string>, std::less<>>& known_instructions() {
  static const std::map<std::string, std::set<std::string>, std::less<>> table = {
      {"FROM", {"platform"}},
      {"RUN", {"mount", "network", "security"}},
      {"CMD", {}},
      {"ENTRYPOINT", {}},
      {"ENV", {}},
      {"ARG", {}},
      {"LABEL", {}},
      {"EXPOSE", {}},
      {"VOLUME", {}},
      {"USER", {}},
      {"WORKDIR", {}},
      {"COPY", {"from", "chown", "chmod", "link"}},
      {"ADD", {"chown", "chmod", "checksum", "keep-git-dir", "link"}},
      {"SHELL", {}},
      {"STOPSIGNAL", {}},
      {"HEALTHCHECK", {"interval", "timeout", "start-period", "start-interval", "retries"}},
      {"ONBUILD", {}},
      {"MAINTAINER", {}},
  };
  return table;
}

bool takes_heredocs(std::string_view keyword) { return keyword == "RUN" || keyword == "COPY" || keyword == "ADD"; }

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_comment(std::string_view line) {
  line = trim(line);
  return !line.empty() && line.front() == '#';
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
  throw Error(file + ":" + std::to_string(line) + ": " + what, ErrorKind::invalid_input);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// "--name=value" words at the start of `rest`, for instructions that take flags.
std::vector<Flag> take_flags(std::string_view& rest, const std::set<std::string>& allowed, const std::string& where) {
  std::vector<Flag> flags;
  while (rest.substr(0, 2) == "--") {
    const auto end = std::find_if(rest.begin(), rest.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    const std::string_view word(rest.data(), static_cast<std::size_t>(end - rest.begin()));
    const auto eq = word.find('=');
    Flag f{std::string(word.substr(2, eq == std::string_view::npos ? std::string_view::npos : eq - 2)),
           eq == std::string_view::npos ? std::string() : std::string(word.substr(eq + 1))};
    if (!allowed.count(f.name)) throw Error(where + ": unknown flag: --" + f.name, ErrorKind::invalid_input);
    flags.push_back(std::move(f));
    rest = trim(rest.substr(word.size()));
  }
  return flags;
}

std::optional<std::vector<std::string>> json_array(std::string_view args) {
  if (args.empty() || args.front() != '[') return std::nullopt;
  try {
    const auto doc = nlohmann::json::parse(args);
    if (!doc.is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : doc) {
      if (!item.is_string()) return std::nullopt;
      out.push_back(item.get<std::string>());
    }
    return out;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // Docker's rule: not JSON, so it is the shell form
  }
}

// The heredoc markers (<<EOF, <<-EOF, <<"EOF", <<'EOF') of a line, outside quotes.
std::vector<Heredoc> heredoc_markers(std::string_view s) {
  std::vector<Heredoc> out;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c != '<' || s.substr(i, 2) != "<<" || s.substr(i, 3) == "<<<") continue;
    std::size_t j = i + 2;
    Heredoc h;
    if (j < s.size() && s[j] == '-') {
      h.strip_tabs = true;
      ++j;
    }
    char q = 0;
    if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
      q = s[j++];
      h.expand = false;
    }
    const std::size_t start = j;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '-' || s[j] == '.')) ++j;
    if (j == start || (q && (j >= s.size() || s[j] != q))) continue;
    h.name = std::string(s.substr(start, j - start));
    out.push_back(std::move(h));
    i = q ? j : j - 1;
  }
  return out;
}

void check_arguments(const Instruction& in) {
  const std::string where = in.where();
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw Error(where + ": " + what, ErrorKind::invalid_input);
  };
  need(!in.args.empty() || !in.heredocs.empty(), "requires at least one argument");
  if (in.keyword == "SHELL") need(in.exec_form && !in.exec_form->empty(), "requires the JSON form: SHELL [\"executable\", \"parameters\"]");
  if (in.keyword == "FROM") {
    const std::string args = in.args;
    std::vector<std::string> words;
    for (std::size_t p = 0; p < args.size();) {
      const auto s = args.find_first_not_of(" \t", p);
      if (s == std::string::npos) break;
      const auto e = args.find_first_of(" \t", s);
      words.push_back(args.substr(s, e - s));
      p = e == std::string::npos ? args.size() : e;
    }
    need(words.size() == 1 || (words.size() == 3 && upper(words[1]) == "AS"), "expects `FROM IMAGE [AS NAME]`");
  }
  if (in.keyword == "COPY" || in.keyword == "ADD") {
    const auto n = in.exec_form ? in.exec_form->size() : std::string::npos;
    need(n == std::string::npos || n >= 2, "requires a source and a destination");
    if (!in.exec_form) {
      need(in.args.find_first_of(" \t") != std::string::npos || !in.heredocs.empty(), "requires a source and a destination");
    }
  }
  if (in.keyword == "ONBUILD") {
    const auto trigger = upper(in.args.substr(0, in.args.find_first_of(" \t")));
    need(trigger != "ONBUILD" && trigger != "FROM" && trigger != "MAINTAINER",
         "ONBUILD " + trigger + " is not allowed");
    parse_instruction(in.args, in.file, in.line);
  }
}

class Parser {
 public:
  Parser(std::string_view text, std::string file) : lines_(split_lines(text)), file_(std::move(file)) {}

  Containerfile run() {
    Containerfile out;
    out.file = file_;
    read_directives(out);
    escape_ = out.escape;
    while (next_ < lines_.size()) {
      const std::string_view line = lines_[next_];
      if (trim(line).empty() || is_comment(line)) {
        ++next_;
        continue;
      }
      out.instructions.push_back(read_instruction());
    }
    if (out.instructions.empty()) fail(file_, 1, "no instructions (is this a Containerfile?)");
    if (out.instructions.front().keyword != "FROM" && out.instructions.front().keyword != "ARG") {
      throw Error(out.instructions.front().where() + ": the first instruction must be FROM (or ARG before it)",
                  ErrorKind::invalid_input);
    }
    return out;
  }

 private:
  void read_directives(Containerfile& out) {
    std::set<std::string> seen;
    for (; next_ < lines_.size(); ++next_) {
      std::string_view line = trim(lines_[next_]);
      if (line.empty() || line.front() != '#') return;
      line = trim(line.substr(1));
      const auto eq = line.find('=');
      if (eq == std::string_view::npos) return;
      const std::string key = upper(trim(line.substr(0, eq)));
      const std::string value(trim(line.substr(eq + 1)));
      if (key != "SYNTAX" && key != "ESCAPE" && key != "CHECK") return;  // a plain comment ends them
      const int n = static_cast<int>(next_) + 1;
      if (!seen.insert(key).second) fail(file_, n, "the parser directive `" + key + "` is given twice");
      if (key == "ESCAPE") {
        if (value != "\\" && value != "`") fail(file_, n, "invalid escape character " + quote_untrusted(value) + ": use \\ or `");
        out.escape = value.front();
      } else if (key == "SYNTAX") {
        out.syntax = value;
      }
    }
  }

  // Joins continued lines: the escape character at the end of a line (spaces after it
  // allowed) is removed and the next line appended as it is.
  Instruction read_instruction() {
    const int first_line = static_cast<int>(next_) + 1;
    std::string joined;
    for (;;) {
      const std::string_view line = trim_right(lines_[next_++]);
      if (!line.empty() && line.back() == escape_) {
        joined.append(line.substr(0, line.size() - 1));
        while (next_ < lines_.size() && (is_comment(lines_[next_]) || trim(lines_[next_]).empty())) ++next_;
        if (next_ < lines_.size()) continue;
        break;
      }
      joined.append(line);
      break;
    }
    Instruction in = parse_instruction(joined, file_, first_line, escape_, /*check=*/false);
    if (takes_heredocs(in.keyword)) read_heredocs(in);
    check_arguments(in);
    return in;
  }

  void read_heredocs(Instruction& in) {
    in.heredocs = heredoc_markers(in.args);
    for (auto& h : in.heredocs) {
      for (;;) {
        if (next_ >= lines_.size()) {
          throw Error(in.where() + ": heredoc `" + h.name + "` has no terminating line", ErrorKind::invalid_input);
        }
        std::string_view line = lines_[next_++];
        if (h.strip_tabs) line.remove_prefix(std::min(line.find_first_not_of('\t'), line.size()));
        if (line == h.name) break;
        h.body.append(line).push_back('\n');
      }
    }
  }

  std::vector<std::string_view> lines_;
  std::string file_;
  std::size_t next_ = 0;
  char escape_ = '\\';
};

}  // namespace

std::string Instruction::where() const { return file + ":" + std::to_string(line) + ": " + keyword; }

const Flag* Instruction::flag(std::string_view name) const {
  for (const auto& f : flags) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Instruction parse_instruction(std::string_view text, const std::string& file_name, int line, char /*escape*/, bool check) {
  Instruction in;
  in.file = file_name;
  in.line = line;
  in.text = std::string(trim(text));
  std::string_view rest = in.text;
  const auto end = std::find_if(rest.begin(), rest.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
  in.keyword = upper(std::string_view(rest.data(), static_cast<std::size_t>(end - rest.begin())));
  const auto known = known_instructions().find(in.keyword);
  if (known == known_instructions().end()) fail(file_name, line, "unknown instruction: " + quote_untrusted(in.keyword));
  rest = trim(rest.substr(static_cast<std::size_t>(end - rest.begin())));
  in.flags = take_flags(rest, known->second, in.where());
  in.args = std::string(rest);
  in.exec_form = json_array(in.args);
  if (check) {
    if (takes_heredocs(in.keyword) && !heredoc_markers(in.args).empty()) {
      throw Error(in.where() + ": a heredoc is not allowed here", ErrorKind::invalid_input);
    }
    check_arguments(in);
  }
  return in;
}

Instruction parse_instruction(std::string_view text, const std::string& file_name, int line, char escape) {
  return parse_instruction(text, file_name, line, escape, true);
}

Containerfile parse(std::string_view text, const std::string& file_name) { return Parser(text, file_name).run(); }

}  // namespace pod::core::containerfile
