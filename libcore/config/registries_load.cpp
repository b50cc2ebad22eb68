// Finding and loading registries.conf files in Podman's order (containers/image
// newConfigWrapperWithHomeDir and dropInConfigs).
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "libcore/config/config_file.hpp"
#include "libcore/config/registries_conf.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::core::config {
namespace {

constexpr std::string_view kFileName = "registries.conf";
constexpr std::string_view kDropInDirName = "registries.conf.d";

// ($XDG_CONFIG_HOME or ~/.config)/containers; nullopt when neither variable is set.
std::optional<std::string> user_config_dir(const EnvLookup& env) {
  if (auto xdg = env("XDG_CONFIG_HOME")) return *xdg + "/containers";
  if (auto home = env("HOME")) return *home + "/.config/containers";
  return std::nullopt;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// The *.conf entries of `dir` that are not directories, sorted; none when `dir` is missing.
std::vector<std::string> drop_in_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return {};
  if (ec) throw Error("reading " + quote(dir) + ": " + ec.message());
  std::vector<std::string> files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (name.ends_with(".conf") && !it->is_directory(type_ec)) files.push_back(it->path().string());
  }
  if (ec) throw Error("reading " + quote(dir) + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> registries_conf_files(const EnvLookup& env, const std::string& system_dir) {
  if (auto explicit_file = env("CONTAINERS_REGISTRIES_CONF")) return {*explicit_file};

  std::vector<std::string> dirs;
  std::string main_file = system_dir + "/" + std::string(kFileName);
  const auto user_dir = user_config_dir(env);
  const std::string user_file = user_dir ? *user_dir + "/" + std::string(kFileName) : std::string();
  if (user_dir && file_exists(user_file)) {
    main_file = user_file;  // a user file replaces the system file and its drop-ins
  } else {
    dirs.push_back(system_dir + "/" + std::string(kDropInDirName));
  }
  if (user_dir) dirs.push_back(*user_dir + "/" + std::string(kDropInDirName));

  std::vector<std::string> files{main_file};
  for (const auto& dir : dirs) {
    for (auto& file : drop_in_files(dir)) files.push_back(std::move(file));
  }
  return files;
}

RegistriesConf load_registries_conf_file(const std::string& path) {
  RegistriesConf conf;
  if (auto text = try_read_config_file(path)) merge_registries_conf(conf, parse_registries_conf(*text, path), path);
  return conf;
}

RegistriesConf load_registries_conf(const EnvLookup& env, const std::string& system_dir) {
  RegistriesConf conf;
  for (const auto& path : registries_conf_files(env, system_dir)) {
    auto text = try_read_config_file(path);
    if (!text) {
      log::debug("registries.conf: " + quote(path) + " does not exist");
      continue;
    }
    log::debug("registries.conf: reading " + quote(path));
    merge_registries_conf(conf, parse_registries_conf(*text, path), path);
  }
  return conf;
}

}  // namespace pod::core::config
