// pod version [--format json]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "libcore/oci/platform.hpp"
#include "libcore/version.hpp"
#include "tools/common/main.hpp"
#include "tools/common/output.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

nlohmann::json version_facts() {
  return nlohmann::json{{"Version", kVersion},
                        {"OsArch", core::oci::to_string(core::oci::host_platform())},
                        {"Compiler", fmt::format("g++ {}", __VERSION__)}};
}

}  // namespace

void add_version_verb(CLI::App& app, RunState& /*state*/) {
  auto* verb = app.add_subcommand("version", "show the pod version");
  auto format = std::make_shared<std::string>();
  verb->add_option("-f,--format", *format, "output format: json");
  verb->callback([format] {
    print_document(*format, version_facts(), [](const nlohmann::json& facts) {
      fmt::print("Version:      {}\nOS/Arch:      {}\nCompiler:     {}\n",
                 facts["Version"].get<std::string>(), facts["OsArch"].get<std::string>(),
                 facts["Compiler"].get<std::string>());
    });
  });
}

}  // namespace pod::tools
