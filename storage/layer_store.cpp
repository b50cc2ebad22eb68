#include "storage/layer_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "libcore/json_read.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/fd.hpp"
#include "libcore/sys/log.hpp"

namespace pod::storage {
namespace {

std::string to_json(const LayerRecord& r) {
  return nlohmann::json{{"id", r.id},
                        {"parent", r.parent},
                        {"diff_id", r.diff_id.str()},
                        {"compressed_digest", r.compressed_digest.str()},
                        {"compressed_size", r.compressed_size},
                        {"size", r.size}}
      .dump(2);
}

LayerRecord from_json(const std::string& text) {
  const auto doc = core::parse_json_document(text);
  const core::JsonObject o(doc, "");
  LayerRecord r;
  r.id = o.string("id");
  r.parent = o.optional_string("parent").value_or("");
  r.diff_id = core::Digest::parse(o.string("diff_id"));
  r.compressed_digest = core::Digest::parse(o.string("compressed_digest"));
  r.compressed_size = o.integer("compressed_size");
  r.size = static_cast<std::uint64_t>(o.integer("size"));
  return r;
}

}  // namespace

core::Digest chain_id(const std::optional<core::Digest>& parent_chain, const core::Digest& diff_id) {
  if (!parent_chain) return diff_id;
  return core::digest_of(parent_chain->str() + " " + diff_id.str());
}

std::string LayerStore::diff_dir(const std::string& id) const { return store_.layers_dir() + "/" + id + "/diff"; }

std::optional<LayerRecord> LayerStore::get(const std::string& id) const {
  const std::string path = store_.layers_dir() + "/" + id + "/layer.json";
  const auto text = try_read_file(path, 1u << 20);
  if (!text) return std::nullopt;
  return with_context("reading layer record " + quote(path), [&] { return from_json(*text); });
}

std::vector<LayerRecord> LayerStore::list() const {
  std::vector<LayerRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(store_.layers_dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 64 || !entry.is_directory()) continue;
    if (auto r = get(name)) out.push_back(std::move(*r));
  }
  return out;
}

LayerLease LayerStore::create(const LayerRecord& record, const std::function<UnpackResult(int dir_fd)>& unpack) {
  // Shared first: a layer that exists needs no more, and a pull holding shared leases on
  // layers it already has never waits for another pull's leases (two pulls that each hold one
  // layer and want the other's exclusively would deadlock). Only a missing layer takes the
  // exclusive lock, which only creators hold, and they wait for nothing but blob downloads.
  LayerLease lease(lock_path(record.id), FileLock::Mode::shared);
  if (get(record.id)) return lease;
  lease.set_mode(FileLock::Mode::exclusive);
  if (get(record.id)) {
    lease.set_mode(FileLock::Mode::shared);
    return lease;
  }
  TempDir temp = TempDir::at(store_.layers_dir() + "/" + temp_name("layer"), 0755);
  const std::string diff = temp.path() + "/diff";
  if (::mkdir(diff.c_str(), 0755) != 0) throw_errno("create", diff);
  UniqueFd diff_fd(::open(diff.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!diff_fd) throw_errno("open", diff);
  const UnpackResult result = unpack(diff_fd.get());
  if (result.diff_id != record.diff_id) {
    throw Error("layer " + record.compressed_digest.str() + ": content does not match the image config: diff ID " +
                    result.diff_id.str() + ", expected " + record.diff_id.str(),
                ErrorKind::digest_mismatch);
  }
  LayerRecord complete = record;
  complete.size = result.size;
  publish(complete, temp.release(), diff_fd.get());
  lease.set_mode(FileLock::Mode::shared);
  return lease;
}

void LayerStore::publish(const LayerRecord& record, const std::string& temp_dir, int diff_fd) const {
  TempDir temp = TempDir::at_existing(temp_dir);
  write_file_atomic(temp_dir + "/layer.json", to_json(record));
  // One syncfs instead of an fsync per file: the layer is on disk before its name appears.
  if (::syncfs(diff_fd) != 0) throw_errno("sync", temp_dir);
  const std::string final = store_.layers_dir() + "/" + record.id;
  if (::rename(temp_dir.c_str(), final.c_str()) != 0) throw_errno("rename", temp_dir);
  temp.release();
  sync_dir(store_.layers_dir());
  log::debug("layer " + record.id + ": stored (" + std::to_string(record.size) + " bytes)");
}

LayerLease LayerStore::adopt(const LayerRecord& record, const std::string& temp_dir) {
  TempDir temp = TempDir::at_existing(temp_dir);
  LayerLease lease(lock_path(record.id), FileLock::Mode::exclusive);
  if (get(record.id)) {
    lease.set_mode(FileLock::Mode::shared);
    return lease;  // the same content was committed before: temp goes
  }
  const std::string diff = temp_dir + "/diff";
  UniqueFd diff_fd(::open(diff.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!diff_fd) throw_errno("open", diff);
  publish(record, temp.release(), diff_fd.get());
  lease.set_mode(FileLock::Mode::shared);
  return lease;
}

bool LayerStore::try_remove(const std::string& id) {
  auto lock = FileLock::try_lock(lock_path(id), FileLock::Mode::exclusive);
  if (!lock) return false;
  const std::string dir = store_.layers_dir() + "/" + id;
  const std::string doomed = store_.layers_dir() + "/" + temp_name("removing");
  // Disappear atomically first: a crash half-way through the removal leaves a temp name
  // that the next open() cleans, never a layer with missing files.
  if (::rename(dir.c_str(), doomed.c_str()) != 0) {
    if (errno == ENOENT) return true;
    throw_errno("remove layer", dir);
  }
  remove_tree(doomed);
  ::unlink(lock_path(id).c_str());
  return true;
}

}  // namespace pod::storage
