// One stage, instruction by instruction: "STEP n/m" lines, the cache, and a layer for each
// step that changes files.
#include "builder/stage_runner.hpp"

#include <fmt/format.h>

#include "builder/build_cache.hpp"
#include "builder/copy_sources.hpp"
#include "builder/working_root.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/sys/clock.hpp"
#include "libcore/sys/error.hpp"

namespace pod::builder {
namespace {

bool makes_layer(const std::string& keyword) { return keyword == "RUN" || keyword == "COPY" || keyword == "ADD"; }

std::string args_text(const Stage& stage) {
  std::string out;
  for (const auto& [k, v] : stage.args) out += k + "=" + v + "\n";
  return out;
}

class StageRunner {
 public:
  StageRunner(Stage& stage, const StagePlan& plan, StepCounter& steps, const core::containerfile::IgnoreRules& ignore)
      : stage_(stage), plan_(plan), steps_(steps), ignore_(ignore), cache_(*stage.env.store) {}

  void run() {
    start_from();
    for (const auto& in : plan_.instructions) step(in, true);
    if (stage_.squash_root) {
      commit_layer(*stage_.squash_root);
      stage_.image.config["history"][last_layer_history_].erase("empty_layer");
    }
  }

 private:
  bool cache_on() const { return stage_.options.layers && !stage_.options.squash; }
  bool use_cache() const { return cache_on() && !stage_.options.no_cache; }

  void say(const std::string& line) {
    if (!stage_.options.quiet) fmt::print(stage_.env.out, "{}\n", line);
  }

  void print_step(const cf::Instruction& in) {
    const std::string prefix = plan_.stage_count > 1 ? fmt::format("[{}/{}] ", stage_.index + 1, plan_.stage_count) : "";
    say(fmt::format("{}STEP {}/{}: {}", prefix, ++steps_.done, steps_.total, in.text));
    std::fflush(stage_.env.out);
  }

  std::string now() const {
    return stage_.options.timestamp ? rfc3339_of(*stage_.options.timestamp) : now_rfc3339_fraction(9);
  }

  void start_from() {
    const cf::Instruction& from = plan_.from;
    print_step(from);
    if (const auto* p = from.flag("platform")) {
      const auto wanted = core::oci::normalize(core::oci::parse_platform(cf::process_word(p->value, plan_.global_lookup)));
      if (!(wanted == core::oci::normalize(core::oci::host_platform()))) {
        throw Error(from.where() + ": --platform " + core::oci::to_string(wanted) +
                        " differs from this machine's; pod build runs steps natively only",
                    ErrorKind::unsupported);
      }
    }
    const std::string base = plan_.base;
    const BuiltStage* earlier = nullptr;
    for (const auto& b : *stage_.built) {
      if (!b.name.empty() && b.name == base) earlier = &b;
    }
    stage_.image = earlier ? earlier->image : with_context(from.where(), [&] { return image_for(stage_.env, stage_.options, base); });
    auto& config = stage_.image.config["config"];
    nlohmann::json triggers = config.contains("OnBuild") ? config["OnBuild"] : nlohmann::json();
    config.erase("OnBuild");
    std::string identity = stage_.image.config.dump();
    for (const auto& l : stage_.image.layers) identity += "\n" + l.chain_id;
    stage_.cache_key = next_key("pod-build v1", {identity, stage_.options.docker_format ? "docker" : "oci",
                                                 stage_.options.timestamp ? std::to_string(*stage_.options.timestamp) : "",
                                                 stage_.options.compress ? "gzip" : "none"});
    if (triggers.is_array()) {
      for (const auto& t : triggers) {
        step(cf::parse_instruction(t.get<std::string>(), from.file + " (ONBUILD of " + base + ")", from.line), false);
      }
    }
  }

  void step(const cf::Instruction& in, bool counted) {
    if (counted) print_step(in);
    if (in.keyword == "ARG") return declare_args(in);
    if (!makes_layer(in.keyword)) return metadata_step(in);
    std::optional<CopyPlan> copy;
    std::string content;
    if (in.keyword != "RUN") {
      copy = plan_copy(stage_, in, ignore_);
      if (cache_on()) content = sources_digest(*copy);
    }
    const std::string key = next_key(stage_.cache_key, {in.text, key_args(in), content});
    stage_.cache_key = key;
    if (use_cache()) {
      if (auto hit = cache_.get(key); hit && hit->layer) {
        say("--> Using cache " + key);
        add_layer(*hit->layer, hit->compression);
        add_history(in, hit->created, false);
        return;
      }
    }
    if (stage_.options.squash) {
      if (!stage_.squash_root) stage_.squash_root = std::make_unique<WorkingRoot>(stage_.env, layer_dirs(stage_.env, stage_.image));
      change_files(in, copy, *stage_.squash_root);
      add_history(in, now(), true);
      last_layer_history_ = stage_.image.config["history"].size() - 1;
      return;
    }
    WorkingRoot root(stage_.env, layer_dirs(stage_.env, stage_.image));
    change_files(in, copy, root);
    const std::string created = now();
    const auto& layer = commit_layer(root);
    add_history(in, created, false);
    if (cache_on()) cache_.put(key, CacheEntry{created, layer, stage_.options.compress ? core::oci::Compression::gzip : core::oci::Compression::none});
  }

  void change_files(const cf::Instruction& in, std::optional<CopyPlan>& copy, WorkingRoot& root) {
    ensure_workdir(stage_, root);
    if (copy) {
      copy_into(stage_, in, *copy, root);
    } else {
      run_command(stage_, in, root);
    }
  }

  storage::LayerRecord commit_layer(WorkingRoot& root) {
    storage::LayerCommitOptions options;
    options.diff.timestamp = stage_.options.timestamp;
    options.diff.opaque_xattr = stage_.env.rootless ? storage::OpaqueXattr::user : storage::OpaqueXattr::trusted;
    options.compression = stage_.options.compress ? core::oci::Compression::gzip : core::oci::Compression::none;
    auto committed = root.commit(stage_.image.layers.empty() ? "" : stage_.image.layers.back().chain_id, options);
    add_layer(committed.record, committed.compression);
    stage_.leases.push_back(std::move(committed.lease));
    say("--> " + committed.record.id.substr(0, 12));
    return committed.record;
  }

  void add_layer(const storage::LayerRecord& record, core::oci::Compression compression) {
    core::oci::Descriptor blob;
    blob.media_type = std::string(core::oci::layer_media_type(core::oci::ManifestKind::oci_manifest, compression));
    blob.digest = record.compressed_digest;
    blob.size = record.compressed_size;
    stage_.image.layers.push_back({record.id, blob});
    stage_.image.config["rootfs"]["diff_ids"].push_back(record.diff_id.str());
  }

  void metadata_step(const cf::Instruction& in) {
    const std::string key = next_key(stage_.cache_key, {in.text, key_args(in)});
    stage_.cache_key = key;
    std::optional<CacheEntry> hit;
    if (use_cache()) hit = cache_.get(key);
    with_context("", [&] { apply_metadata(stage_, in); });
    const std::string created = hit ? hit->created : now();
    if (cache_on() && !hit) cache_.put(key, CacheEntry{created, std::nullopt, core::oci::Compression::none});
    add_history(in, created, true);
  }

  void add_history(const cf::Instruction& in, const std::string& created, bool empty) {
    nlohmann::json entry = {{"created", created}, {"created_by", history_text(in)}};
    if (empty) entry["empty_layer"] = true;
    if (!first_history_done_) {
      entry["comment"] = "FROM " + stage_.image.base_name;
      first_history_done_ = true;
    }
    stage_.image.config["history"].push_back(entry);
    stage_.image.config["created"] = created;
  }

  std::string history_text(const cf::Instruction& in) const {
    if (in.keyword == "RUN") {
      std::string out;
      if (!in.exec_form) {
        for (const auto& s : shell_of(stage_)) out += s + " ";
        return out + in.args;
      }
      for (const auto& a : *in.exec_form) out += (out.empty() ? "" : " ") + a;
      return out;
    }
    return created_by(in, in.args);
  }

  // What a step's key takes of the build args: RUN sees them all (as variables); other
  // instructions only through what they substitute.
  std::string key_args(const cf::Instruction& in) const {
    if (in.keyword == "RUN") return args_text(stage_);
    try {
      return cf::process_word(in.args, stage_.lookup(), stage_.escape);
    } catch (const Error&) {
      return args_text(stage_);  // the step itself reports the bad substitution
    }
  }

  void declare_args(const cf::Instruction& in) {
    for (const auto& [name, value] : cf::key_values(in.args, stage_.lookup(), true, stage_.escape)) {
      if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') ||
          name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        throw Error(in.where() + ": invalid ARG name " + quote_untrusted(name), ErrorKind::invalid_input);
      }
      plan_.used_args->insert(name);
      if (auto given = stage_.options.build_args.find(name); given != stage_.options.build_args.end()) {
        stage_.args[name] = given->second;
      } else if (value) {
        stage_.args[name] = *value;
      } else if (auto global = plan_.global_lookup(name)) {
        stage_.args[name] = *global;
      }
    }
  }

  Stage& stage_;
  const StagePlan& plan_;
  StepCounter& steps_;
  const core::containerfile::IgnoreRules& ignore_;
  BuildCache cache_;
  bool first_history_done_ = false;
  std::size_t last_layer_history_ = 0;  // --squash: the entry that gets the one layer
};

}  // namespace

void run_stage(Stage& stage, const StagePlan& plan, StepCounter& steps, const core::containerfile::IgnoreRules& ignore) {
  StageRunner(stage, plan, steps, ignore).run();
}

}  // namespace pod::builder
