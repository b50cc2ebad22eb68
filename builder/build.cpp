// The build: the Containerfile read and parsed, global ARGs, the stages up to --target run in
// order, the last one committed.
#include "builder/build.hpp"

#include <fmt/format.h>

#include <set>

#include "builder/image_commit.hpp"
#include "builder/stage_runner.hpp"
#include "builder/working_root.hpp"
#include "libcore/oci/platform.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/files.hpp"
#include "libcore/sys/log.hpp"

namespace pod::builder {
namespace {

// The build args Docker knows without an ARG: proxies (not part of the cache key or history).
const std::set<std::string>& predefined_args() {
  static const std::set<std::string> names = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
                                              "ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};
  return names;
}

std::string containerfile_path(const BuildOptions& o) {
  if (!o.containerfile.empty()) return o.containerfile;
  for (const char* name : {"/Containerfile", "/Dockerfile"}) {
    if (::access((o.context_dir + name).c_str(), F_OK) == 0) return o.context_dir + name;
  }
  throw Error("no Containerfile or Dockerfile in " + quote(o.context_dir) + " (give one with -f)", ErrorKind::not_found);
}

core::containerfile::IgnoreRules ignore_rules(const std::string& context) {
  for (const char* name : {"/.containerignore", "/.dockerignore"}) {
    if (auto text = try_read_file(context + name, 1u << 20)) return core::containerfile::IgnoreRules::parse(*text);
  }
  return {};
}

// Platform ARGs BuildKit sets for every build (TARGETARCH, BUILDPLATFORM, …).
std::map<std::string, std::string> platform_args(const BuildOptions& o) {
  const auto host = core::oci::host_platform();
  const auto target = o.platform.empty() ? host : core::oci::normalize(core::oci::parse_platform(o.platform));
  std::map<std::string, std::string> out;
  for (const auto& [prefix, p] : {std::pair{std::string("TARGET"), target}, std::pair{std::string("BUILD"), host}}) {
    out[prefix + "PLATFORM"] = core::oci::to_string(p);
    out[prefix + "OS"] = p.os;
    out[prefix + "ARCH"] = p.architecture;
    out[prefix + "VARIANT"] = p.variant;
  }
  return out;
}

struct Plan {
  std::vector<StagePlan> stages;
  std::vector<std::string> names;
  std::map<std::string, std::string> global_args;
  int target = 0;
  int total_steps = 0;
};

Plan plan_build(const core::containerfile::Containerfile& file, const BuildOptions& o, std::set<std::string>& used) {
  Plan plan;
  plan.global_args = platform_args(o);
  auto global_lookup = [&plan](std::string_view name) -> std::optional<std::string> {
    const auto it = plan.global_args.find(std::string(name));
    if (it == plan.global_args.end()) return std::nullopt;
    return it->second;
  };
  for (const auto& in : file.instructions) {
    if (in.keyword == "FROM") {
      StagePlan stage;
      stage.from = in;
      const auto words = cf::process_words(in.args, global_lookup, file.escape);
      if (words.empty() || words[0].empty()) throw Error(in.where() + ": the image name is empty after substitution", ErrorKind::invalid_input);
      stage.base = words[0];
      std::string name = words.size() == 3 ? words[2] : "";
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!name.empty() && std::find(plan.names.begin(), plan.names.end(), name) != plan.names.end()) {
        throw Error(in.where() + ": the stage name " + quote(name) + " is used twice", ErrorKind::invalid_input);
      }
      plan.names.push_back(name);
      plan.stages.push_back(std::move(stage));
      continue;
    }
    if (plan.stages.empty()) {
      if (in.keyword != "ARG") throw Error(in.where() + ": only ARG may come before the first FROM", ErrorKind::invalid_input);
      for (const auto& [name, value] : cf::key_values(in.args, global_lookup, true, file.escape)) {
        used.insert(name);
        if (auto given = o.build_args.find(name); given != o.build_args.end()) plan.global_args[name] = given->second;
        else if (value) plan.global_args[name] = *value;
      }
      continue;
    }
    plan.stages.back().instructions.push_back(in);
  }
  if (plan.stages.empty()) throw Error(file.file + ": no FROM instruction", ErrorKind::invalid_input);
  plan.target = static_cast<int>(plan.stages.size()) - 1;
  if (!o.target.empty()) {
    const auto it = std::find(plan.names.begin(), plan.names.end(), o.target);
    if (it == plan.names.end()) throw Error("--target " + quote(o.target) + ": no stage of that name in " + file.file, ErrorKind::not_found);
    plan.target = static_cast<int>(it - plan.names.begin());
  }
  plan.stages.resize(static_cast<std::size_t>(plan.target) + 1);
  for (auto& s : plan.stages) {
    s.stage_count = static_cast<int>(plan.stages.size());
    plan.total_steps += 1 + static_cast<int>(s.instructions.size());
    // A copy of the args: `plan` moves when it is returned.
    s.global_lookup = [args = plan.global_args](std::string_view name) -> std::optional<std::string> {
      const auto it = args.find(std::string(name));
      if (it == args.end()) return std::nullopt;
      return it->second;
    };
  }
  return plan;
}

}  // namespace

BuildResult build(const BuildEnvironment& env, const BuildOptions& options) {
  const std::string path = containerfile_path(options);
  const std::string text = with_context("reading " + quote(path), [&] { return read_file(path, 16u << 20); });
  const auto file = core::containerfile::parse(text, path);
  if (!file.syntax.empty()) log::debug("ignoring the syntax directive " + file.syntax + " (a BuildKit frontend)");
  std::set<std::string> used;
  Plan plan = plan_build(file, options, used);
  const auto ignore = ignore_rules(options.context_dir);
  std::vector<BuiltStage> built;
  std::vector<storage::LayerLease> leases;
  StepCounter steps{0, plan.total_steps};
  std::optional<BuildResult> result;
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    auto& sp = plan.stages[i];
    sp.used_args = &used;
    Stage stage(env, options);
    stage.escape = file.escape;
    stage.index = static_cast<int>(i);
    stage.name = plan.names[i];
    stage.built = &built;
    for (const auto& name : predefined_args()) {
      if (auto it = options.build_args.find(name); it != options.build_args.end()) {
        stage.args[name] = it->second;
        used.insert(name);
      }
    }
    run_stage(stage, sp, steps, ignore);
    for (auto& l : stage.leases) leases.push_back(std::move(l));
    if (i + 1 == plan.stages.size()) {
      if (!options.quiet) fmt::print(env.out, "COMMIT{}\n", options.tags.empty() ? "" : " " + options.tags.front());
      result = commit_image(env, options, stage.image);
    }
    built.push_back({stage.name, std::move(stage.image)});
  }
  std::vector<std::string> unused;
  for (const auto& [name, value] : options.build_args) {
    if (!used.count(name)) unused.push_back(name);
  }
  if (!unused.empty()) log::warn(fmt::format("one or more build args were not consumed: [{}]", fmt::join(unused, " ")));
  return *result;
}

}  // namespace pod::builder
