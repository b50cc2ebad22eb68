#include "libcore/oci/image_config.hpp"

#include "libcore/json_read.hpp"
#include "libcore/sys/error.hpp"

namespace pod::core::oci {
namespace {

using nlohmann::json;

ContainerConfig read_container_config(const JsonObject& o) {
  ContainerConfig c;
  c.user = o.optional_string("User").value_or("");
  c.exposed_ports = o.object_keys("ExposedPorts");
  c.env = o.optional_strings("Env").value_or(std::vector<std::string>{});
  c.entrypoint = o.optional_strings("Entrypoint");
  c.cmd = o.optional_strings("Cmd");
  c.volumes = o.object_keys("Volumes");
  c.working_dir = o.optional_string("WorkingDir").value_or("");
  c.labels = o.string_map("Labels");
  c.stop_signal = o.optional_string("StopSignal").value_or("");
  return c;
}

std::vector<Digest> read_diff_ids(const JsonObject& rootfs) {
  if (rootfs.string("type") != "layers") rootfs.fail("type", "expected \"layers\"");
  const auto texts = rootfs.optional_strings("diff_ids");
  if (!texts) rootfs.fail("diff_ids", "missing");
  std::vector<Digest> out;
  for (std::size_t i = 0; i < texts->size(); ++i) {
    try {
      out.push_back(Digest::parse((*texts)[i]));
    } catch (const Error& e) {
      rootfs.fail("diff_ids[" + std::to_string(i) + "]", e.message());
    }
  }
  return out;
}

HistoryEntry read_history(const JsonObject& o) {
  return HistoryEntry{o.optional_string("created").value_or(""), o.optional_string("created_by").value_or(""),
                      o.optional_string("author").value_or(""), o.optional_string("comment").value_or(""),
                      o.optional_bool("empty_layer", false)};
}

json keys_object(const std::vector<std::string>& keys) {
  json j = json::object();
  for (const auto& k : keys) j[k] = json::object();
  return j;
}

json write_container_config(const ContainerConfig& c) {
  json j = json::object();
  if (!c.user.empty()) j["User"] = c.user;
  if (!c.exposed_ports.empty()) j["ExposedPorts"] = keys_object(c.exposed_ports);
  if (!c.env.empty()) j["Env"] = c.env;
  if (c.entrypoint) j["Entrypoint"] = *c.entrypoint;
  if (c.cmd) j["Cmd"] = *c.cmd;
  if (!c.volumes.empty()) j["Volumes"] = keys_object(c.volumes);
  if (!c.working_dir.empty()) j["WorkingDir"] = c.working_dir;
  if (!c.labels.empty()) j["Labels"] = c.labels;
  if (!c.stop_signal.empty()) j["StopSignal"] = c.stop_signal;
  return j;
}

json write_history(const HistoryEntry& h) {
  json j = json::object();
  if (!h.created.empty()) j["created"] = h.created;
  if (!h.created_by.empty()) j["created_by"] = h.created_by;
  if (!h.author.empty()) j["author"] = h.author;
  if (!h.comment.empty()) j["comment"] = h.comment;
  if (h.empty_layer) j["empty_layer"] = true;
  return j;
}

}  // namespace

ImageConfig parse_image_config(std::string_view bytes) {
  return with_context("parsing image config", [&] {
    const json doc = parse_json_document(bytes);
    const JsonObject o(doc, "");
    ImageConfig c;
    c.created = o.optional_string("created").value_or("");
    c.author = o.optional_string("author").value_or("");
    c.architecture = o.string("architecture");
    c.os = o.string("os");
    c.variant = o.optional_string("variant").value_or("");
    if (const auto cc = o.optional_object("config")) c.config = read_container_config(*cc);
    c.diff_ids = read_diff_ids(o.object("rootfs"));
    for (const auto& h : o.optional_objects("history")) c.history.push_back(read_history(h));
    return c;
  });
}

std::string serialize(const ImageConfig& c) {
  json j{{"architecture", c.architecture}, {"os", c.os}, {"config", write_container_config(c.config)}};
  if (!c.created.empty()) j["created"] = c.created;
  if (!c.author.empty()) j["author"] = c.author;
  if (!c.variant.empty()) j["variant"] = c.variant;
  json diff_ids = json::array();
  for (const auto& d : c.diff_ids) diff_ids.push_back(d.str());
  j["rootfs"] = json{{"type", "layers"}, {"diff_ids", diff_ids}};
  j["history"] = json::array();
  for (const auto& h : c.history) j["history"].push_back(write_history(h));
  return j.dump();
}

}  // namespace pod::core::oci
