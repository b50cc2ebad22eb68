// pod unshare [COMMAND [ARG...]]: run a command in pod's user namespace, where the user is
// root and owns its subordinate ids (as `podman unshare`), e.g. to inspect or remove files
// in the store that belong to mapped ids. Without a command: $SHELL.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdlib>

#include "libcore/sys/error.hpp"
#include "rootless/userns.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

bool command_exists(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), F_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  for (;;) {
    const auto colon = dirs.find(':', start);
    if (::access((dirs.substr(start, colon - start) + "/" + name).c_str(), F_OK) == 0) return true;
    if (colon == std::string::npos) return false;
    start = colon + 1;
  }
}

}  // namespace

void add_unshare_verb(CLI::App& app, RunState& state) {
  auto* verb = app.add_subcommand("unshare", "run a command in the rootless user namespace");
  verb->prefix_command();  // everything after `unshare` belongs to the command
  verb->callback([verb, &state] {
    std::vector<std::string> command = verb->remaining();
    if (command.empty()) {
      const char* shell = std::getenv("SHELL");
      command.push_back(shell && *shell ? shell : "/bin/sh");
    }
    rootless::ensure_userns();
    std::vector<char*> args;
    for (auto& a : command) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    // execvp reports EACCES when any PATH directory was unreadable; "not found" is 127.
    const int err = errno;
    state.exit_code = (err == ENOENT || !command_exists(command[0])) ? kExitNotFound : kExitCannotInvoke;
    errno = state.exit_code == kExitNotFound ? ENOENT : err;
    try {
      throw_errno("run", command[0]);
    } catch (const Error& e) {
      std::fprintf(stderr, "Error: %s\n", e.what());
    }
  });
}

}  // namespace pod::tools
