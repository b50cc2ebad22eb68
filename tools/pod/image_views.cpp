#include "tools/pod/image_views.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "libcore/oci/image_config.hpp"
#include "tools/common/human.hpp"

namespace pod::tools {

std::vector<std::string> repo_digests(const storage::ImageRecord& image) {
  std::set<std::string> repos;
  for (const auto& name : image.names) repos.insert(name.substr(0, name.rfind(':')));
  // As podman: every named repository with every digest the image is known by.
  std::vector<std::string> out;
  for (const auto& repo : repos) {
    for (const auto& digest : image.digests) out.push_back(repo + "@" + digest);
  }
  return out;
}

nlohmann::json image_summary_json(const storage::ImageRecord& image) {
  const auto created = parse_rfc3339(image.created);
  return nlohmann::json{{"Id", image.id},
                        {"ParentId", ""},
                        {"RepoTags", image.names},
                        {"RepoDigests", repo_digests(image)},
                        {"Size", image.size},
                        {"SharedSize", 0},
                        {"VirtualSize", image.size},
                        {"Containers", 0},
                        {"Names", image.names},
                        {"Digest", image.manifest_digest.str()},
                        {"Created", created ? static_cast<long long>(*created) : 0},
                        {"CreatedAt", image.created}};
}

nlohmann::json image_inspect_json(const storage::ImageRecord& image, const storage::ImageStore& images) {
  const auto config = core::oci::parse_image_config(images.config(image.id));
  nlohmann::json diff_ids = nlohmann::json::array();
  for (const auto& d : config.diff_ids) diff_ids.push_back(d.str());
  nlohmann::json history = nlohmann::json::array();
  for (const auto& h : config.history) {
    history.push_back({{"created", h.created}, {"created_by", h.created_by}, {"comment", h.comment}, {"empty_layer", h.empty_layer}});
  }
  const auto& c = config.config;
  nlohmann::json container_config{{"User", c.user}, {"Env", c.env}, {"WorkingDir", c.working_dir},
                                  {"Labels", c.labels}, {"StopSignal", c.stop_signal}};
  if (c.entrypoint) container_config["Entrypoint"] = *c.entrypoint;
  if (c.cmd) container_config["Cmd"] = *c.cmd;
  nlohmann::json ports = nlohmann::json::object();
  for (const auto& p : c.exposed_ports) ports[p] = nlohmann::json::object();
  container_config["ExposedPorts"] = ports;
  return nlohmann::json{{"Id", image.id},
                        {"Digest", image.manifest_digest.str()},
                        {"RepoTags", image.names},
                        {"RepoDigests", repo_digests(image)},
                        {"Created", image.created},
                        {"Config", container_config},
                        {"Author", config.author},
                        {"Architecture", config.architecture},
                        {"Os", config.os},
                        {"Variant", config.variant},
                        {"Size", image.size},
                        {"VirtualSize", image.size},
                        {"Labels", c.labels},
                        {"RootFS", {{"Type", "layers"}, {"Layers", diff_ids}}},
                        {"History", history},
                        {"ManifestType", image.manifest_media_type},
                        {"NamesHistory", image.names}};
}

}  // namespace pod::tools
