// Answers the proxy gives itself instead of forwarding: the token endpoint, 401 challenges,
// injected 503s, and 400/502 when a request cannot be forwarded. Each reads (or, for a client
// waiting on "Expect: 100-continue", refuses) the request body so the connection stays in step.
#pragma once

#include <cstdint>
#include <string>

#include "tests/support/registry_proxy/context.hpp"
#include "tests/support/registry_proxy/exchange.hpp"
#include "tests/support/registry_proxy/http.hpp"
#include "tests/support/registry_proxy/route.hpp"

namespace pod::testsupport::proxy {

// A complete response with a JSON body (none for HEAD), Content-Length framed.
Outcome reply(ClientIo& io, const RequestHead& request, int status, Headers headers, const std::string& body,
              std::string action);

// GET /token: {"token":…,"expires_in":300} for the right Basic credentials, else 401.
Outcome reply_token(Context& ctx, ClientIo& io, const RequestHead& request);
// 401 with the Bearer challenge for `route`.
Outcome reply_unauthorized(Context& ctx, ClientIo& io, const RequestHead& request, const Route& route,
                           TokenAuth::Check why);
// The n-th injected 503 with Retry-After: 0.
Outcome reply_unavailable(Context& ctx, ClientIo& io, const RequestHead& request, std::uint64_t n);
// A distribution-style error body: {"errors":[{"code":…,"message":…}]}.
std::string error_body(std::string_view code, std::string_view message);

}  // namespace pod::testsupport::proxy
