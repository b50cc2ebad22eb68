// pod: the front CLI, podman-compatible verbs.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

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

// `pod copy …` and `pod build …` are pod-copy and pod-build, git-style. pod's own global
// options may come first; --root goes along (both helpers take it), the others stay with pod.
void exec_helper_verb(int argc, char** argv) {
  static const std::set<std::string> with_value{"--root", "--runroot", "--storage-driver", "--log-level"};
  std::vector<std::string> forwarded;
  int i = 1;
  while (i < argc && argv[i][0] == '-') {
    const std::string flag = argv[i];
    const bool joined = flag.find('=') != std::string::npos;
    if (flag.rfind("--root", 0) == 0 && (joined || i + 1 < argc)) {
      forwarded.push_back(joined ? flag : flag + "=" + argv[i + 1]);
    }
    i += !joined && with_value.count(flag) ? 2 : 1;
  }
  if (i >= argc) return;
  const std::string verb = argv[i];
  if (verb != "copy" && verb != "build") return;
  std::string helper;
  try {
    helper = pod::find_helper_binary("pod-" + verb);
  } catch (const pod::Error& e) {
    std::fprintf(stderr, "Error: %s\n", e.message().c_str());
    std::exit(pod::tools::kExitNotFound);
  }
  std::vector<char*> args{helper.data()};
  for (auto& f : forwarded) args.push_back(f.data());
  // `pod copy SRC DEST` copies; `pod copy inspect …` (any pod-copy verb) is that verb.
  static const std::set<std::string> copy_verbs{"copy", "inspect", "list-tags", "delete", "sync", "--help", "-h"};
  static std::string copy_verb = "copy";
  if (verb == "copy" && (i + 1 >= argc || !copy_verbs.count(argv[i + 1]))) args.push_back(copy_verb.data());
  for (int k = i + 1; k < argc; ++k) args.push_back(argv[k]);
  args.push_back(nullptr);
  ::execv(helper.c_str(), args.data());
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
  pod::tools::add_import_export_verbs(app, global, state);
  pod::tools::add_commit_verb(app, global, state);
  pod::tools::add_login_verb(app, state);
  pod::tools::add_logout_verb(app, state);
  return pod::tools::run_tool(app, state, argc, argv);
}
