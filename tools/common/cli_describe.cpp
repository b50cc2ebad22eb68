#include "tools/common/cli_describe.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "libcore/version.hpp"

namespace pod::tools {
namespace {

bool is_visible(const CLI::App* sub) { return !sub->get_group().empty(); }

CliOption describe_option(const CLI::Option& opt) {
  CliOption o;
  for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
  o.description = opt.get_description();
  if (opt.get_items_expected_max() != 0) o.value_name = opt.get_type_name().empty() ? "VALUE" : opt.get_type_name();
  return o;
}

}  // namespace

CliCommand describe(const CLI::App& app) {
  CliCommand cmd{app.get_name(), app.get_description(), {}, {}, {}};
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional()) {
      cmd.positionals.push_back(opt->get_name(true, false));
    } else {
      cmd.options.push_back(describe_option(*opt));
    }
  }
  for (const CLI::App* sub : app.get_subcommands(is_visible)) cmd.subcommands.push_back(describe(*sub));
  return cmd;
}

void add_generator_verbs(CLI::App& app) {
  const auto hidden = [&app](const char* name, const char* what) {
    CLI::App* verb = app.add_subcommand(name, what);
    verb->group("");
    return verb;
  };
  hidden("__cli-json", "print the command-line declaration as JSON")->callback([&app] {
    std::cout << render_json(describe(app));
  });
  auto shell = std::make_shared<std::string>("bash");
  auto* completion = hidden("__completion", "print a shell completion script");
  completion->add_option("shell", *shell, "bash")->check(CLI::IsMember({"bash"}));
  completion->callback([&app, shell] { std::cout << render_bash_completion(describe(app)); });
  hidden("__man", "print the man page (roff)")->callback([&app] {
    std::cout << render_man_page(describe(app), kVersion);
  });
}

}  // namespace pod::tools
