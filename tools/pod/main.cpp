// pod: the front CLI, podman-compatible verbs.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/sys/process.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/verbs.hpp"

namespace {

void add_global_flags(CLI::App& app, pod::tools::GlobalOptions& global) {
  app.add_option("--root", global.root, "path to the store (default: per-user data dir, /var/lib/pod as root)");
  app.add_option("--runroot", global.runroot, "path to runtime state (default: $XDG_RUNTIME_DIR/pod, /run/pod as root)");
  app.add_option("--storage-driver", global.storage_driver, "overlay or fuse-overlayfs (default: the best that works here)");
  app.add_option("--log-level", global.log_level, "log messages at and above: debug, info, warn, error, fatal, panic")
      ->check([](const std::string& v) {
        return pod::log::parse_level(v) ? std::string() : "unknown log level `" + v + "`";
      });
  app.parse_complete_callback([&global] { pod::log::set_level(*pod::log::parse_level(global.log_level)); });
}

}  // namespace

// `pod copy …` and `pod build …` are pod-copy and pod-build, git-style.
void exec_helper_verb(int argc, char** argv) {
  if (argc < 2) return;
  const std::string verb = argv[1];
  if (verb != "copy" && verb != "build") return;
  std::string helper;
  try {
    helper = pod::find_helper_binary("pod-" + verb);
  } catch (const pod::Error& e) {
    std::fprintf(stderr, "Error: %s\n", e.message().c_str());
    std::exit(pod::tools::kExitNotFound);
  }
  argv[1] = const_cast<char*>(helper.c_str());
  ::execv(helper.c_str(), argv + 1);
  std::fprintf(stderr, "Error: cannot run %s: %s\n", helper.c_str(), std::strerror(errno));
  std::exit(pod::tools::kExitCannotInvoke);
}

int main(int argc, char** argv) {
  exec_helper_verb(argc, argv);
  CLI::App app{"pod: rootless, daemonless containers", "pod"};
  app.require_subcommand(1);
  pod::tools::GlobalOptions global;
  pod::tools::RunState state;
  add_global_flags(app, global);
  pod::tools::add_version_verb(app, state);
  pod::tools::add_info_verb(app, global, state);
  pod::tools::add_unshare_verb(app, state);
  pod::tools::add_pull_verb(app, global, state);
  pod::tools::add_images_verb(app, "images", global, state);
  pod::tools::add_rmi_verb(app, "rmi", global, state);
  pod::tools::add_tag_verb(app, "tag", global, state);
  pod::tools::add_image_group(app, global, state);
  pod::tools::add_run_verbs(app, global, state);
  pod::tools::add_container_query_verbs(app, global, state, false);
  pod::tools::add_container_signal_verbs(app, global, state);
  pod::tools::add_container_rm_verbs(app, global, state, false);
  pod::tools::add_exec_verb(app, global, state);
  pod::tools::add_container_resource_verbs(app, global, state);
  pod::tools::add_stats_verb(app, global);
  pod::tools::add_container_misc_verbs(app, global, state);
  pod::tools::add_cp_verb(app, global, state);
  pod::tools::add_container_group(app, global, state);
  pod::tools::add_image_transfer_verbs(app, global, state);
  pod::tools::add_login_verb(app, state);
  pod::tools::add_logout_verb(app, state);
  return pod::tools::run_tool(app, state, argc, argv);
}
