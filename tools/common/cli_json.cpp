#include "tools/common/cli_json.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace pod::tools {
namespace {

using nlohmann::json;

json describe_option(const CLI::Option& opt) {
  json names = json::array();
  for (const auto& s : opt.get_snames()) names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) names.push_back("--" + l);
  return json{{"names", names},
              {"description", opt.get_description()},
              {"takes_value", opt.get_type_size() != 0},
              {"repeatable", opt.get_expected_max() > 1 || opt.get_multi_option_policy() ==
                                                               CLI::MultiOptionPolicy::TakeAll},
              {"positional", opt.get_positional()},
              {"positional_name", opt.get_name(true, false)}};
}

json describe_app(const CLI::App& app) {
  json j{{"name", app.get_name()}, {"description", app.get_description()}};
  j["options"] = json::array();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    j["options"].push_back(describe_option(*opt));
  }
  j["subcommands"] = json::array();
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    j["subcommands"].push_back(describe_app(*sub));
  }
  return j;
}

}  // namespace

void add_cli_json_verb(CLI::App& app) {
  CLI::App* verb = app.add_subcommand("__cli-json", "print the command-line declaration as JSON");
  verb->group("");  // hidden from --help and from its own output
  verb->callback([&app] { std::cout << describe_app(app).dump(2) << '\n'; });
}

}  // namespace pod::tools
