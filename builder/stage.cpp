#include "builder/stage.hpp"

#include "builder/working_root.hpp"
#include "libcore/oci/media_types.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/sys/error.hpp"
#include "storage/layer_store.hpp"

namespace pod::builder {

Stage::~Stage() = default;

std::vector<std::string> Stage::env_list() const {
  const auto& c = image.config;
  if (!c.contains("config") || !c["config"].contains("Env") || !c["config"]["Env"].is_array()) return {};
  return c["config"]["Env"].get<std::vector<std::string>>();
}

std::string Stage::config_string(const char* key) const {
  const auto& c = image.config;
  if (!c.contains("config") || !c["config"].contains(key) || !c["config"][key].is_string()) return "";
  return c["config"][key].get<std::string>();
}

cf::Lookup Stage::lookup() const {
  return [env = env_list(), args = args](std::string_view var) -> std::optional<std::string> {
    for (auto it = env.rbegin(); it != env.rend(); ++it) {
      if (it->size() > var.size() && it->compare(0, var.size(), var) == 0 && (*it)[var.size()] == '=') {
        return it->substr(var.size() + 1);
      }
    }
    const auto a = args.find(std::string(var));
    if (a != args.end()) return a->second;
    return std::nullopt;
  };
}

std::vector<std::string> Stage::run_env() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : args) out.push_back(k + "=" + v);
  return out;
}

std::string expand(const Stage& stage, const std::string& text) { return cf::process_word(text, stage.lookup(), stage.escape); }

std::vector<std::string> expand_words(const Stage& stage, const std::string& text) {
  return cf::process_words(text, stage.lookup(), stage.escape);
}

std::string created_by(const cf::Instruction& in, const std::string& detail) {
  return "/bin/sh -c #(nop) " + in.keyword + " " + detail;
}

namespace {

nlohmann::json scratch_config(const BuildOptions& options) {
  const auto platform = options.platform.empty() ? core::oci::host_platform() : core::oci::parse_platform(options.platform);
  nlohmann::json c = {{"architecture", platform.architecture},
                      {"os", platform.os},
                      {"config", nlohmann::json::object()},
                      {"rootfs", {{"type", "layers"}, {"diff_ids", nlohmann::json::array()}}},
                      {"history", nlohmann::json::array()}};
  if (!platform.variant.empty()) c["variant"] = platform.variant;
  return c;
}

ImageState from_record(const BuildEnvironment& env, const storage::ImageRecord& record, const std::string& name) {
  const storage::ImageStore images(*env.store);
  ImageState out;
  out.base_name = name;
  out.config = nlohmann::json::parse(images.config(record.id));
  if (!out.config.contains("config") || out.config["config"].is_null()) out.config["config"] = nlohmann::json::object();
  const auto manifest = core::oci::parse_manifest(images.manifest(record.id));
  if (manifest.layers.size() != record.layers.size()) {
    throw Error("image " + quote(name) + ": its record and manifest disagree on the layers; pull it again",
                ErrorKind::invalid_input);
  }
  for (std::size_t i = 0; i < record.layers.size(); ++i) out.layers.push_back({record.layers[i], manifest.layers[i]});
  return out;
}

}  // namespace

ImageState image_for(const BuildEnvironment& env, const BuildOptions& options, const std::string& name) {
  if (name == "scratch") return ImageState{scratch_config(options), {}, "scratch"};
  const storage::ImageStore images(*env.store);
  if (options.pull != "always") {
    if (auto found = images.try_resolve(name)) return from_record(env, found->image, found->name.value_or(name));
    if (options.pull == "never") {
      throw Error("image " + quote_untrusted(name) + " is not in local storage (--pull=never)", ErrorKind::not_found);
    }
  }
  const auto record = env.pull(name);
  return from_record(env, record, record.names.empty() ? name : record.names.front());
}

std::vector<std::string> layer_dirs(const BuildEnvironment& env, const ImageState& image) {
  const storage::LayerStore layers(*env.store);
  std::vector<std::string> out;
  for (auto it = image.layers.rbegin(); it != image.layers.rend(); ++it) out.push_back(layers.diff_dir(it->chain_id));
  return out;
}

}  // namespace pod::builder
