#include "storage/store_transport.hpp"

#include <mutex>

#include "libcore/oci/image_config.hpp"
#include "libcore/reference.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/transport/blob_streams.hpp"
#include "libcore/transport/layout_common.hpp"
#include "storage/blob_store.hpp"
#include "storage/image_store.hpp"
#include "storage/layer_unpack.hpp"

namespace pod::storage {
namespace {

namespace oci = core::oci;
namespace transport = core::transport;

class StoreSource final : public transport::ImageSource {
 public:
  StoreSource(const Store& store, const std::string& text) : store_(store), image_(ImageStore(store).resolve(text).image) {
    name_ = "local:" + text;
  }

  std::string name() const override { return name_; }
  transport::ManifestBlob manifest() override {
    return transport::manifest_blob(ImageStore(store_).manifest(image_.id), image_.manifest_media_type);
  }
  transport::ManifestBlob instance(const core::Digest& digest) override {
    throw Error(name_ + ": no manifest " + digest.str() + " (the store keeps one platform per image)", ErrorKind::not_found);
  }
  std::unique_ptr<core::Reader> open_blob(const oci::Descriptor& blob) override {
    if (blob.digest.hex() == image_.id) return transport::reader_of_bytes(ImageStore(store_).config(image_.id));
    const auto path = BlobStore(store_).path_of(blob.digest);
    if (!path) {
      throw Error(name_ + ": blob " + blob.digest.str() + " is not kept in the store (pull the image again)",
                  ErrorKind::not_found);
    }
    return transport::open_file_reader(*path, "blob " + blob.digest.str());
  }
  // Where the image came from, when it has a registry name: pushing there can mount blobs.
  std::optional<transport::RegistryLocation> registry_location() const override {
    for (const auto& name : image_.names) {
      try {
        const auto ref = core::Reference::parse(name);
        return transport::RegistryLocation{ref.domain(), ref.path()};
      } catch (const Error&) {
      }
    }
    return std::nullopt;
  }

 private:
  const Store& store_;
  ImageRecord image_;
  std::string name_;
};

class StoreDestination final : public transport::ImageDestination {
 public:
  StoreDestination(const Store& store, std::vector<std::string> names, bool rootless,
                   std::function<void(const std::string&)> on_recorded)
      : store_(store), names_(std::move(names)), rootless_(rootless), on_recorded_(std::move(on_recorded)) {}

  std::string name() const override { return names_.empty() ? "local:" : "local:" + names_.front(); }
  bool accepts_index() const override { return false; }
  bool has_blob(const oci::Descriptor& blob) override { return BlobStore(store_).path_of(blob.digest).has_value(); }

  void put_blob(const oci::Descriptor& blob, core::Reader& in) override {
    BlobStore(store_).fetch(blob.digest, blob.size, [&](std::uint64_t offset, const auto& sink) {
      // A partial file left by an earlier attempt: its bytes come again and are skipped.
      std::vector<char> buffer(1u << 20);
      std::uint64_t position = 0;
      for (std::size_t n; (n = in.read(buffer.data(), buffer.size())) > 0; position += n) {
        if (position + n <= offset) continue;
        const std::size_t skip = position < offset ? static_cast<std::size_t>(offset - position) : 0;
        sink(buffer.data() + skip, n - skip);
      }
    });
  }

  void put_manifest(const transport::ManifestBlob& m, bool top) override {
    if (!top || oci::is_index(oci::classify_manifest(m.bytes, m.media_type))) {
      throw Error("the local store keeps one platform per image: copy without --all", ErrorKind::unsupported);
    }
    ImageToRecord image;
    const auto manifest = oci::parse_manifest(m.bytes, m.media_type);
    const auto config_path = BlobStore(store_).path_of(manifest.config.digest);
    if (!config_path) throw Error("config " + manifest.config.digest.str() + " was not stored", ErrorKind::not_found);
    image.config_bytes = read_file(*config_path, core::kConfigLimit);
    image.config = oci::parse_image_config(image.config_bytes);
    image.manifest_bytes = m.bytes;
    image.manifest_digest = m.digest;
    image.kind = manifest.kind;
    image.layers = plan_layers(manifest, image.config);
    unpack(image.layers);
    std::lock_guard lock(mutex_);
    image.names = std::move(names_);
    names_.clear();
    pending_.push_back(std::move(image));
  }

  void name_next_image(const std::string& name) override {
    std::lock_guard lock(mutex_);
    names_.push_back(name);
  }

  void commit() override {
    std::lock_guard lock(mutex_);
    for (const auto& image : pending_) {
      const ImageRecord record = record_image(store_, image);
      if (on_recorded_) on_recorded_(record.id);
    }
    pending_.clear();
    leases_.clear();
  }

 private:
  void unpack(const std::vector<LayerJob>& jobs) {
    LayerStore layers(store_);
    for (const auto& job : jobs) {
      const std::string blob_path = *BlobStore(store_).path_of(job.blob.digest);
      auto lease = with_context("layer " + job.blob.digest.str(), [&] {
        return layers.create(job.record, [&](int dir_fd) {
          return unpack_blob(blob_path, dir_fd, apply_options_for(job.blob.digest, rootless_));
        });
      });
      std::lock_guard lock(mutex_);
      leases_.push_back(std::move(lease));
    }
  }

  const Store& store_;
  std::vector<std::string> names_;
  bool rootless_;
  std::function<void(const std::string&)> on_recorded_;
  std::mutex mutex_;
  std::vector<ImageToRecord> pending_;
  std::vector<LayerLease> leases_;
};

}  // namespace

std::unique_ptr<core::transport::ImageSource> open_store_source(const Store& store, const std::string& text) {
  return std::make_unique<StoreSource>(store, text);
}

std::unique_ptr<core::transport::ImageDestination> open_store_destination(const Store& store, std::vector<std::string> names,
                                                                          bool rootless,
                                                                          std::function<void(const std::string&)> on_recorded) {
  return std::make_unique<StoreDestination>(store, std::move(names), rootless, std::move(on_recorded));
}

}  // namespace pod::storage
