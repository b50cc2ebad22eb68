// What every connection of one proxy process shares. Built once in main; lives until exit.
#pragma once

#include <cstdint>
#include <memory>

#include "tests/support/registry_proxy/access_log.hpp"
#include "tests/support/registry_proxy/faults.hpp"
#include "tests/support/registry_proxy/options.hpp"
#include "tests/support/registry_proxy/token_auth.hpp"
#include "tests/support/registry_proxy/tracker.hpp"

namespace pod::testsupport::proxy {

struct Context {
  Context(const Options& opts, std::uint16_t port)
      : options(opts), listen_port(port), log(opts.log_file), faults(opts) {
    if (opts.token_auth) auth = std::make_unique<TokenAuth>(*opts.token_auth);
  }

  const Options& options;
  std::uint16_t listen_port;
  AccessLog log;
  Faults faults;
  std::unique_ptr<TokenAuth> auth;  // null unless --token-auth
  Tracker tracker;
};

}  // namespace pod::testsupport::proxy
