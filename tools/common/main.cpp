#include "tools/common/main.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>

#include "libcore/sys/error.hpp"
#include "tools/common/cli_describe.hpp"

namespace pod::tools {
namespace {

void print_error(std::string_view message) { fmt::print(stderr, "Error: {}\n", message); }

// A first word that is no flag and no verb: say so as podman does, instead of CLI11's
// "a subcommand is required".
bool is_unknown_verb(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || app.get_subcommands({}).empty()) return false;
  try {
    app.get_subcommand(argv[1]);
    return false;
  } catch (const CLI::OptionNotFound&) {
    return true;
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
    if (is_unknown_verb(app, argc, argv)) {
      print_error(fmt::format("unrecognized command `{} {}`", app.get_name(), argv[1]));
    } else {
      print_error(e.what());
    }
    fmt::print(stderr, "See '{} --help'.\n", app.get_name());
    return kExitPodError;
  } catch (const Error& e) {
    print_error(e.message());
    return kExitPodError;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitPodError;
  }
}

}  // namespace pod::tools
