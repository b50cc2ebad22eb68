// The CLI declaration as data: every tool declares its verbs and flags once (CLI11), and
// `<tool> __cli-json` prints them as JSON so completions and man pages are generated from, or
// checked against, the one source.
#pragma once

namespace CLI {
class App;
}

namespace pod::tools {

void add_cli_json_verb(CLI::App& app);

}  // namespace pod::tools
