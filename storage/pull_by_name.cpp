#include "storage/pull_by_name.hpp"

#include "libcore/config/auth_file.hpp"
#include "libcore/config/registries_conf.hpp"
#include "libcore/config/short_names.hpp"
#include "libcore/sys/error.hpp"
#include "libcore/sys/log.hpp"

namespace pod::storage {
namespace {

std::vector<core::Reference> candidates_for(const core::config::RegistriesConf& conf, const std::string& text,
                                            bool have_tty) {
  const core::Reference parsed = core::Reference::parse(text);
  if (!parsed.was_short_name()) return {parsed};
  return core::config::resolve_short_name(conf, text, have_tty).candidates;
}

std::vector<core::config::Endpoint> endpoints_for(const core::config::RegistriesConf& conf, const core::Reference& ref) {
  if (const auto* reg = core::config::find_registry(conf, ref)) {
    if (reg->blocked) {
      throw Error("registry " + quote(reg->prefix) + " is blocked in " + core::config::config_origin(conf),
                  ErrorKind::unauthorized);
    }
    return core::config::pull_endpoints(*reg, ref);
  }
  return {core::config::Endpoint{ref, ref.domain(), false, false}};
}

}  // namespace

core::registry::ClientOptions client_options(const std::string& host, const std::string& path,
                                             const RegistryAccess& access, bool insecure_by_config,
                                             const EnvLookup& env) {
  core::registry::ClientOptions o;
  o.tls_verify = access.tls_verify.value_or(!insecure_by_config);
  o.cert_dir = access.cert_dir;
  if (access.credentials) {
    o.credentials = access.credentials;
  } else if (auto found = core::config::find_credentials(core::config::auth_file_sources(env, access.authfile), host, path)) {
    log::debug("credentials for " + host + " from " + found->file);
    o.credentials = core::registry::Credentials{found->username, found->password};
  }
  return o;
}

std::shared_ptr<core::registry::RegistryClient> registry_client_for(const core::Reference& ref, const RegistryAccess& access) {
  const auto conf = core::config::load_registries_conf(process_env);
  if (core::config::is_blocked(conf, ref)) {
    throw Error("registry " + quote(ref.domain()) + " is blocked in " + core::config::config_origin(conf), ErrorKind::unauthorized);
  }
  return std::make_shared<core::registry::RegistryClient>(
      ref.domain(), client_options(ref.domain(), ref.path(), access, core::config::is_insecure(conf, ref), process_env));
}

ImageRecord pull_by_name(const Store& store, const std::string& text, const RegistryAccess& access,
                         const PullOptions& options, bool have_tty,
                         const std::function<void(const core::Reference&)>& trying) {
  const auto conf = core::config::load_registries_conf(process_env);
  const auto candidates = candidates_for(conf, text, have_tty);
  std::string failures;
  for (const auto& candidate : candidates) {
    for (const auto& endpoint : endpoints_for(conf, candidate)) {
      trying(endpoint.reference);
      try {
        core::registry::RegistryClient client(
            endpoint.reference.domain(),
            client_options(endpoint.reference.domain(), endpoint.reference.path(), access, endpoint.insecure, process_env));
        PullOptions named = options;
        named.record_as = candidate;
        return pull_image(store, client, endpoint.reference, named);
      } catch (const Error& e) {
        if (candidates.size() == 1 && !endpoint.mirror) throw;  // the one place to look: its error as it is
        log::debug(e.message());
        failures += std::string(failures.empty() ? "" : "; ") + e.message();
      }
    }
  }
  throw Error("pulling " + quote(text) + ": every candidate failed: " + failures, ErrorKind::not_found);
}

}  // namespace pod::storage
