// Bearer token auth as Docker Hub does it (distribution's token spec): /v2/ requests without
// a valid token get 401 and a challenge naming our /token endpoint; /token hands out a token
// for the right Basic credentials. Tokens live as long as the process. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tests/support/registry_proxy/options.hpp"
#include "tests/support/registry_proxy/route.hpp"

namespace pod::testsupport::proxy {

class TokenAuth {
 public:
  explicit TokenAuth(Credentials credentials) : credentials_(std::move(credentials)) {}

  struct Grant {
    std::uint64_t number;              // 1 for the first /token request, counting denials too
    std::optional<std::string> token;  // absent: wrong or missing credentials
    std::string_view reason;           // why denied
  };
  // Handles one /token request given its Authorization header.
  Grant request_token(std::optional<std::string_view> authorization);

  enum class Check { ok, no_token, bad_token };
  Check check(std::optional<std::string_view> authorization) const;

 private:
  Credentials credentials_;
  std::atomic<std::uint64_t> requests_{0};
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> tokens_;  // guarded by mutex_
};

// The WWW-Authenticate value for a request: realm is our /token, scope the repository's
// (pull for GET/HEAD, pull,push otherwise), omitted when the path names no repository.
std::string bearer_challenge(std::uint16_t listen_port, const Route& route, std::string_view method);

// Standard base64 with padding; nullopt if `text` is not that.
std::optional<std::string> decode_base64(std::string_view text);
// `bytes` random bytes from getrandom(2), as lower-case hex.
std::string random_hex(std::size_t bytes);

}  // namespace pod::testsupport::proxy
