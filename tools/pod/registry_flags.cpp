#include "tools/pod/registry_flags.hpp"

#include <CLI/CLI.hpp>

namespace pod::tools {

void add_registry_flags(CLI::App& verb, RegistryFlags& flags) {
  verb.add_option("--tls-verify", flags.tls_verify,
                  "require HTTPS and verify certificates (default: true unless registries.conf marks the registry insecure)");
  verb.add_option("--cert-dir", flags.cert_dir, "directory with CA certificates (*.crt) and a client certificate (*.cert, *.key)");
  verb.add_option("--creds", flags.creds, "credentials USERNAME[:PASSWORD] for the registry");
  verb.add_option("--authfile", flags.authfile, "path of the authentication file (default: ${XDG_RUNTIME_DIR}/containers/auth.json)");
}

std::unique_ptr<core::registry::RegistryClient> make_registry_client(const std::string& host, const RegistryFlags& flags) {
  core::registry::ClientOptions options;
  options.tls_verify = flags.tls_verify.value_or(true);
  options.cert_dir = flags.cert_dir;
  if (!flags.creds.empty()) {
    const auto colon = flags.creds.find(':');
    options.credentials = core::registry::Credentials{flags.creds.substr(0, colon),
                                                      colon == std::string::npos ? "" : flags.creds.substr(colon + 1)};
  }
  return std::make_unique<core::registry::RegistryClient>(host, std::move(options));
}

}  // namespace pod::tools
