#include "libcore/transport/docker_archive.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>

#include "libcore/compression/decompress.hpp"
#include "libcore/oci/image_config.hpp"
#include "libcore/reference.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/transport/layout_common.hpp"

namespace pod::core::transport {
namespace {

namespace mt = oci::media_type;

// Compares tags as references, so "busybox" finds "docker.io/library/busybox:latest".
bool same_name(const std::string& a, const std::string& b) {
  if (a == b) return true;
  try {
    return Reference::parse(a).str() == Reference::parse(b).str();
  } catch (const Error&) {
    return false;
  }
}

std::string describe(const std::vector<ArchiveImage>& images) {
  std::string out;
  for (std::size_t i = 0; i < images.size(); ++i) {
    out += (i ? ", @" : "@") + std::to_string(i);
    for (const auto& t : images[i].repo_tags) out += " " + t;
  }
  return out;
}

const ArchiveImage& choose(const std::vector<ArchiveImage>& images, const std::string& tag, int index,
                           const std::string& name) {
  if (images.empty()) throw Error(name + ": the archive holds no image", ErrorKind::invalid_input);
  if (index >= 0) {
    if (static_cast<std::size_t>(index) >= images.size()) {
      throw Error(name + ": no image @" + std::to_string(index) + " (it holds " + describe(images) + ")", ErrorKind::not_found);
    }
    return images[static_cast<std::size_t>(index)];
  }
  if (!tag.empty()) {
    for (const auto& image : images) {
      for (const auto& t : image.repo_tags) {
        if (same_name(t, tag)) return image;
      }
    }
    throw Error(name + ": no image tagged " + quote(tag) + " (it holds " + describe(images) + ")", ErrorKind::not_found);
  }
  if (images.size() > 1) {
    throw Error(name + ": the archive holds " + std::to_string(images.size()) + " images (" + describe(images) +
                    "); name one as PATH:NAME:TAG or PATH:@N",
                ErrorKind::invalid_input);
  }
  return images.front();
}

Compression peek_compression(FileTree& tree, const std::string& path) {
  auto in = tree.open(path);
  DecompressingReader probe(*in);
  return probe.compression();
}

Digest hash_member(FileTree& tree, const std::string& path) {
  auto in = tree.open(path);
  HashingReader hashed(*in);
  return hashed.drain_and_finish();
}

std::string_view layer_type(Compression c) {
  switch (c) {
    case Compression::gzip: return mt::kOciLayerGzip;
    case Compression::zstd: return mt::kOciLayerZstd;
    case Compression::none: break;
  }
  return mt::kOciLayer;
}

class DockerArchiveSource final : public ImageSource {
 public:
  DockerArchiveSource(std::unique_ptr<FileTree> tree, const std::string& tag, int index, std::string name)
      : tree_(std::move(tree)), name_(std::move(name)) {
    with_context(name_, [&] { synthesize(choose(list_archive_images(*tree_), tag, index, name_)); });
  }

  std::string name() const override { return name_; }
  ManifestBlob manifest() override { return manifest_; }
  ManifestBlob instance(const Digest& digest) override {
    throw Error(name_ + ": no manifest " + digest.str() + " (an archive holds single images)", ErrorKind::not_found);
  }
  std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) override {
    const auto it = members_.find(blob.digest);
    if (it == members_.end()) throw Error(name_ + ": no blob " + blob.digest.str(), ErrorKind::not_found);
    return tree_->open(it->second);
  }

 private:
  void synthesize(const ArchiveImage& image) {
    const auto config_bytes = tree_->read_small(image.config, kConfigLimit);
    if (!config_bytes) throw Error("config " + tree_->where(image.config) + " is missing", ErrorKind::not_found);
    const auto config = oci::parse_image_config(*config_bytes);
    if (config.diff_ids.size() != image.layers.size()) {
      throw Error("manifest.json lists " + std::to_string(image.layers.size()) + " layers but the config has " +
                      std::to_string(config.diff_ids.size()) + " diff IDs",
                  ErrorKind::invalid_input);
    }
    oci::Manifest m;
    m.kind = oci::ManifestKind::oci_manifest;
    m.config = descriptor(mt::kOciConfig, digest_of(*config_bytes), static_cast<std::int64_t>(config_bytes->size()));
    members_[m.config.digest] = image.config;
    for (std::size_t i = 0; i < image.layers.size(); ++i) {
      const std::string& path = image.layers[i];
      const auto size = tree_->size(path);
      if (!size) throw Error("layer " + tree_->where(path) + " is missing", ErrorKind::not_found);
      const Compression c = peek_compression(*tree_, path);
      // A plain tar's digest is its diff ID (checked when copied); a compressed one is hashed.
      const Digest digest = c == Compression::none ? config.diff_ids[i] : hash_member(*tree_, path);
      m.layers.push_back(descriptor(layer_type(c), digest, *size));
      members_[digest] = path;
    }
    manifest_ = manifest_blob(oci::serialize(m), mt::kOciManifest);
  }

  std::unique_ptr<FileTree> tree_;
  std::string name_;
  ManifestBlob manifest_;
  std::map<Digest, std::string> members_;
};

bool is_config(std::string_view media_type) { return media_type == mt::kOciConfig || media_type == mt::kDockerConfig; }

class DockerArchiveDestination final : public ImageDestination {
 public:
  DockerArchiveDestination(std::unique_ptr<FileSink> sink, std::string tag, std::string name)
      : sink_(std::move(sink)), name_(std::move(name)) {
    if (!tag.empty()) pending_tags_.push_back(std::move(tag));
  }

  std::string name() const override { return name_; }
  bool wants_uncompressed_layers() const override { return true; }
  bool accepts_index() const override { return false; }
  bool has_blob(const oci::Descriptor& blob) override { return sink_->has(member(blob)); }
  void put_blob(const oci::Descriptor& blob, Reader& in) override { sink_->write(member(blob), blob.size, in); }

  void put_manifest(const ManifestBlob& m, bool top) override {
    if (!top) throw Error(name_ + ": an archive holds single images, not an index", ErrorKind::unsupported);
    const auto manifest = oci::parse_manifest(m.bytes, m.media_type);
    nlohmann::json entry{{"Config", member(manifest.config)}, {"RepoTags", nlohmann::json::array()}, {"Layers", nlohmann::json::array()}};
    std::lock_guard lock(mutex_);
    for (const auto& t : pending_tags_) entry["RepoTags"].push_back(t);
    pending_tags_.clear();
    for (const auto& layer : manifest.layers) entry["Layers"].push_back(member(layer));
    entries_.push_back(std::move(entry));
  }

  void name_next_image(const std::string& tag) override {
    std::lock_guard lock(mutex_);
    pending_tags_.push_back(tag);
  }

  void commit() override {
    std::lock_guard lock(mutex_);
    sink_->write("manifest.json", entries_.dump());
    sink_->commit();
  }

 private:
  static std::string member(const oci::Descriptor& blob) { return blob.digest.hex() + (is_config(blob.media_type) ? ".json" : ".tar"); }

  std::unique_ptr<FileSink> sink_;
  std::string name_;
  std::mutex mutex_;
  std::vector<std::string> pending_tags_;
  nlohmann::json entries_ = nlohmann::json::array();
};

std::vector<std::string> strings_of(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array()) throw Error(std::string("manifest.json: ") + key + " is not a list", ErrorKind::invalid_input);
  for (const auto& s : j[key]) {
    if (!s.is_string()) throw Error(std::string("manifest.json: ") + key + " holds a non-string", ErrorKind::invalid_input);
    out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

std::vector<ArchiveImage> list_archive_images(FileTree& tree) {
  const auto bytes = tree.read_small("manifest.json", kManifestLimit);
  if (!bytes) throw Error(tree.where("manifest.json") + " is missing: not a docker-archive", ErrorKind::invalid_input);
  const auto doc = nlohmann::json::parse(*bytes, nullptr, false);
  if (!doc.is_array()) throw Error(tree.where("manifest.json") + ": not a list of images", ErrorKind::invalid_input);
  std::vector<ArchiveImage> images;
  for (const auto& j : doc) {
    if (!j.is_object() || !j.contains("Config") || !j["Config"].is_string()) {
      throw Error(tree.where("manifest.json") + ": an entry without Config", ErrorKind::invalid_input);
    }
    images.push_back({j["Config"].get<std::string>(), strings_of(j, "RepoTags"), strings_of(j, "Layers")});
  }
  return images;
}

std::unique_ptr<ImageSource> open_docker_archive_source(std::unique_ptr<FileTree> tree, const std::string& tag, int index,
                                                        std::string name) {
  return std::make_unique<DockerArchiveSource>(std::move(tree), tag, index, std::move(name));
}

std::unique_ptr<ImageDestination> open_docker_archive_destination(std::unique_ptr<FileSink> sink, std::string tag,
                                                                  std::string name) {
  return std::make_unique<DockerArchiveDestination>(std::move(sink), std::move(tag), std::move(name));
}

}  // namespace pod::core::transport
