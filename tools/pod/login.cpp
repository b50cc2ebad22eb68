// pod login [-u USER] [-p PASS | --password-stdin] [--authfile F] [--tls-verify] REGISTRY
// pod logout [--authfile F] (REGISTRY | -a)
// Credentials are checked against the registry before they are stored (auth.json, 0600).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "libcore/config/auth_file.hpp"
#include "libcore/config/registries_conf.hpp"
#include "libcore/reference.hpp"
#include "libcore/sys/environment.hpp"
#include "libcore/sys/error.hpp"
#include "storage/pull_by_name.hpp"
#include "tools/common/main.hpp"
#include "tools/common/registry_flags.hpp"
#include "tools/pod/verbs.hpp"

namespace pod::tools {
namespace {

struct LoginFlags {
  std::string registry;
  std::string username;
  std::string password;
  bool password_stdin = false;
  RegistryFlags registry_flags;
};

std::string read_line(bool echo) {
  termios saved{};
  const bool tty = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty && !echo) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty && !echo) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    fmt::print("\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void ask_for_missing(LoginFlags& f) {
  const bool tty = ::isatty(STDIN_FILENO) == 1;
  if (f.password_stdin) {
    if (f.username.empty()) throw Error("--password-stdin needs --username", ErrorKind::usage);
    f.password = read_line(true);
    return;
  }
  if (f.username.empty()) {
    if (!tty) throw Error("no --username and no terminal to ask on", ErrorKind::usage);
    fmt::print("Username: ");
    std::fflush(stdout);
    f.username = read_line(true);
  }
  if (f.password.empty()) {
    if (!tty) throw Error("no --password (or --password-stdin) and no terminal to ask on", ErrorKind::usage);
    fmt::print("Password: ");
    std::fflush(stdout);
    f.password = read_line(false);
  }
}

// "host[/path]" as the user wrote it; the host decides the endpoint.
std::string host_of(const std::string& key) { return key.substr(0, key.find('/')); }

std::string auth_file_for_write(const RegistryFlags& flags) {
  if (!flags.authfile.empty()) return flags.authfile;
  if (auto env = process_env("REGISTRY_AUTH_FILE")) return *env;
  return core::config::default_auth_file(process_env);
}

}  // namespace

void add_login_verb(CLI::App& app, RunState& /*state*/) {
  auto f = std::make_shared<LoginFlags>();
  auto* verb = app.add_subcommand("login", "log in to a registry and store the credentials");
  verb->add_option("registry", f->registry, "registry host[:port][/path]")->required();
  verb->add_option("-u,--username", f->username, "user name");
  verb->add_option("-p,--password", f->password, "password (prefer --password-stdin: the command line is visible to others)");
  verb->add_flag("--password-stdin", f->password_stdin, "read the password from standard input");
  add_registry_flags(*verb, f->registry_flags);
  verb->callback([f] {
    const std::string key = core::config::normalize_auth_key(f->registry);
    ask_for_missing(*f);
    storage::RegistryAccess access = registry_access(f->registry_flags);
    access.credentials = core::registry::Credentials{f->username, f->password};
    const auto conf = core::config::load_registries_conf(process_env);
    const std::string host = host_of(key);
    const bool insecure = core::config::is_insecure(conf, core::Reference::parse(host + "/x"));
    core::registry::RegistryClient client(host, storage::client_options(host, "", access, insecure, process_env));
    client.check_login();
    core::config::store_credentials(auth_file_for_write(f->registry_flags), key, f->username, f->password);
    fmt::print("Login Succeeded!\n");
  });
}

void add_logout_verb(CLI::App& app, RunState& /*state*/) {
  auto registry = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  auto flags = std::make_shared<RegistryFlags>();
  auto* verb = app.add_subcommand("logout", "remove stored credentials of a registry");
  verb->add_option("registry", *registry, "registry host[:port][/path]");
  verb->add_flag("-a,--all", *all, "remove the credentials of every registry");
  verb->add_option("--authfile", flags->authfile, "path of the authentication file");
  verb->callback([registry, all, flags] {
    const std::string path = auth_file_for_write(*flags);
    if (*all) {
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) throw_errno("remove", path);
      fmt::print("Removed login credentials for all registries\n");
      return;
    }
    if (registry->empty()) throw Error("a registry must be given, or --all", ErrorKind::usage);
    const std::string key = core::config::normalize_auth_key(*registry);
    if (!core::config::remove_credentials(path, key)) throw Error("not logged into " + key, ErrorKind::not_found);
    fmt::print("Removed login credentials for {}\n", key);
  });
}

}  // namespace pod::tools
