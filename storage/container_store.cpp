#include "storage/container_store.hpp"

#include <dirent.h>
#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <array>
#include <nlohmann/json.hpp>

#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/clock.hpp"

namespace pod::storage {
namespace {

using nlohmann::json;

std::string to_json(const ContainerRecord& r) {
  return json{{"id", r.id},           {"name", r.name},
              {"image_id", r.image_id}, {"image_name", r.image_name},
              {"created", r.created}, {"command", r.command},
              {"labels", r.labels},   {"driver", r.driver},
              {"runtime", r.runtime}, {"network", r.network}, {"ports", r.ports},
              {"tty", r.tty},         {"interactive", r.interactive},
              {"remove", r.remove},   {"stop_signal", r.stop_signal},
              {"stop_timeout", r.stop_timeout}, {"mounts", r.mounts}}
      .dump(2);
}

ContainerRecord from_json(const std::string& text, const std::string& where) {
  try {
    const json j = json::parse(text);
    ContainerRecord r;
    r.id = j.at("id").get<std::string>();
    r.name = j.at("name").get<std::string>();
    r.image_id = j.value("image_id", "");
    r.image_name = j.value("image_name", "");
    r.created = j.value("created", "");
    r.command = j.value("command", std::vector<std::string>{});
    r.labels = j.value("labels", std::map<std::string, std::string>{});
    r.driver = j.value("driver", "");
    r.runtime = j.value("runtime", "");
    r.network = j.value("network", "none");
    r.ports = j.value("ports", std::vector<std::string>{});
    r.tty = j.value("tty", false);
    r.interactive = j.value("interactive", false);
    r.remove = j.value("remove", false);
    r.stop_signal = j.value("stop_signal", "SIGTERM");
    r.stop_timeout = j.value("stop_timeout", 10);
    r.mounts = j.value("mounts", std::vector<std::string>{});
    return r;
  } catch (const json::exception& e) {
    throw Error("container record " + quote(where) + " is damaged: " + e.what());
  }
}

std::string random_name() {
  static constexpr std::array<const char*, 12> kAdjectives = {"brave", "calm", "eager", "fancy", "gentle", "happy",
                                                              "jolly", "keen", "lucid", "merry", "quiet", "witty"};
  static constexpr std::array<const char*, 12> kNouns = {"otter", "lynx", "heron", "panda", "koala", "raven",
                                                         "bison", "gecko", "ibis", "moose", "newt", "yak"};
  unsigned char r[3];
  if (::getrandom(r, sizeof r, 0) != sizeof r) throw_errno("getrandom");
  return std::string(kAdjectives[r[0] % kAdjectives.size()]) + "_" + kNouns[r[1] % kNouns.size()] + "_" +
         std::to_string(r[2]);
}

}  // namespace

void check_container_name(const std::string& name) {
  const bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0])) &&
                  std::all_of(name.begin(), name.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
                  });
  if (!ok) {
    throw Error("container name " + quote_untrusted(name) + " is invalid: use [a-zA-Z0-9][a-zA-Z0-9_.-]*",
                ErrorKind::invalid_input);
  }
}

std::string new_container_id() {
  unsigned char bytes[32];
  if (::getrandom(bytes, sizeof bytes, 0) != sizeof bytes) throw_errno("getrandom");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

ContainerRecord ContainerStore::create(ContainerRecord record) {
  make_dirs(store_.containers_dir(), 0700);
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  const auto existing = list();
  const auto taken = [&](const std::string& name) {
    return std::find_if(existing.begin(), existing.end(), [&](const auto& c) { return c.name == name; });
  };
  if (record.name.empty()) {
    do record.name = random_name();
    while (taken(record.name) != existing.end());
  } else {
    check_container_name(record.name);
    if (auto it = taken(record.name); it != existing.end()) {
      throw Error("the container name " + quote(record.name) + " is already in use by " + it->id +
                      ": remove that container or choose another name",
                  ErrorKind::conflict);
    }
  }
  if (record.id.empty()) record.id = new_container_id();
  if (record.created.empty()) record.created = now_rfc3339();
  make_dirs(dir(record.id), 0700);
  save(record);
  return record;
}

void ContainerStore::save(const ContainerRecord& record) const {
  write_file_atomic(dir(record.id) + "/container.json", to_json(record) + "\n");
}

std::vector<ContainerRecord> ContainerStore::list() const {
  std::vector<ContainerRecord> out;
  const std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(store_.containers_dir().c_str()), ::closedir);
  if (!d) return out;
  while (const dirent* e = ::readdir(d.get())) {
    if (e->d_name[0] == '.') continue;
    if (auto r = try_get(e->d_name)) out.push_back(*r);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.created > b.created; });
  return out;
}

std::optional<ContainerRecord> ContainerStore::try_get(const std::string& id) const {
  const std::string path = dir(id) + "/container.json";
  const auto text = try_read_file(path, 1u << 20);
  if (!text) return std::nullopt;
  return from_json(*text, path);
}

ContainerRecord ContainerStore::resolve(const std::string& text) const {
  const auto all = list();
  for (const auto& c : all) {
    if (c.name == text || c.id == text) return c;
  }
  std::vector<ContainerRecord> by_prefix;
  for (const auto& c : all) {
    if (!text.empty() && c.id.rfind(text, 0) == 0) by_prefix.push_back(c);
  }
  if (by_prefix.size() == 1) return by_prefix.front();
  if (by_prefix.size() > 1) {
    throw Error("more than one container has an ID starting with " + quote(text), ErrorKind::invalid_input);
  }
  throw Error("no container with name or ID " + quote_untrusted(text) + " found", ErrorKind::not_found);
}

void ContainerStore::rename(const std::string& id, const std::string& new_name) {
  check_container_name(new_name);
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  for (const auto& c : list()) {
    if (c.name == new_name && c.id != id) {
      throw Error("the container name " + quote(new_name) + " is already in use by " + c.id, ErrorKind::conflict);
    }
  }
  auto record = try_get(id);
  if (!record) throw Error("no container with ID " + quote(id) + " found", ErrorKind::not_found);
  record->name = new_name;
  save(*record);
}

void ContainerStore::remove(const std::string& id) {
  FileLock lock(store_.lock_path(), FileLock::Mode::exclusive);
  // Renamed away first, so a half-removed container never looks like a container.
  const std::string doomed = store_.containers_dir() + "/" + temp_name("removed");
  if (::rename(dir(id).c_str(), doomed.c_str()) != 0) {
    if (errno == ENOENT) throw Error("no container with ID " + quote(id) + " found", ErrorKind::not_found);
    throw_errno("remove container", id);
  }
  remove_tree(doomed);
}

}  // namespace pod::storage
