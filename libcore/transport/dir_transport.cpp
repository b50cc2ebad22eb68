#include "libcore/transport/dir_transport.hpp"

#include "libcore/sys/error.hpp"
#include "libcore/transport/file_sink.hpp"
#include "libcore/transport/file_tree.hpp"
#include "libcore/transport/layout_common.hpp"

namespace pod::core::transport {
namespace {

constexpr const char* kVersion = "Directory Transport Version: 1.1\n";

std::string instance_path(const Digest& digest) { return digest.hex() + ".manifest.json"; }

class DirSource final : public ImageSource {
 public:
  DirSource(const std::string& dir, std::string name) : tree_(open_directory_tree(dir)), name_(std::move(name)) {}
  std::string name() const override { return name_; }
  ManifestBlob manifest() override { return read_manifest_file(*tree_, "manifest.json", std::nullopt); }
  ManifestBlob instance(const Digest& digest) override { return read_manifest_file(*tree_, instance_path(digest), digest); }
  std::unique_ptr<Reader> open_blob(const oci::Descriptor& blob) override { return tree_->open(blob.digest.hex()); }

 private:
  std::unique_ptr<FileTree> tree_;
  std::string name_;
};

class DirDestination final : public ImageDestination {
 public:
  DirDestination(const std::string& dir, std::string name) : sink_(open_directory_sink(dir)), name_(std::move(name)) {}
  std::string name() const override { return name_; }
  bool has_blob(const oci::Descriptor& blob) override { return sink_->has(blob.digest.hex()); }
  void put_blob(const oci::Descriptor& blob, Reader& in) override { sink_->write(blob.digest.hex(), blob.size, in); }
  // The top manifest is written last, at commit: a dir without one is visibly incomplete.
  void put_manifest(const ManifestBlob& m, bool top) override {
    if (top) top_ = m.bytes;
    else sink_->write(instance_path(m.digest), m.bytes);
  }
  void commit() override {
    sink_->write("version", kVersion);
    sink_->write("manifest.json", top_);
    sink_->commit();
  }

 private:
  std::unique_ptr<FileSink> sink_;
  std::string name_;
  std::string top_;
};

}  // namespace

std::unique_ptr<ImageSource> open_dir_source(const std::string& dir, std::string name) {
  return std::make_unique<DirSource>(dir, std::move(name));
}

std::unique_ptr<ImageDestination> open_dir_destination(const std::string& dir, std::string name) {
  return std::make_unique<DirDestination>(dir, std::move(name));
}

}  // namespace pod::core::transport
