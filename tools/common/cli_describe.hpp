// The CLI declaration as plain data. Every tool declares its verbs and flags once (CLI11);
// describe() reads that declaration back, and the generators turn it into JSON
// (`<tool> __cli-json`), a bash completion script (`<tool> __completion bash`) and a man page
// (`<tool> __man`), so none of them can drift from the code.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pod::tools {

struct CliOption {
  std::vector<std::string> names;  // "-f", "--format"
  std::string description;
  std::string value_name;          // empty for a switch
};

struct CliCommand {
  std::string name;
  std::string description;
  std::vector<CliOption> options;      // visible flags, not positionals
  std::vector<std::string> positionals;
  std::vector<CliCommand> subcommands; // visible verbs
};

CliCommand describe(const CLI::App& app);

std::string render_json(const CliCommand& cmd);
std::string render_bash_completion(const CliCommand& cmd);
std::string render_man_page(const CliCommand& cmd, const std::string& version);

// Adds the hidden generator verbs __cli-json, __completion and __man to `app`.
void add_generator_verbs(CLI::App& app);

}  // namespace pod::tools
