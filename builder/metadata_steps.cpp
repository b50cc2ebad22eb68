// The instructions that change only the image's config: ENV, LABEL, CMD, ENTRYPOINT,
// EXPOSE, VOLUME, USER, WORKDIR, SHELL, STOPSIGNAL, HEALTHCHECK, ONBUILD, MAINTAINER.
#include <cctype>
#include <cstdint>

#include "builder/stage.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::builder {
namespace {

[[noreturn]] void bad(const cf::Instruction& in, const std::string& what) {
  throw Error(in.where() + ": " + what, ErrorKind::invalid_input);
}

void set_env(nlohmann::json& config, const std::string& key, const std::string& value) {
  auto& env = config["Env"];
  if (!env.is_array()) env = nlohmann::json::array();
  const std::string entry = key + "=" + value;
  for (auto& e : env) {
    const std::string s = e.get<std::string>();
    if (s.compare(0, key.size() + 1, key + "=") == 0) {
      e = entry;
      return;
    }
  }
  env.push_back(entry);
}

// The exec form as it is, or the shell form run by the stage's shell.
std::vector<std::string> command_of(const cf::Instruction& in, const std::vector<std::string>& shell) {
  if (in.exec_form) return *in.exec_form;
  std::vector<std::string> out = shell;
  out.push_back(in.args);
  return out;
}

std::vector<std::string> current_shell(const Stage& stage) {
  const auto& c = stage.image.config["config"];
  if (c.contains("Shell") && c["Shell"].is_array() && !c["Shell"].empty()) return c["Shell"].get<std::vector<std::string>>();
  return {"/bin/sh", "-c"};
}

std::string clean_absolute(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t p = 0;
  while (p <= path.size()) {
    const auto slash = path.find('/', p);
    const std::string part = path.substr(p, slash == std::string::npos ? std::string::npos : slash - p);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    p = slash + 1;
  }
  std::string out;
  for (const auto& part : parts) out += "/" + part;
  return out.empty() ? "/" : out;
}

void expose(nlohmann::json& config, const cf::Instruction& in, const std::vector<std::string>& words) {
  auto& ports = config["ExposedPorts"];
  if (!ports.is_object()) ports = nlohmann::json::object();
  for (const auto& word : words) {
    const auto slash = word.find('/');
    const std::string proto = slash == std::string::npos ? "tcp" : word.substr(slash + 1);
    const std::string range = word.substr(0, slash);
    if (proto != "tcp" && proto != "udp" && proto != "sctp") bad(in, "invalid protocol in " + quote_untrusted(word));
    const auto dash = range.find('-');
    unsigned long first = 0;
    unsigned long last = 0;
    try {
      std::size_t used = 0;
      first = std::stoul(range.substr(0, dash), &used);
      if (used != range.substr(0, dash).size()) throw std::invalid_argument("port");
      last = dash == std::string::npos ? first : std::stoul(range.substr(dash + 1));
    } catch (const std::exception&) {
      bad(in, "invalid port " + quote_untrusted(word));
    }
    if (first == 0 || last > 65535 || last < first) bad(in, "invalid port " + quote_untrusted(word));
    for (unsigned long port = first; port <= last; ++port) ports[std::to_string(port) + "/" + proto] = nlohmann::json::object();
  }
}

// "30s", "1m30s", "500ms" → nanoseconds (Go's time.ParseDuration, the units Docker takes).
std::int64_t duration_ns(const cf::Instruction& in, const std::string& text) {
  std::int64_t total = 0;
  std::size_t p = 0;
  if (text.empty()) bad(in, "empty duration");
  while (p < text.size()) {
    std::size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text.substr(p), &used);
    } catch (const std::exception&) {
      bad(in, "invalid duration " + quote_untrusted(text));
    }
    p += used;
    std::size_t unit_end = p;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) ++unit_end;
    const std::string unit = text.substr(p, unit_end - p);
    p = unit_end;
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us" || unit == "µs") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else bad(in, "invalid duration " + quote_untrusted(text) + " (units: ms, s, m, h)");
    total += static_cast<std::int64_t>(value * scale);
  }
  return total;
}

void healthcheck(Stage& stage, nlohmann::json& config, const cf::Instruction& in) {
  const auto first_space = in.args.find_first_of(" \t");
  std::string kind = in.args.substr(0, first_space);
  for (auto& ch : kind) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (kind == "NONE") {
    if (in.args != "NONE" && in.args != "none") bad(in, "HEALTHCHECK NONE takes no arguments");
    config["Healthcheck"] = {{"Test", {"NONE"}}};
    return;
  }
  if (kind != "CMD") bad(in, "expects HEALTHCHECK [OPTIONS] CMD command, or HEALTHCHECK NONE");
  const std::string rest = first_space == std::string::npos ? "" : in.args.substr(in.args.find_first_not_of(" \t", first_space));
  if (rest.empty()) bad(in, "HEALTHCHECK CMD needs a command");
  nlohmann::json check;
  const cf::Instruction as_cmd = cf::parse_instruction("CMD " + rest, in.file, in.line);
  if (as_cmd.exec_form) {
    std::vector<std::string> test{"CMD"};
    test.insert(test.end(), as_cmd.exec_form->begin(), as_cmd.exec_form->end());
    check["Test"] = test;
  } else {
    check["Test"] = {"CMD-SHELL", rest};
  }
  for (const auto& f : in.flags) {
    const std::string value = expand(stage, f.value);
    if (f.name == "retries") {
      try {
        check["Retries"] = std::stoi(value);
      } catch (const std::exception&) {
        bad(in, "--retries " + quote_untrusted(value) + " is not a number");
      }
    } else {
      static const std::map<std::string, std::string> keys = {
          {"interval", "Interval"}, {"timeout", "Timeout"}, {"start-period", "StartPeriod"}, {"start-interval", "StartInterval"}};
      check[keys.at(f.name)] = duration_ns(in, value);
    }
  }
  config["Healthcheck"] = check;
}

// Healthcheck, OnBuild and Shell exist in Docker's image format only, as Buildah says.
bool docker_only(Stage& stage, const cf::Instruction& in) {
  if (stage.options.docker_format) return true;
  log::warn_once("oci-" + in.keyword, in.keyword + " is not supported for OCI image format and " + in.keyword +
                                           " will be ignored. Must use `docker` format");
  return false;
}

}  // namespace

void apply_metadata(Stage& stage, const cf::Instruction& in) {
  auto& image = stage.image.config;
  auto& config = image["config"];
  const auto lookup = stage.lookup();
  const std::string& k = in.keyword;
  if (k == "ENV") {
    for (const auto& [key, value] : cf::key_values(in.args, lookup, false, stage.escape)) set_env(config, key, *value);
  } else if (k == "LABEL") {
    for (const auto& [key, value] : cf::key_values(in.args, lookup, false, stage.escape)) config["Labels"][key] = *value;
  } else if (k == "CMD") {
    config["Cmd"] = command_of(in, current_shell(stage));
    stage.cmd_set = true;
  } else if (k == "ENTRYPOINT") {
    config["Entrypoint"] = command_of(in, current_shell(stage));
    if (!stage.cmd_set) config["Cmd"] = nullptr;  // Docker: an inherited CMD goes with a new ENTRYPOINT
  } else if (k == "EXPOSE") {
    expose(config, in, expand_words(stage, in.args));
  } else if (k == "VOLUME") {
    const auto paths = in.exec_form ? *in.exec_form : expand_words(stage, in.args);
    for (const auto& p : paths) {
      if (p.empty()) bad(in, "a volume path may not be empty");
      config["Volumes"][p] = nlohmann::json::object();
    }
  } else if (k == "USER") {
    const std::string user = expand(stage, in.args);
    if (user.empty()) bad(in, "requires a user");
    config["User"] = user;
  } else if (k == "WORKDIR") {
    const std::string dir = expand(stage, in.args);
    const std::string current = stage.config_string("WorkingDir");
    config["WorkingDir"] = clean_absolute(dir.front() == '/' ? dir : (current.empty() ? "/" : current) + "/" + dir);
    stage.workdir_pending = true;
  } else if (k == "SHELL") {
    if (docker_only(stage, in)) config["Shell"] = *in.exec_form;
    stage.shell = *in.exec_form;
  } else if (k == "STOPSIGNAL") {
    config["StopSignal"] = expand(stage, in.args);
  } else if (k == "HEALTHCHECK") {
    if (docker_only(stage, in)) healthcheck(stage, config, in);
  } else if (k == "ONBUILD") {
    if (docker_only(stage, in)) config["OnBuild"].push_back(in.args);
  } else if (k == "MAINTAINER") {
    image["author"] = expand(stage, in.args);
  } else {
    bad(in, "is not a metadata instruction");
  }
}

std::vector<std::string> shell_of(const Stage& stage) { return stage.shell.empty() ? current_shell(stage) : stage.shell; }

}  // namespace pod::builder
