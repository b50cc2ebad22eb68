#include "libcore/transport/oci_layout.hpp"

#include <mutex>
#include <vector>

#include "libcore/sys/error.hpp"
#include "libcore/transport/layout_common.hpp"

namespace pod::core::transport {
namespace {

constexpr const char* kLayoutFile = "{\"imageLayoutVersion\":\"1.0.0\"}";

oci::Index read_index(FileTree& tree) {
  const auto bytes = tree.read_small("index.json", kManifestLimit);
  if (!bytes) throw Error(tree.where("index.json") + " is missing: not an OCI image layout", ErrorKind::not_found);
  return with_context(tree.where("index.json"), [&] { return oci::parse_index(*bytes, oci::media_type::kOciIndex); });
}

std::string ref_of(const oci::Descriptor& d) {
  const auto it = d.annotations.find(kRefNameAnnotation);
  return it == d.annotations.end() ? std::string() : it->second;
}

std::string list_refs(const oci::Index& index) {
  std::string out;
  for (const auto& d : index.manifests) {
    const std::string ref = ref_of(d);
    out += (out.empty() ? "" : ", ") + (ref.empty() ? d.digest.str() : ref);
  }
  return out.empty() ? "none" : out;
}

class OciSource final : public ImageSource {
 public:
  OciSource(std::unique_ptr<FileTree> tree, std::string ref, std::string name)
      : tree_(std::move(tree)), name_(std::move(name)) {
    const oci::Index index = read_index(*tree_);
    std::vector<const oci::Descriptor*> matches;
    for (const auto& d : index.manifests) {
      if (ref.empty() || ref_of(d) == ref) matches.push_back(&d);
    }
    if (matches.empty()) {
      throw Error(name_ + ": no image " + (ref.empty() ? std::string("in the layout") : "named " + quote(ref)) +
                      " (it holds: " + list_refs(index) + ")",
                  ErrorKind::not_found);
    }
    if (matches.size() > 1) {
      throw Error(name_ + ": the layout holds " + std::to_string(matches.size()) + " images (" + list_refs(index) +
                      "); name one as PATH:REF",
                  ErrorKind::invalid_input);
    }
    top_ = *matches.front();
  }

  std::string name() const override { return name_; }
  ManifestBlob manifest() override { return read_manifest_file(*tree_, oci_blob_path(top_.digest), top_.digest, top_.media_type); }
  ManifestBlob instance(const Digest& digest) override { return read_manifest_file(*tree_, oci_blob_path(digest), digest); }
  std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) override {
    try {
      return tree_->open(oci_blob_path(blob.digest));
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      throw Error(name_ + ": blob " + blob.digest.str() + " is missing (" + tree_->where(oci_blob_path(blob.digest)) + ")",
                  ErrorKind::not_found);
    }
  }

 private:
  std::unique_ptr<FileTree> tree_;
  std::string name_;
  oci::Descriptor top_;
};

class OciDestination final : public ImageDestination {
 public:
  OciDestination(std::unique_ptr<FileSink> sink, std::unique_ptr<FileTree> existing, std::string ref, std::string name)
      : sink_(std::move(sink)), next_ref_(std::move(ref)), name_(std::move(name)) {
    if (existing && existing->exists("index.json")) index_ = read_index(*existing);
    index_.kind = oci::ManifestKind::oci_index;
  }

  std::string name() const override { return name_; }
  bool has_blob(const oci::Descriptor& blob) override { return sink_->has(oci_blob_path(blob.digest)); }
  void put_blob(const oci::Descriptor& blob, Reader& in) override { sink_->write(oci_blob_path(blob.digest), blob.size, in); }

  void put_manifest(const ManifestBlob& m, bool top) override {
    if (!sink_->has(oci_blob_path(m.digest))) sink_->write(oci_blob_path(m.digest), m.bytes);
    if (!top) return;
    oci::Descriptor d;
    d.media_type = m.media_type;
    d.digest = m.digest;
    d.size = static_cast<std::int64_t>(m.bytes.size());
    std::lock_guard lock(mutex_);
    if (!next_ref_.empty()) {
      d.annotations[kRefNameAnnotation] = next_ref_;
      std::erase_if(index_.manifests, [&](const oci::Descriptor& old) { return ref_of(old) == next_ref_; });
    } else {
      std::erase_if(index_.manifests, [&](const oci::Descriptor& old) { return old.digest == d.digest && ref_of(old).empty(); });
    }
    index_.manifests.push_back(d);
  }

  void name_next_image(const std::string& ref) override {
    std::lock_guard lock(mutex_);
    next_ref_ = ref;
  }

  void commit() override {
    std::lock_guard lock(mutex_);
    if (!sink_->has("oci-layout")) sink_->write("oci-layout", kLayoutFile);
    sink_->write("index.json", oci::serialize(index_));
    sink_->commit();
  }

 private:
  std::unique_ptr<FileSink> sink_;
  std::string next_ref_;
  std::string name_;
  std::mutex mutex_;
  oci::Index index_;
};

}  // namespace

std::unique_ptr<ImageSource> open_oci_source(std::unique_ptr<FileTree> tree, std::string ref, std::string name) {
  return std::make_unique<OciSource>(std::move(tree), std::move(ref), std::move(name));
}

std::unique_ptr<ImageDestination> open_oci_destination(std::unique_ptr<FileSink> sink, std::unique_ptr<FileTree> existing,
                                                       std::string ref, std::string name) {
  return std::make_unique<OciDestination>(std::move(sink), std::move(existing), std::move(ref), std::move(name));
}

}  // namespace pod::core::transport
