#include "builder/commit.hpp"

#include <set>

#include "builder/image_commit.hpp"
#include "libcore/sys/clock.hpp"

namespace pod::builder {

BuildResult commit_container(const BuildEnvironment& env, const CommitOptions& options) {
  BuildOptions build;
  build.tags = options.tags;
  build.docker_format = options.docker_format;
  Stage stage(env, build);
  stage.image = image_for(env, build, options.image_id);
  static const std::set<std::string> allowed = {"CMD",   "ENTRYPOINT", "ENV",  "EXPOSE",  "LABEL",
                                                "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"};
  for (const auto& change : options.changes) {
    const auto in = cf::parse_instruction(change, "--change", 1);
    if (!allowed.count(in.keyword)) {
      throw Error("--change " + quote_untrusted(change) + ": only CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, "
                  "USER, VOLUME and WORKDIR change a committed image", ErrorKind::invalid_input);
    }
    apply_metadata(stage, in);
  }
  storage::LayerCommitOptions layer_options;
  layer_options.diff.opaque_xattr = env.rootless ? storage::OpaqueXattr::user : storage::OpaqueXattr::trusted;
  const std::string parent = stage.image.layers.empty() ? "" : stage.image.layers.back().chain_id;
  auto layer = storage::commit_layer_copy(*env.store, options.upper_dir, parent, layer_options, env.rootless);
  core::oci::Descriptor blob;
  blob.media_type = std::string(core::oci::layer_media_type(core::oci::ManifestKind::oci_manifest, layer.compression));
  blob.digest = layer.record.compressed_digest;
  blob.size = layer.record.compressed_size;
  stage.image.layers.push_back({layer.record.id, blob});
  auto& config = stage.image.config;
  config["rootfs"]["diff_ids"].push_back(layer.record.diff_id.str());
  const std::string created = now_rfc3339_fraction(9);
  nlohmann::json history = {{"created", created}, {"created_by", options.created_by}};
  if (!options.message.empty()) history["comment"] = options.message;
  if (!options.author.empty()) {
    history["author"] = options.author;
    config["author"] = options.author;
  }
  config["history"].push_back(history);
  config["created"] = created;
  return commit_image(env, build, stage.image);
}

}  // namespace pod::builder
