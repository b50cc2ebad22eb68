#include "libcore/transport/tarball_source.hpp"

#include <nlohmann/json.hpp>

#include "libcore/compression/decompress.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/transport/blob_streams.hpp"
#include "libcore/transport/layout_common.hpp"

namespace pod::core::transport {
namespace {

namespace mt = oci::media_type;

class TarballSource final : public ImageSource {
 public:
  TarballSource(std::string path, const std::string& config_json, std::string name)
      : path_(std::move(path)), name_(std::move(name)) {
    // One pass: the file's digest and size, and under the decompression its diff ID.
    auto file = open_file_reader(path_, "tarball " + quote(path_));
    HashingReader blob(*file);
    DecompressingReader plain(blob);
    HashingReader tar(plain);
    const Digest diff_id = tar.drain_and_finish();
    const Compression compression = plain.compression();
    const Digest blob_digest = blob.drain_and_finish();

    auto config = nlohmann::json::parse(config_json, nullptr, false);
    if (!config.is_object()) throw Error("import: the image config is not a JSON object", ErrorKind::invalid_input);
    config["rootfs"] = {{"type", "layers"}, {"diff_ids", {diff_id.str()}}};
    config_ = config.dump();

    oci::Manifest m;
    m.config = descriptor(mt::kOciConfig, digest_of(config_), static_cast<std::int64_t>(config_.size()));
    const std::string_view layer_type = compression == Compression::gzip   ? mt::kOciLayerGzip
                                        : compression == Compression::zstd ? mt::kOciLayerZstd
                                                                           : mt::kOciLayer;
    m.layers.push_back(descriptor(layer_type, blob_digest, static_cast<std::int64_t>(blob.bytes_read())));
    manifest_ = manifest_blob(oci::serialize(m), mt::kOciManifest);
    config_digest_ = m.config.digest;
  }

  std::string name() const override { return name_; }
  ManifestBlob manifest() override { return manifest_; }
  ManifestBlob instance(const Digest& digest) override {
    throw Error(name_ + ": no manifest " + digest.str(), ErrorKind::not_found);
  }
  std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) override {
    if (blob.digest == config_digest_) return reader_of_bytes(config_);
    return open_file_reader(path_, "tarball " + quote(path_));
  }

 private:
  std::string path_;
  std::string name_;
  std::string config_;
  Digest config_digest_;
  ManifestBlob manifest_;
};

}  // namespace

std::unique_ptr<ImageSource> open_tarball_source(const std::string& path, const std::string& config_json, std::string name) {
  return std::make_unique<TarballSource>(path, config_json, std::move(name));
}

}  // namespace pod::core::transport
