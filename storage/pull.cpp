#include "storage/pull.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "libcore/oci/image_config.hpp"
#include "libcore/oci/manifest.hpp"
#include "libcore/registry/registry_client.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/log.hpp"
#include "storage/blob_store.hpp"
#include "storage/layer/apply.hpp"
#include "storage/layer_store.hpp"
#include "storage/layer_unpack.hpp"

namespace pod::storage {
namespace {

namespace oci = core::oci;

struct Resolved {
  core::registry::ManifestResult manifest_bytes;
  oci::Manifest manifest;
};

Resolved read_manifest(core::registry::RegistryClient& client, const core::Reference& ref, const oci::Platform& platform) {
  auto top = client.get_manifest(ref.path(), ref.manifest_reference());
  if (oci::is_index(oci::classify_manifest(top.bytes, top.media_type))) {
    const auto index = oci::parse_index(top.bytes, top.media_type);
    const auto& chosen = oci::choose_manifest(index, platform);
    log::debug("pull: " + ref.str() + " is an index; " + oci::to_string(platform) + " → " + chosen.digest.str());
    top = client.get_manifest(ref.path(), chosen.digest.str());
  }
  auto manifest = oci::parse_manifest(top.bytes, top.media_type);
  return Resolved{std::move(top), std::move(manifest)};
}

std::string read_config(core::registry::RegistryClient& client, const core::Reference& ref, const oci::Descriptor& d) {
  if (d.size > static_cast<std::int64_t>(core::kConfigLimit)) {
    throw Error("config " + d.digest.str() + " is " + std::to_string(d.size) + " bytes, over the 4 MiB limit",
                ErrorKind::invalid_input);
  }
  std::string bytes;
  client.get_blob(ref.path(), d.digest, 0, [&](const char* data, std::size_t n) {
    if (bytes.size() + n > static_cast<std::size_t>(d.size)) throw Error("config larger than its descriptor says", ErrorKind::digest_mismatch);
    bytes.append(data, n);
  });
  const auto actual = core::digest_of(bytes);
  if (actual != d.digest) {
    throw Error("config: digest mismatch: expected " + d.digest.str() + ", got " + actual.str(), ErrorKind::digest_mismatch);
  }
  return bytes;
}

class LayerPuller {
 public:
  LayerPuller(const Store& store, core::registry::RegistryClient& client, const core::Reference& ref, const PullOptions& o)
      : blobs_(store), layers_(store), client_(client), ref_(ref), options_(o) {}

  // Runs every job, largest first, on up to parallel_layers threads; the first failure wins.
  std::vector<LayerLease> run(std::vector<LayerJob> jobs) {
    std::vector<std::size_t> order(jobs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return jobs[a].blob.size > jobs[b].blob.size; });
    std::vector<std::optional<LayerLease>> leases(jobs.size());
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      for (std::size_t k; !failed_ && (k = next++) < order.size();) {
        try {
          leases[order[k]] = pull_one(jobs[order[k]]);
        } catch (...) {
          std::lock_guard lock(mutex_);
          if (!failure_) failure_ = std::current_exception();
          failed_ = true;
        }
      }
    };
    const std::size_t n = std::min<std::size_t>(std::max(1, options_.parallel_layers), order.size());
    {
      std::vector<std::jthread> threads;
      for (std::size_t i = 0; i + 1 < n; ++i) threads.emplace_back(worker);
      worker();
    }
    if (failure_) std::rethrow_exception(failure_);
    std::vector<LayerLease> out;
    for (auto& l : leases) out.push_back(std::move(*l));
    return out;
  }

 private:
  LayerLease pull_one(const LayerJob& job) {
    auto* observer = options_.observer;
    const auto& d = job.blob.digest;
    const bool present = layers_.get(job.record.id).has_value();
    if (observer) observer->blob_started(d, job.blob.size, present);
    const std::string context = "layer " + d.str();
    LayerLease lease = with_context(context, [&] {
      return layers_.create(job.record, [&](int dir_fd) {
        const std::string path = blobs_.fetch(
            d, job.blob.size,
            [&](std::uint64_t offset, const auto& sink) { client_.get_blob(ref_.path(), d, offset, sink); },
            [&](std::uint64_t done) {
              if (observer) observer->blob_progress(d, done, job.blob.size);
            });
        return unpack_blob(path, dir_fd, apply_options_for(d, options_.rootless));
      });
    });
    if (observer) observer->blob_done(d);
    return lease;
  }

  BlobStore blobs_;
  LayerStore layers_;
  core::registry::RegistryClient& client_;
  const core::Reference& ref_;
  const PullOptions& options_;
  std::mutex mutex_;
  std::exception_ptr failure_;
  std::atomic<bool> failed_{false};
};

}  // namespace

ImageRecord pull_image(const Store& store, core::registry::RegistryClient& client, const core::Reference& ref,
                       const PullOptions& options) {
  return with_context("pulling " + quote(ref.str()), [&] {
    const Resolved resolved = read_manifest(client, ref, options.platform);
    if (options.observer) options.observer->manifest_read(resolved.manifest_bytes.digest);
    const std::string config_bytes = read_config(client, ref, resolved.manifest.config);
    const auto config = oci::parse_image_config(config_bytes);
    auto jobs = plan_layers(resolved.manifest, config);
    const std::vector<LayerLease> leases = LayerPuller(store, client, ref, options).run(jobs);
    if (options.observer) options.observer->config_read(resolved.manifest.config.digest);
    ImageToRecord image;
    image.manifest_bytes = resolved.manifest_bytes.bytes;
    image.manifest_digest = resolved.manifest_bytes.digest;
    image.kind = resolved.manifest.kind;
    image.config_bytes = config_bytes;
    image.config = config;
    image.layers = std::move(jobs);
    const core::Reference& name = options.record_as ? *options.record_as : ref;
    if (name.tag()) image.names.push_back(name.repository() + ":" + *name.tag());
    return record_image(store, image);
  });
}

}  // namespace pod::storage
