#include "libcore/transport/registry_transport.hpp"

#include <thread>

#include "libcore/sys/error.hpp"
#include "libcore/transport/blob_streams.hpp"

namespace pod::core::transport {
namespace {

ManifestBlob from_result(registry::ManifestResult r) { return manifest_blob(std::move(r.bytes), r.media_type); }

class RegistrySource final : public ImageSource {
 public:
  RegistrySource(std::shared_ptr<registry::RegistryClient> client, Reference ref) : client_(std::move(client)), ref_(std::move(ref)) {}
  std::string name() const override { return "docker://" + ref_.str(); }
  ManifestBlob manifest() override { return from_result(client_->get_manifest(ref_.path(), ref_.manifest_reference())); }
  ManifestBlob instance(const Digest& digest) override { return from_result(client_->get_manifest(ref_.path(), digest.str())); }
  std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) override {
    return reader_from_producer([client = client_, path = ref_.path(), digest = blob.digest](const ByteSink& sink) {
      client->get_blob(path, digest, 0, sink);
    });
  }
  std::optional<RegistryLocation> registry_location() const override { return RegistryLocation{client_->host(), ref_.path()}; }

 private:
  std::shared_ptr<registry::RegistryClient> client_;
  Reference ref_;
};

class RegistryDestination final : public ImageDestination {
 public:
  // The destination is first asked something only after the source's manifest was read:
  // meanwhile it finds its scheme and auth on a thread of its own.
  RegistryDestination(std::shared_ptr<registry::RegistryClient> client, Reference ref)
      : client_(std::move(client)), ref_(std::move(ref)), warm_up_([c = client_] { c->warm_up(); }) {}
  std::string name() const override { return "docker://" + ref_.str(); }
  bool has_blob(const oci::Descriptor& blob) override { return client_->blob_size(ref_.path(), blob.digest).has_value(); }
  bool mount_blob(const oci::Descriptor& blob, const RegistryLocation& from) override {
    if (from.host != client_->host() || from.repository == ref_.path()) return false;
    return client_->mount_blob(ref_.path(), blob.digest, from.repository);
  }
  void put_blob(const oci::Descriptor& blob, Reader& in) override { client_->put_blob(ref_.path(), blob.digest, blob.size, in); }
  void put_manifest(const ManifestBlob& m, bool top) override {
    if (top && ref_.digest() && *ref_.digest() != m.digest) {
      throw Error(name() + ": the copied manifest is " + m.digest.str() + ", not the digest the destination names",
                  ErrorKind::digest_mismatch);
    }
    const std::string reference = top ? ref_.manifest_reference() : m.digest.str();
    client_->put_manifest(ref_.path(), reference, m.bytes, m.media_type);
  }
  void commit() override {}

 private:
  std::shared_ptr<registry::RegistryClient> client_;
  Reference ref_;
  std::jthread warm_up_;
};

}  // namespace

std::unique_ptr<ImageSource> open_registry_source(std::shared_ptr<registry::RegistryClient> client, Reference ref) {
  return std::make_unique<RegistrySource>(std::move(client), std::move(ref));
}

std::unique_ptr<ImageDestination> open_registry_destination(std::shared_ptr<registry::RegistryClient> client, Reference ref) {
  return std::make_unique<RegistryDestination>(std::move(client), std::move(ref));
}

}  // namespace pod::core::transport
