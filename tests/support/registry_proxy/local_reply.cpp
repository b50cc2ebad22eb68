#include "tests/support/registry_proxy/local_reply.hpp"

#include "tests/support/registry_proxy/body.hpp"

namespace pod::testsupport::proxy {
namespace {

// Reads a request body we will not forward. A client that waits for "100 Continue" before
// sending it gets none: we answer and close instead (RFC 9110 §10.1.1 allows either).
bool consume_request_body(ClientIo& io, const RequestHead& request) {
  const Framing framing = request_framing(request);
  if (framing.kind == Framing::Kind::none) return true;
  const auto expect = find_header(request.headers, "Expect");
  if (expect && iequals(*expect, "100-continue")) return false;
  DiscardSink discard;
  relay_body(io.in, framing, discard);
  return true;
}

// JSON strings here are our own text: only quotes and backslashes need escaping.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::string error_body(std::string_view code, std::string_view message) {
  return "{\"errors\":[{\"code\":" + json_string(code) + ",\"message\":" + json_string(message) + "}]}";
}

Outcome reply(ClientIo& io, const RequestHead& request, int status, Headers headers, const std::string& body,
              std::string action) {
  Outcome outcome{status, 0, std::move(action), !consume_request_body(io, request) || client_wants_close(request)};
  ResponseHead head{"HTTP/1.1", status, std::string(reason_phrase(status)), std::move(headers)};
  set_header(head.headers, "Content-Type", "application/json; charset=utf-8");
  set_header(head.headers, "Content-Length", std::to_string(body.size()));
  set_header(head.headers, "Docker-Distribution-Api-Version", "registry/2.0");
  if (outcome.close) set_header(head.headers, "Connection", "close");
  std::string message = serialize(head);
  if (request.method != "HEAD") {
    message += body;
    outcome.bytes = body.size();
  }
  send_all(io.fd, message, io.peer);
  return outcome;
}

Outcome reply_token(Context& ctx, ClientIo& io, const RequestHead& request) {
  const auto grant = ctx.auth->request_token(find_header(request.headers, "Authorization"));
  const std::string number = "token #" + std::to_string(grant.number);
  if (!grant.token)
    return reply(io, request, 401, {{"WWW-Authenticate", "Basic realm=\"pod-test\""}},
                 error_body("UNAUTHORIZED", "invalid credentials"),
                 number + " denied (" + std::string(grant.reason) + ")");
  return reply(io, request, 200, {}, "{\"token\":\"" + *grant.token + "\",\"expires_in\":300}", number + " issued");
}

Outcome reply_unauthorized(Context& ctx, ClientIo& io, const RequestHead& request, const Route& route,
                           TokenAuth::Check why) {
  return reply(io, request, 401, {{"WWW-Authenticate", bearer_challenge(ctx.listen_port, route, request.method)}},
               error_body("UNAUTHORIZED", "authentication required"),
               why == TokenAuth::Check::no_token ? "401 no token" : "401 bad token");
}

Outcome reply_unavailable(Context& ctx, ClientIo& io, const RequestHead& request, std::uint64_t n) {
  return reply(io, request, 503, {{"Retry-After", "0"}},
               error_body("UNAVAILABLE", "service unavailable (injected by pod-test-registry-proxy)"),
               "503 injected (" + std::to_string(n) + "/" + std::to_string(ctx.options.fail_first) + ")");
}

}  // namespace pod::testsupport::proxy
