// pod cp SRC DST: files between the host and a container, either way (CONTAINER:PATH on one
// side). A running container is entered (its namespaces); a stopped one has its root mounted
// in pod's user namespace and is entered by chroot.
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "rootless/container/engine.hpp"
#include "rootless/container/join.hpp"
#include "rootless/userns.hpp"
#include "storage/container_status.hpp"
#include "storage/tar_copy.hpp"
#include "tools/common/main.hpp"
#include "tools/pod/container_engine.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct Side {
  std::string container;  // empty: the host
  std::string path;
};

// "name:/path" names a container when the part before ':' is not a path itself.
Side parse_side(const std::string& text) {
  const auto colon = text.find(':');
  if (colon != std::string::npos && colon > 0 && text.substr(0, colon).find('/') == std::string::npos) {
    return {text.substr(0, colon), text.substr(colon + 1)};
  }
  return {"", text};
}

using rootless::container::Child;

// The host side runs here; the container side in `fork_in(work)`.
void copy(const Side& from, const Side& to, const std::function<Child(const std::function<void()>&)>& fork_in) {
  storage::prepare_tar_copy();
  ::signal(SIGPIPE, SIG_IGN);  // a side that stops early is an error to report, not a signal
  Pipe pipe = make_pipe();
  Child child;
  if (to.container.empty()) {  // container → host
    child = fork_in([&] {
      pipe.read.reset();
      storage::write_tar(from.path, pipe.write.get());
    });
  } else {  // host → container
    child = fork_in([&] {
      pipe.write.reset();
      storage::extract_tar(pipe.read.get(), to.path);
    });
  }
  try {
    if (to.container.empty()) {
      pipe.write.reset();
      storage::extract_tar(pipe.read.get(), to.path);
    } else {
      pipe.read.reset();
      storage::write_tar(from.path, pipe.write.get());
      pipe.write.reset();
    }
  } catch (const Error&) {
    // The side writing the stream knows the cause; the reader only saw it end early.
    pipe = {};
    if (to.container.empty()) rootless::container::wait_for_child(child);
    try {
      rootless::container::wait_for_child(child);
    } catch (const Error&) {
    }
    throw;
  }
  rootless::container::wait_for_child(child);
}

}  // namespace

void add_cp_verb(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto src = std::make_shared<std::string>();
  auto dst = std::make_shared<std::string>();
  auto* verb = app.add_subcommand("cp", "copy files between a container and the host (CONTAINER:PATH on one side)");
  verb->add_option("source", *src, "host path or CONTAINER:PATH")->required();
  verb->add_option("destination", *dst, "host path or CONTAINER:PATH")->required();
  verb->callback([=, &global, &state] {
    const Side from = parse_side(*src), to = parse_side(*dst);
    if (from.container.empty() == to.container.empty()) {
      throw Error("cp: exactly one of source and destination must be CONTAINER:PATH", ErrorKind::usage);
    }
    const std::string name = from.container.empty() ? to.container : from.container;
    copy(from, to, container_fs_forker(global, state, name));
  });
}

}  // namespace pod::tools
