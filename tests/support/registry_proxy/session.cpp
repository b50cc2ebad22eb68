#include "tests/support/registry_proxy/session.hpp"

#include <cstdio>
#include <optional>

#include "libcore/sys/error.hpp"
#include "tests/support/registry_proxy/forward.hpp"
#include "tests/support/registry_proxy/local_reply.hpp"

namespace pod::testsupport::proxy {
namespace {

Outcome handle(Context& ctx, ClientIo& io, const RequestHead& request) {
  const Route route = classify(request.target);
  if (ctx.auth && route.kind == Route::Kind::token) return reply_token(ctx, io, request);
  if (const std::uint64_t n = ctx.faults.take_injected_failure(route)) return reply_unavailable(ctx, io, request, n);
  if (ctx.auth && route.is_v2()) {
    const auto check = ctx.auth->check(find_header(request.headers, "Authorization"));
    if (check != TokenAuth::Check::ok) return reply_unauthorized(ctx, io, request, route, check);
  }
  return forward(ctx, io, request, route);
}

LogEntry entry_for(std::uint64_t id, const RequestHead& request) {
  const auto range = find_header(request.headers, "Range");
  return {id, request.method, request.target, 0, 0, range ? std::string(*range) : std::string(), {}};
}

// Reads the next request head; nullopt when the connection is done (closed, or unreadable
// after a 400 went out).
std::optional<RequestHead> next_request(Context& ctx, ClientIo& io, std::uint64_t id) {
  try {
    const auto raw = io.in.read_head(kHeadLimit);
    if (!raw) return std::nullopt;
    return parse_request_head(*raw);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::invalid_input) return std::nullopt;  // the client went away
    const RequestHead unknown{"-", "-", "HTTP/1.1", {{"Connection", "close"}}};
    LogEntry entry = entry_for(id, unknown);
    entry.action = std::string("400 ") + e.what();
    try {
      const Outcome outcome = reply(io, unknown, 400, {}, error_body("BAD_REQUEST", e.what()), entry.action);
      entry.status = outcome.status;
      entry.bytes = outcome.bytes;
    } catch (const Error&) {  // the client may be gone too; the log line says what happened
    }
    ctx.log.write(entry);
    return std::nullopt;
  }
}

void serve_requests(Context& ctx, ClientIo& io, std::uint64_t id) {
  while (!ctx.tracker.is_stopping()) {
    const auto request = next_request(ctx, io, id);
    if (!request) return;
    LogEntry entry = entry_for(id, *request);
    try {
      const Outcome outcome = handle(ctx, io, *request);
      entry.status = outcome.status;
      entry.bytes = outcome.bytes;
      entry.action = outcome.action;
      ctx.log.write(entry);
      if (outcome.close || client_wants_close(*request)) return;
    } catch (const Error& e) {
      entry.action = std::string("aborted: ") + e.what();
      ctx.log.write(entry);
      return;
    }
  }
}

}  // namespace

void serve_connection(Context& ctx, UniqueFd client, std::uint64_t id) noexcept {
  try {
    const auto registration = ctx.tracker.track(client.get());
    Reader in(client.get(), "client #" + std::to_string(id));
    ClientIo io{client.get(), in, in.peer()};
    serve_requests(ctx, io, id);
    end_sending(client.get());
  } catch (const std::exception& e) {  // only allocation failures get here
    std::fprintf(stderr, "pod-test-registry-proxy: connection #%llu: %s\n", static_cast<unsigned long long>(id),
                 e.what());
  }
}

}  // namespace pod::testsupport::proxy
