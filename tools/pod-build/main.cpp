// pod-build: builds images from Containerfiles/Dockerfiles (Buildah's `bud`, `podman build`).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "builder/build.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "tools/common/main.hpp"
#include "tools/pod-build/build_flags.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe (--output to a reader that quit) is an error to report
  CLI::App app{"build an image from a Containerfile or Dockerfile (podman build, buildah bud)", "pod-build"};
  pod::tools::BuildFlags flags;
  pod::tools::RunState state;
  state.exit_code_for = [](const pod::Error& e) {
    if (const auto* failed = dynamic_cast<const pod::builder::StepFailed*>(&e)) return failed->exit_code;
    return pod::tools::kExitPodError;
  };
  pod::tools::add_build_flags(app, flags);
  app.callback([&] {
    if (app.get_subcommands().empty()) state.exit_code = pod::tools::run_build(flags);  // not __man & co
  });
  return pod::tools::run_tool(app, state, argc, argv);
}
