// The generators behind __cli-json, __completion and __man (see cli_describe.hpp).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "tools/common/cli_describe.hpp"

namespace pod::tools {
namespace {

nlohmann::json to_json(const CliCommand& cmd) {
  nlohmann::json j{{"name", cmd.name}, {"description", cmd.description}, {"positionals", cmd.positionals}};
  j["options"] = nlohmann::json::array();
  for (const auto& o : cmd.options) {
    j["options"].push_back({{"names", o.names}, {"description", o.description}, {"value", o.value_name}});
  }
  j["subcommands"] = nlohmann::json::array();
  for (const auto& sub : cmd.subcommands) j["subcommands"].push_back(to_json(sub));
  return j;
}

std::string joined_names(const std::vector<CliOption>& options) {
  std::string words;
  for (const auto& o : options) {
    for (const auto& n : o.names) words += (words.empty() ? "" : " ") + n;
  }
  return words;
}

// Flags that take a value, so the completer skips their value when looking for the verb.
std::string value_flag_pattern(const std::vector<CliOption>& options) {
  std::string pattern;
  for (const auto& o : options) {
    if (o.value_name.empty()) continue;
    for (const auto& n : o.names) pattern += (pattern.empty() ? "" : "|") + n;
  }
  return pattern.empty() ? "--no-such-flag" : pattern;
}

std::string function_name(const std::string& tool) {
  std::string f = "_" + tool;
  for (char& c : f) c = (c == '-') ? '_' : c;
  return f;
}

std::string roff_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

void man_options(std::string& out, const std::vector<CliOption>& options) {
  for (const auto& o : options) {
    std::string names;
    for (const auto& n : o.names) names += (names.empty() ? "" : ", ") + ("\\fB" + roff_escape(n) + "\\fR");
    if (!o.value_name.empty()) names += " \\fI" + roff_escape(o.value_name) + "\\fR";
    out += ".TP\n" + names + "\n" + roff_escape(o.description) + "\n";
  }
}

}  // namespace

std::string render_json(const CliCommand& cmd) { return to_json(cmd).dump(2) + "\n"; }

std::string render_bash_completion(const CliCommand& cmd) {
  const std::string fn = function_name(cmd.name);
  std::string verbs;
  std::string cases;
  for (const auto& sub : cmd.subcommands) {
    verbs += (verbs.empty() ? "" : " ") + sub.name;
    // A group (pod image …) offers its own verbs; their flags are not completed.
    std::string words;
    for (const auto& nested : sub.subcommands) words += nested.name + " ";
    cases += fmt::format("    {}) words=\"{}{}\" ;;\n", sub.name, words, joined_names(sub.options));
  }
  return fmt::format(
      "# bash completion for {0}, generated from its CLI declaration ({0} __completion bash)\n"
      "{1}() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} verb='' words='' i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${{COMP_WORDS[i]}} in\n"
      "      {2}) ((i++)) ;;\n"
      "      -*) ;;\n"
      "      *) verb=${{COMP_WORDS[i]}}; break ;;\n"
      "    esac\n"
      "  done\n"
      "  case $verb in\n"
      "    '') words=\"{3} {4}\" ;;\n"
      "{5}"
      "  esac\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}}\n"
      "complete -o default -F {1} {0}\n",
      cmd.name, fn, value_flag_pattern(cmd.options), verbs, joined_names(cmd.options), cases);
}

std::string render_man_page(const CliCommand& cmd, const std::string& version) {
  std::string out = fmt::format(".TH {} 1 \"\" \"pod {}\" \"User Commands\"\n.SH NAME\n{} \\- {}\n",
                                roff_escape(cmd.name), version, roff_escape(cmd.name), roff_escape(cmd.description));
  out += ".SH SYNOPSIS\n\\fB" + roff_escape(cmd.name) + "\\fR [\\fIoptions\\fR]" +
         (cmd.subcommands.empty() ? "" : " \\fIcommand\\fR [\\fIcommand options\\fR]") + "\n";
  if (!cmd.options.empty()) {
    out += ".SH OPTIONS\n";
    man_options(out, cmd.options);
  }
  if (!cmd.subcommands.empty()) out += ".SH COMMANDS\n";
  for (const auto& sub : cmd.subcommands) {
    out += ".SS " + roff_escape(cmd.name + " " + sub.name) + "\n" + roff_escape(sub.description) + "\n";
    man_options(out, sub.options);
  }
  return out;
}

}  // namespace pod::tools
