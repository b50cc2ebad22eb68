#include "tools/common/image_transports.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcore/reference.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/transport/copy.hpp"
#include "libcore/transport/dir_transport.hpp"
#include "libcore/transport/docker_archive.hpp"
#include "libcore/transport/file_sink.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/oci_layout.hpp"
#include "libcore/transport/registry_transport.hpp"
#include "storage/store_transport.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;
using transport::TransportKind;

core::Reference registry_reference(const transport::TransportReference& ref) {
  std::string_view text = ref.path;
  if (text.substr(0, 2) == "//") text.remove_prefix(2);
  return core::Reference::parse(text);
}

const storage::Store& store_of(const TransportContext& context) {
  if (!context.store) throw Error("the local store is not available here", ErrorKind::unsupported);
  return *context.store;
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string spool_stdin(std::optional<TempDir>& holder, const std::string& prefix) {
  holder.emplace(transport::default_spool_dir(), prefix);
  const std::string path = holder->path() + "/stdin";
  UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!out) throw_errno("create", path);
  copy_fd(STDIN_FILENO, out.get(), "stdin");
  return path;
}

std::string full_image_name(const std::string& text) {
  try {
    const auto ref = core::Reference::parse(text);
    return ref.repository() + ":" + ref.tag().value_or(std::string(core::kDefaultTag));
  } catch (const Error&) {
    return text;
  }
}

std::unique_ptr<transport::ImageSource> open_image_source(const transport::TransportReference& ref,
                                                          const TransportContext& context) {
  switch (ref.kind) {
    case TransportKind::docker: {
      const auto name = registry_reference(ref);
      return transport::open_registry_source(storage::registry_client_for(name, context.registry), name);
    }
    case TransportKind::oci: return transport::open_oci_source(transport::open_directory_tree(ref.path), ref.ref, ref.text);
    case TransportKind::oci_archive:
      return transport::open_oci_source(transport::open_tar_tree(ref.path), ref.ref, ref.text);
    case TransportKind::docker_archive:
      return transport::open_docker_archive_source(transport::open_tar_tree(ref.path), ref.ref, ref.index.value_or(-1),
                                                   ref.text);
    case TransportKind::dir: return transport::open_dir_source(ref.path, ref.text);
    case TransportKind::local: return storage::open_store_source(store_of(context), ref.path);
  }
  throw Error("unknown transport", ErrorKind::invalid_input);
}

std::unique_ptr<transport::ImageDestination> open_image_destination(const transport::TransportReference& ref,
                                                                    const TransportContext& context) {
  switch (ref.kind) {
    case TransportKind::docker: {
      const auto name = registry_reference(ref);
      return transport::open_registry_destination(storage::registry_client_for(name, context.registry), name);
    }
    case TransportKind::oci:
      return transport::open_oci_destination(transport::open_directory_sink(ref.path),
                                             is_directory(ref.path) ? transport::open_directory_tree(ref.path) : nullptr,
                                             ref.ref, ref.text);
    case TransportKind::oci_archive:
      return transport::open_oci_destination(transport::open_tar_sink(ref.path), nullptr, ref.ref, ref.text);
    case TransportKind::docker_archive:
      return transport::open_docker_archive_destination(transport::open_tar_sink(ref.path),
                                                        ref.ref.empty() ? "" : full_image_name(ref.ref), ref.text);
    case TransportKind::dir: return transport::open_dir_destination(ref.path, ref.text);
    case TransportKind::local:
      return storage::open_store_destination(store_of(context), {full_image_name(ref.path)}, context.rootless);
  }
  throw Error("unknown transport", ErrorKind::invalid_input);
}

}  // namespace pod::tools
