#include "tools/common/registry_flags.hpp"

#include <CLI/CLI.hpp>

namespace pod::tools {

void add_registry_flags(CLI::App& verb, RegistryFlags& flags, const std::string& prefix) {
  verb.add_option("--" + prefix + "tls-verify", flags.tls_verify,
                  "require HTTPS and verify certificates (default: true unless registries.conf marks the registry insecure)");
  verb.add_option("--" + prefix + "cert-dir", flags.cert_dir, "directory with CA certificates (*.crt) and a client certificate (*.cert, *.key)");
  verb.add_option("--" + prefix + "creds", flags.creds, "credentials USERNAME[:PASSWORD] for the registry");
  verb.add_option("--" + prefix + "authfile", flags.authfile, "path of the authentication file (default: ${XDG_RUNTIME_DIR}/containers/auth.json)");
}

storage::RegistryAccess registry_access(const RegistryFlags& flags) {
  storage::RegistryAccess access;
  access.tls_verify = flags.tls_verify;
  access.cert_dir = flags.cert_dir;
  if (!flags.authfile.empty()) access.authfile = flags.authfile;
  if (!flags.creds.empty()) {
    const auto colon = flags.creds.find(':');
    access.credentials = core::registry::Credentials{flags.creds.substr(0, colon),
                                                     colon == std::string::npos ? "" : flags.creds.substr(colon + 1)};
  }
  return access;
}

}  // namespace pod::tools
