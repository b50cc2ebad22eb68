#include "tools/common/main.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "tools/common/cli_describe.hpp"

namespace pod::tools {
namespace {

void print_error(std::string_view message) {
  fmt::print(stderr, "Error: {}\n", message);
  log::record(log::Level::error, message);
}

// The first word that is neither a global flag nor a global flag's value.
const char* first_word(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.empty() || arg[0] != '-') return argv[i];
    if (arg.find('=') != std::string::npos) continue;
    const CLI::Option* opt = app.get_option_no_throw(arg);
    if (opt && opt->get_items_expected_max() != 0) ++i;  // skip the flag's value
  }
  return nullptr;
}

// A first word that is no verb: say so as podman does, instead of CLI11's
// "a subcommand is required".
const char* unknown_verb(const CLI::App& app, int argc, char** argv) {
  const char* word = first_word(app, argc, argv);
  if (word == nullptr || app.get_subcommands({}).empty()) return nullptr;
  try {
    app.get_subcommand(word);
    return nullptr;
  } catch (const CLI::OptionNotFound&) {
    return word;
  }
}
}  // namespace

int run_tool(CLI::App& app, RunState& state, int argc, char** argv) {
  add_generator_verbs(app);
  state.argv = argv;
  try {
    app.parse(argc, argv);
    return state.exit_code;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (const char* verb = unknown_verb(app, argc, argv)) {
      print_error(fmt::format("unrecognized command `{} {}`", app.get_name(), verb));
    } else {
      print_error(e.what());
    }
    fmt::print(stderr, "See '{} --help'.\n", app.get_name());
    return state.error_exit_code;
  } catch (const Error& e) {
    print_error(e.message());
    return state.exit_code_for ? state.exit_code_for(e) : state.error_exit_code;
  } catch (const std::exception& e) {
    print_error(e.what());
    return state.error_exit_code;
  }
}

}  // namespace pod::tools
