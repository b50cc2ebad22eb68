#include "tools/pod-build/build_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <thread>

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

void export_local(const builder::BuildEnvironment& env, const builder::BuildResult& result, const std::string& dest) {
  make_dirs(dest, 0755);
  builder::with_image_files(env, result.layers, [&](const std::string& root) {
    Pipe pipe = make_pipe();
    std::exception_ptr failed;
    std::thread writer([&] {
      try {
        storage::write_tar_contents(root, pipe.write.get());
      } catch (...) {
        failed = std::current_exception();
      }
      pipe.write.reset();
    });
    try {
      storage::extract_tar(pipe.read.get(), dest);
    } catch (...) {
      pipe.read.reset();
      writer.join();
      throw;
    }
    writer.join();
    if (failed) std::rethrow_exception(failed);
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
