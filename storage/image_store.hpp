// Image records: images/<id>/ with image.json (names, layers, manifest digest), the manifest
// and the config as pulled. id = hex of the config digest, as Podman and Docker. A name
// ("docker.io/library/busybox:latest") belongs to one image at a time: recording or tagging
// moves it. Every change happens under the store's exclusive lock and lands atomically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libcore/digest.hpp"
#include "libcore/sys/clock.hpp"
#include "storage/store.hpp"

namespace pod::storage {

struct ImageRecord {
  std::string id;
  core::Digest manifest_digest;      // of the manifest stored with the image
  std::vector<std::string> digests;  // every manifest digest this image was pulled by
  std::string manifest_media_type;
  std::vector<std::string> names;
  std::vector<std::string> layers;  // chain IDs, bottom first
  std::string created;              // from the config
  std::string recorded;             // when this store got it (RFC 3339, UTC)
  std::uint64_t size = 0;           // unpacked bytes of all layers
};

class ImageStore {
 public:
  explicit ImageStore(const Store& store) : store_(store) {}

  std::optional<ImageRecord> get(const std::string& id) const;
  std::vector<ImageRecord> list() const;
  std::string manifest(const std::string& id) const;
  std::string config(const std::string& id) const;

  // Finds an image by full id, unique id prefix, or name (as given, normalized, or a unique
  // match of its repository path and tag). Throws Error(not_found) naming `text`.
  struct Match {
    ImageRecord image;
    std::optional<std::string> name;  // the name `text` meant; empty when it was an id
  };
  Match resolve(const std::string& text) const;
  std::optional<Match> try_resolve(const std::string& text) const;

  // Records an image, or adds `record.names` to the existing one with the same id; the
  // names leave any other image.
  ImageRecord commit(const ImageRecord& record, std::string_view manifest, std::string_view config);

  void add_name(const std::string& id, const std::string& name);
  // Removes a name; false when no image had it.
  bool remove_name(const std::string& name);
  // Deletes the record; returns the chain IDs no remaining image uses.
  std::vector<std::string> remove(const std::string& id);

 private:
  std::string dir(const std::string& id) const { return store_.images_dir() + "/" + id; }
  void write_record(const ImageRecord& record) const;
  void take_names(const std::vector<std::string>& names, const std::string& new_owner);
  const Store& store_;
};

using pod::now_rfc3339;  // libcore/sys/clock.hpp

}  // namespace pod::storage
