#include "storage/image_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "libcore/json_read.hpp"
#include "libcore/reference.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/clock.hpp"
#include "libcore/sys/files.hpp"

namespace pod::storage {
namespace {

std::string to_json(const ImageRecord& r) {
  return nlohmann::json{{"id", r.id},
                        {"manifest_digest", r.manifest_digest.str()},
                        {"digests", r.digests},
                        {"manifest_media_type", r.manifest_media_type},
                        {"names", r.names},
                        {"layers", r.layers},
                        {"created", r.created},
                        {"recorded", r.recorded},
                        {"size", r.size}}
      .dump(2);
}

ImageRecord from_json(const std::string& text) {
  const auto doc = core::parse_json_document(text);
  const core::JsonObject o(doc, "");
  ImageRecord r;
  r.id = o.string("id");
  r.manifest_digest = core::Digest::parse(o.string("manifest_digest"));
  r.digests = o.optional_strings("digests").value_or(std::vector<std::string>{});
  r.manifest_media_type = o.optional_string("manifest_media_type").value_or("");
  r.names = o.optional_strings("names").value_or(std::vector<std::string>{});
  r.layers = o.optional_strings("layers").value_or(std::vector<std::string>{});
  r.created = o.optional_string("created").value_or("");
  r.recorded = o.optional_string("recorded").value_or("");
  r.size = static_cast<std::uint64_t>(o.optional_integer("size").value_or(0));
  return r;
}

bool is_hex(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

using Match = ImageStore::Match;

std::optional<Match> by_exact_name(const std::vector<ImageRecord>& images, const std::string& name) {
  for (const auto& image : images) {
    if (has(image.names, name)) return Match{image, name};
  }
  return std::nullopt;
}

// "busybox" also finds "127.0.0.1:5000/busybox:latest" when that is the only such name.
std::vector<Match> by_path_and_tag(const std::vector<ImageRecord>& images, const core::Reference& ref) {
  const std::string suffix = "/" + ref.path().substr(ref.path().rfind("library/", 0) == 0 ? 8 : 0) + ":" +
                             ref.tag().value_or(std::string(core::kDefaultTag));
  std::vector<Match> found;
  for (const auto& image : images) {
    for (const auto& name : image.names) {
      if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        found.push_back(Match{image, name});
      }
    }
  }
  return found;
}

std::optional<Match> by_id_prefix(const std::vector<ImageRecord>& images, std::string text) {
  if (text.rfind("sha256:", 0) == 0) text.erase(0, 7);
  if (!is_hex(text) || text.size() < 3) return std::nullopt;
  std::vector<const ImageRecord*> found;
  for (const auto& image : images) {
    if (image.id.rfind(text, 0) == 0) found.push_back(&image);
  }
  if (found.size() > 1) throw Error("image id prefix " + quote(text) + " is ambiguous", ErrorKind::usage);
  if (found.empty()) return std::nullopt;
  return Match{*found[0], std::nullopt};
}

}  // namespace


std::optional<ImageRecord> ImageStore::get(const std::string& id) const {
  if (!is_hex(id) || id.size() != 64) return std::nullopt;
  const std::string path = dir(id) + "/image.json";
  const auto text = try_read_file(path, 1u << 20);
  if (!text) return std::nullopt;
  return with_context("reading image record " + quote(path), [&] { return from_json(*text); });
}

std::vector<ImageRecord> ImageStore::list() const {
  std::vector<ImageRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(store_.images_dir(), ec)) {
    if (auto r = get(entry.path().filename().string())) out.push_back(std::move(*r));
  }
  std::sort(out.begin(), out.end(), [](const ImageRecord& a, const ImageRecord& b) { return a.recorded > b.recorded; });
  return out;
}

std::string ImageStore::manifest(const std::string& id) const { return read_file(dir(id) + "/manifest", 4u << 20); }
std::string ImageStore::config(const std::string& id) const { return read_file(dir(id) + "/config", 4u << 20); }

std::optional<Match> ImageStore::try_resolve(const std::string& text) const {
  const auto images = list();
  if (auto m = by_exact_name(images, text)) return m;
  if (auto m = by_id_prefix(images, text)) return m;
  const auto ref = core::Reference::parse(text);
  if (auto m = by_exact_name(images, ref.str())) return m;
  if (!ref.was_short_name() || ref.digest()) return std::nullopt;
  const auto found = by_path_and_tag(images, ref);
  if (found.size() > 1) {
    throw Error("short name " + quote(text) + " matches several images (" + *found[0].name + ", " + *found[1].name +
                    "): use the full name",
                ErrorKind::usage);
  }
  if (found.size() == 1) return found[0];
  return std::nullopt;
}

Match ImageStore::resolve(const std::string& text) const {
  if (auto match = try_resolve(text)) return std::move(*match);
  throw Error(text + ": image not known", ErrorKind::not_found);
}

void ImageStore::write_record(const ImageRecord& record) const {
  write_file_atomic(dir(record.id) + "/image.json", to_json(record));
}

void ImageStore::take_names(const std::vector<std::string>& names, const std::string& new_owner) {
  for (auto image : list()) {
    if (image.id == new_owner) continue;
    const auto before = image.names.size();
    std::erase_if(image.names, [&](const std::string& n) { return has(names, n); });
    if (image.names.size() != before) write_record(image);
  }
}

ImageRecord ImageStore::commit(const ImageRecord& record, std::string_view manifest, std::string_view config) {
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  take_names(record.names, record.id);
  if (auto existing = get(record.id)) {
    for (const auto& n : record.names) {
      if (!has(existing->names, n)) existing->names.push_back(n);
    }
    for (const auto& d : record.digests) {
      if (!has(existing->digests, d)) existing->digests.push_back(d);
    }
    write_record(*existing);
    return *existing;
  }
  TempDir temp = TempDir::at(store_.images_dir() + "/" + temp_name("image"), 0755);
  write_file_atomic(temp.path() + "/manifest", manifest);
  write_file_atomic(temp.path() + "/config", config);
  ImageRecord complete = record;
  complete.recorded = now_rfc3339();
  write_file_atomic(temp.path() + "/image.json", to_json(complete));
  if (::rename(temp.path().c_str(), dir(record.id).c_str()) != 0) throw_errno("rename", temp.path());
  temp.release();
  sync_dir(store_.images_dir());
  return complete;
}

void ImageStore::add_name(const std::string& id, const std::string& name) {
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  auto image = get(id);
  if (!image) throw Error("image " + id + " not known", ErrorKind::not_found);
  take_names({name}, id);
  if (!has(image->names, name)) image->names.push_back(name);
  write_record(*image);
}

bool ImageStore::remove_name(const std::string& name) {
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  for (auto image : list()) {
    if (!has(image.names, name)) continue;
    std::erase(image.names, name);
    write_record(image);
    return true;
  }
  return false;
}

std::vector<std::string> ImageStore::remove(const std::string& id) {
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  auto image = get(id);
  if (!image) throw Error("image " + id + " not known", ErrorKind::not_found);
  const std::string doomed = store_.images_dir() + "/" + temp_name("removing");
  if (::rename(dir(id).c_str(), doomed.c_str()) != 0) throw_errno("remove image", dir(id));
  remove_tree(doomed);
  std::set<std::string> still_used;
  for (const auto& other : list()) still_used.insert(other.layers.begin(), other.layers.end());
  std::vector<std::string> unused;
  for (const auto& layer : image->layers) {
    if (!still_used.count(layer) && !has(unused, layer)) unused.push_back(layer);
  }
  return unused;
}

}  // namespace pod::storage
