// pod push IMAGE [DESTINATION], pod save [-o FILE] [--format F] IMAGE..., pod load [-i FILE]:
// the copy engine between the local store and a registry or an archive.
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/copy.hpp"
#include "libcore/transport/docker_archive.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/oci_layout.hpp"
#include "storage/image_store.hpp"
#include "storage/store_transport.hpp"
#include "tools/common/copy_progress.hpp"
#include "tools/common/image_transports.hpp"
#include "tools/common/main.hpp"
#include "tools/common/registry_flags.hpp"
#include "tools/pod/store_access.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;
using transport::TransportKind;

// --- push ---

struct PushFlags {
  std::string image;
  std::string destination;
  std::string format;
  std::string compression;
  std::string digestfile;
  bool quiet = false;
  int retry = 3;
  RegistryFlags registry;
};

transport::TransportReference push_destination(const PushFlags& f, const std::string& image_name) {
  if (f.destination.empty()) return transport::parse_transport_reference("docker://" + image_name);
  try {
    return transport::parse_transport_reference(f.destination);
  } catch (const Error&) {
    return transport::parse_transport_reference("docker://" + f.destination);  // a plain registry name
  }
}

void run_push(const PushFlags& f, const GlobalOptions& global, RunState& state) {
  OpenedStore opened = open_store(global, state);
  const auto match = storage::ImageStore(opened.store).resolve(f.image);
  const std::string name = match.name.value_or(match.image.names.empty() ? f.image : match.image.names.front());
  const auto dest_ref = push_destination(f, name);
  const TransportContext context{registry_access(f.registry), &opened.store, opened.rootless};
  auto source = storage::open_store_source(opened.store, match.image.id);
  auto destination = open_image_destination(dest_ref, context);
  transport::CopyOptions options;
  options.format = transport::parse_manifest_format(f.format);
  options.compression = transport::parse_compression_format(f.compression);
  options.plain_layers_to = core::oci::Compression::gzip;  // registries get compressed layers, as with podman
  options.retry_times = f.retry;
  CopyProgress progress(stderr, f.quiet);
  options.observer = &progress;
  progress.start();
  const auto result = transport::copy_image(*source, *destination, options);
  destination->commit();
  if (!f.digestfile.empty()) write_file_atomic(f.digestfile, result.manifest.digest.str());
}

// --- save ---

struct SaveFlags {
  std::vector<std::string> images;
  std::string output;
  std::string format = "docker-archive";
  bool quiet = false;
  bool multi_image = false;
};

void run_save(const SaveFlags& f, const GlobalOptions& global, RunState& state) {
  if (f.output.empty() && ::isatty(STDOUT_FILENO)) {
    throw Error("refusing to write an archive to a terminal: use -o FILE or redirect stdout", ErrorKind::usage);
  }
  const bool dir_format = f.format == "oci-dir" || f.format == "docker-dir";
  if (dir_format && f.output.empty()) throw Error("--format " + f.format + " needs -o DIRECTORY", ErrorKind::usage);
  if (f.format == "docker-dir" && f.images.size() > 1) throw Error("docker-dir holds one image", ErrorKind::usage);
  OpenedStore opened = open_store(global, state);
  std::optional<TempDir> spool;
  std::string target = f.output;
  if (target.empty()) {
    spool.emplace(transport::default_spool_dir(), "pod-save");
    target = spool->path() + "/archive.tar";
  }
  const std::map<std::string, std::string> transports{
      {"docker-archive", "docker-archive:"}, {"oci-archive", "oci-archive:"}, {"oci-dir", "oci:"}, {"docker-dir", "dir:"}};
  const auto prefix = transports.find(f.format);
  if (prefix == transports.end()) throw Error("unknown format " + quote(f.format), ErrorKind::usage);
  const TransportContext context{{}, &opened.store, opened.rootless};
  auto destination = open_image_destination(transport::parse_transport_reference(prefix->second + target), context);
  transport::CopyOptions options;
  CopyProgress progress(stderr, f.quiet || f.output.empty());
  options.observer = &progress;
  for (const auto& text : f.images) {
    const auto match = storage::ImageStore(opened.store).resolve(text);
    if (const auto name = match.name ? match.name : (match.image.names.empty() ? std::nullopt : std::optional(match.image.names.front()))) {
      destination->name_next_image(f.format == "oci-archive" || f.format == "oci-dir" ? *name : full_image_name(*name));
    }
    auto source = storage::open_store_source(opened.store, match.image.id);
    transport::copy_image(*source, *destination, options);
  }
  destination->commit();
  if (f.output.empty()) {
    UniqueFd in(::open(target.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in) throw_errno("open", target);
    copy_fd(in.get(), STDOUT_FILENO, "the archive");
  }
}

// --- load ---

struct LoadFlags {
  std::string input;
  bool quiet = false;
};

// Every image an archive holds, as (source name, names to record).
std::vector<std::pair<std::string, std::vector<std::string>>> archive_contents(const std::string& path) {
  auto tree = transport::open_tar_tree(path);
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (tree->exists("index.json")) {
    const auto bytes = tree->read_small("index.json", core::kManifestLimit);
    const auto index = core::oci::parse_index(*bytes, core::oci::media_type::kOciIndex);
    for (std::size_t i = 0; i < index.manifests.size(); ++i) {
      const auto& annotations = index.manifests[i].annotations;
      const auto ref = annotations.find("org.opencontainers.image.ref.name");
      if (ref == annotations.end()) {
        if (index.manifests.size() > 1) throw Error(path + ": an image without a ref name among several", ErrorKind::invalid_input);
        out.push_back({"oci-archive:" + path, {}});
      } else {
        out.push_back({"oci-archive:" + path + ":" + ref->second,
                       {ref->second.find('/') != std::string::npos ? full_image_name(ref->second) : ""}});
      }
    }
    return out;
  }
  if (tree->exists("manifest.json")) {
    const auto images = transport::list_archive_images(*tree);
    for (std::size_t i = 0; i < images.size(); ++i) {
      std::vector<std::string> names;
      for (const auto& t : images[i].repo_tags) names.push_back(full_image_name(t));
      out.push_back({"docker-archive:" + path + "@" + std::to_string(i), names});
    }
    return out;
  }
  throw Error(path + " is neither an OCI archive (index.json) nor a docker-archive (manifest.json)", ErrorKind::invalid_input);
}

void run_load(const LoadFlags& f, const GlobalOptions& global, RunState& state) {
  if (f.input.empty() && ::isatty(STDIN_FILENO)) throw Error("load: use -i FILE or pipe an archive to stdin", ErrorKind::usage);
  OpenedStore opened = open_store(global, state);
  std::optional<TempDir> spool;
  std::string path = f.input;
  if (path.empty()) {  // the archive is read by seeking: stdin lands in a file first
    path = spool_stdin(spool, "pod-load");
  }
  const TransportContext context{{}, &opened.store, opened.rootless};
  transport::CopyOptions options;
  CopyProgress progress(stderr, f.quiet);
  options.observer = &progress;
  for (const auto& [source_name, names] : archive_contents(path)) {
    auto source = open_image_source(transport::parse_transport_reference(source_name), context);
    std::vector<std::string> recorded;
    for (const auto& n : names) {
      if (!n.empty()) recorded.push_back(n);
    }
    std::string id;
    auto destination = storage::open_store_destination(opened.store, recorded, opened.rootless,
                                                       [&](const std::string& image_id) { id = image_id; });
    transport::copy_image(*source, *destination, options);
    destination->commit();
    if (recorded.empty()) fmt::print("Loaded image: {}\n", id);
    for (const auto& n : recorded) fmt::print("Loaded image: {}\n", n);
  }
}

}  // namespace

void add_image_transfer_verbs(CLI::App& app, const GlobalOptions& global, RunState& state) {
  auto push = std::make_shared<PushFlags>();
  auto* verb = app.add_subcommand("push", "push an image from local storage to a registry or another transport");
  verb->add_option("image", push->image, "image name or id in local storage")->required();
  verb->add_option("destination", push->destination, "registry name, or TRANSPORT:DETAILS (default: the image's name)");
  verb->add_option("-f,--format", push->format, "manifest format: oci or v2s2 (default: as stored)");
  verb->add_option("--compression-format", push->compression, "recompress layers as gzip or zstd");
  verb->add_option("--digestfile", push->digestfile, "write the pushed manifest's digest to this file");
  verb->add_option("--retry", push->retry, "extra attempts per blob after a transient failure")->check(CLI::NonNegativeNumber);
  verb->add_flag("-q,--quiet", push->quiet, "print no progress");
  add_registry_flags(*verb, push->registry);
  verb->callback([push, &global, &state] { run_push(*push, global, state); });

  auto save = std::make_shared<SaveFlags>();
  verb = app.add_subcommand("save", "write images from local storage to an archive or layout");
  verb->add_option("images", save->images, "image names or ids")->required();
  verb->add_option("-o,--output", save->output, "file or directory to write (default: stdout)");
  verb->add_option("--format", save->format, "docker-archive (default), oci-archive, oci-dir or docker-dir")
      ->check(CLI::IsMember({"docker-archive", "oci-archive", "oci-dir", "docker-dir"}));
  verb->add_flag("-m,--multi-image-archive", save->multi_image, "accepted: several images always go into one archive");
  verb->add_flag("-q,--quiet", save->quiet, "print no progress");
  verb->callback([save, &global, &state] { run_save(*save, global, state); });

  auto load = std::make_shared<LoadFlags>();
  verb = app.add_subcommand("load", "load images from a docker-archive or oci-archive into local storage");
  verb->add_option("-i,--input", load->input, "archive to read (default: stdin)");
  verb->add_flag("-q,--quiet", load->quiet, "print no progress");
  verb->callback([load, &global, &state] { run_load(*load, global, state); });
}

}  // namespace pod::tools
