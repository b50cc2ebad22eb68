#include "tools/pod-build/build_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sys/wait.h>

#include <cstdio>

#include "libcore/oci/platform.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/copy.hpp"
#include "libcore/transport/transport_reference.hpp"
#include "storage/store_transport.hpp"
#include "storage/tar_copy.hpp"
#include "tools/common/image_transports.hpp"

namespace pod::tools {
namespace {

void export_tar(const builder::BuildEnvironment& env, const builder::BuildResult& result, const std::string& dest) {
  const bool to_stdout = dest == "-";
  UniqueFd file(to_stdout ? ::dup(STDOUT_FILENO) : ::open(dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!file) throw_errno("create", dest);
  builder::with_image_files(env, result.layers, [&](const std::string& root) { storage::write_tar_contents(root, file.get()); });
}

// The writer runs in a child: libarchive's disk reader changes the working directory while
// it walks, and the extractor works relative to its own — they cannot share a process.
void export_local(const builder::BuildEnvironment& env, const builder::BuildResult& result, const std::string& dest) {
  make_dirs(dest, 0755);
  builder::with_image_files(env, result.layers, [&](const std::string& root) {
    Pipe pipe = make_pipe();
    const pid_t writer = ::fork();
    if (writer < 0) throw_errno("fork", "the tar writer");
    if (writer == 0) {
      pipe.read.reset();
      try {
        storage::write_tar_contents(root, pipe.write.get());
        ::_exit(0);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "Error: %s\n", e.what());
        ::_exit(1);
      }
    }
    pipe.write.reset();
    std::exception_ptr failed;
    try {
      storage::extract_tar(pipe.read.get(), dest);
    } catch (...) {
      failed = std::current_exception();
    }
    pipe.read.reset();
    int status = 0;
    while (::waitpid(writer, &status, 0) < 0 && errno == EINTR) {
    }
    if (failed) std::rethrow_exception(failed);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw Error("writing the image's files failed");
  });
}

void export_oci(const builder::BuildEnvironment& env, const builder::BuildResult& result, const std::string& dest) {
  auto source = storage::open_store_source(*env.store, result.image_id);
  TransportContext context;
  context.store = env.store;
  context.rootless = env.rootless;
  auto destination = open_image_destination(core::transport::parse_transport_reference("oci-archive:" + dest), context);
  core::transport::CopyOptions options;
  options.platform = core::oci::host_platform();
  core::transport::copy_image(*source, *destination, options);
  destination->commit();
}

}  // namespace

void export_output(const builder::BuildEnvironment& env, const builder::BuildResult& result, const OutputSpec& output) {
  with_context("--output " + output.type + " to " + quote(output.dest), [&] {
    if (output.type == "tar") return export_tar(env, result, output.dest);
    if (output.type == "local") return export_local(env, result, output.dest);
    export_oci(env, result, output.dest);
  });
}

}  // namespace pod::tools
