// pod-copy copy [flags] SOURCE DESTINATION
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"
#include "libcore/transport/copy.hpp"
#include "tools/common/copy_progress.hpp"
#include "tools/pod-copy/verbs.hpp"

namespace pod::tools {
namespace {

namespace transport = core::transport;

struct CopyFlags {
  std::string source;
  std::string destination;
  bool all = false;
  std::string multi_arch = "system";
  std::string format;
  std::string compress_format;
  bool preserve_digests = false;
  int retry_times = 0;
  std::string digestfile;
  bool quiet = false;
  RegistryFlags src;
  RegistryFlags dest;
};

void run_copy(const CopyFlags& f, const CopyGlobals& globals) {
  const auto src_ref = transport::parse_transport_reference(f.source);
  const auto dest_ref = transport::parse_transport_reference(f.destination);
  LazyStore store;
  const storage::Store* opened = store.open_if_needed({src_ref, dest_ref}, globals);
  TransportContext src_context{access_for(f.src, globals), opened, store.rootless()};
  TransportContext dest_context{access_for(f.dest, globals), opened, store.rootless()};

  transport::CopyOptions options;
  options.all = f.all || f.multi_arch == "all";
  options.platform = globals.platform();
  options.format = transport::parse_manifest_format(f.format);
  options.compression = transport::parse_compression_format(f.compress_format);
  options.preserve_digests = f.preserve_digests;
  options.retry_times = f.retry_times;
  CopyProgress progress(stdout, f.quiet);
  options.observer = &progress;

  auto source = open_image_source(src_ref, src_context);
  auto destination = open_image_destination(dest_ref, dest_context);
  progress.start();
  const auto result = transport::copy_image(*source, *destination, options);
  destination->commit();
  log::debug(fmt::format("copied {} blobs ({} bytes), {} present, {} mounted", result.blobs_copied,
                         result.bytes_copied, result.blobs_present, result.blobs_mounted));
  if (!f.digestfile.empty()) write_file_atomic(f.digestfile, result.manifest.digest.str());
}

}  // namespace

void add_copy_verb(CLI::App& app, CopyGlobals& globals) {
  auto flags = std::make_shared<CopyFlags>();
  auto* verb = app.add_subcommand("copy", "copy an image from one place to another (docker://, oci:, oci-archive:, docker-archive:, dir:, local:)");
  verb->add_option("source", flags->source, "source image, TRANSPORT:DETAILS")->required();
  verb->add_option("destination", flags->destination, "destination image, TRANSPORT:DETAILS")->required();
  verb->add_flag("-a,--all", flags->all, "copy every image of an index and the index itself");
  verb->add_option("--multi-arch", flags->multi_arch, "system (the host's platform) or all (as --all)")
      ->check(CLI::IsMember({"system", "all"}));
  verb->add_option("-f,--format", flags->format, "manifest format of the destination: oci or v2s2 (default: as the source)");
  verb->add_option("--dest-compress-format", flags->compress_format, "recompress layers as gzip or zstd");
  verb->add_flag("--preserve-digests", flags->preserve_digests, "fail rather than change any digest (format, compression)");
  verb->add_option("--retry-times", flags->retry_times, "extra attempts per blob after a transient failure")
      ->check(CLI::NonNegativeNumber);
  verb->add_option("--digestfile", flags->digestfile, "write the digest of the copied manifest to this file");
  verb->add_flag("-q,--quiet", flags->quiet, "print no progress");
  verb->add_option("--authfile", globals.shared.authfile, "authentication file for both sides");
  add_registry_flags(*verb, flags->src, "src-");
  add_registry_flags(*verb, flags->dest, "dest-");
  verb->callback([flags, &globals] { run_copy(*flags, globals); });
}

}  // namespace pod::tools
