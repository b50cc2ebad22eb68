#include "tests/support/registry_proxy/forward.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <optional>

#include "libcore/sys/error.hpp"
#include "tests/support/registry_proxy/body.hpp"
#include "tests/support/registry_proxy/local_reply.hpp"
#include "tests/support/registry_proxy/shaper.hpp"

namespace pod::testsupport::proxy {
namespace {

// A stuck upstream must not hang a test forever; a local registry answers in milliseconds.
constexpr int kUpstreamTimeoutSeconds = 120;

constexpr std::array<std::string_view, 7> kHopByHop{"Connection", "Keep-Alive", "Proxy-Connection",   "TE",
                                                    "Upgrade",    "Expect",     "Proxy-Authorization"};

std::string authority(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

RequestHead upstream_request(const Context& ctx, const RequestHead& request) {
  RequestHead out = request;
  for (const auto name : kHopByHop) remove_header(out.headers, name);
  if (ctx.auth) remove_header(out.headers, "Authorization");
  out.version = "HTTP/1.1";
  set_header(out.headers, "Host", authority(ctx.options.upstream_port));
  set_header(out.headers, "Connection", "close");
  return out;
}

void set_timeouts(int fd) {
  const timeval timeout{kUpstreamTimeoutSeconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

// The final response head; interim 1xx responses are skipped (we never send Expect upstream).
ResponseHead read_final_head(Reader& upstream) {
  for (;;) {
    const auto raw = upstream.read_head(kHeadLimit);
    if (!raw) throw Error("upstream closed the connection without a response");
    ResponseHead head = parse_response_head(*raw);
    if (head.status >= 200 || head.status == 101) return head;
  }
}

void rewrite_response_head(const Context& ctx, ResponseHead& head, bool close) {
  remove_header(head.headers, "Connection");
  remove_header(head.headers, "Keep-Alive");
  const std::string from = "http://" + authority(ctx.options.upstream_port);
  for (auto& h : head.headers) {
    if (!iequals(h.name, "Location") || !h.value.starts_with(from)) continue;
    const std::string_view rest = std::string_view(h.value).substr(from.size());
    if (rest.empty() || rest.front() == '/' || rest.front() == '?')
      h.value = "http://" + authority(ctx.listen_port) + std::string(rest);
  }
  if (close) set_header(head.headers, "Connection", "close");
}

bool expects_continue(const RequestHead& request) {
  const auto expect = find_header(request.headers, "Expect");
  return expect && iequals(*expect, "100-continue");
}

std::string describe_body(const Shaping& shaping, const ShapedSink& shaped, std::uint64_t sent,
                          const std::string& note) {
  std::string action = shaped.is_cut() ? "dropped after " + std::to_string(sent) : "forwarded";
  if (shaping.bytes_per_sec) action += ", slow " + std::to_string(*shaping.bytes_per_sec) + " B/s";
  if (shaped.tampered()) action += ", tampered at " + std::to_string(*shaping.tamper_at);
  if (!note.empty()) action += ", " + note;
  return action;
}

}  // namespace

Outcome forward(Context& ctx, ClientIo& io, const RequestHead& request, const Route& route) {
  const Framing request_body = request_framing(request);
  UniqueFd upstream;
  std::optional<Tracker::Registration> registration;
  std::optional<Reader> upstream_in;
  ResponseHead response;
  std::string upstream_failure;
  try {
    upstream = connect_loopback(ctx.options.upstream_port);
    registration.emplace(ctx.tracker, upstream.get());
    set_timeouts(upstream.get());
    send_all(upstream.get(), serialize(upstream_request(ctx, request)), "upstream");
  } catch (const Error& e) {
    Outcome outcome = reply(io, request, 502, {}, error_body("UNAVAILABLE", "upstream: " + std::string(e.what())),
                            "502 upstream: " + std::string(e.what()));
    outcome.close = true;  // the request body may still be unread
    return outcome;
  }
  if (request_body.kind != Framing::Kind::none) {
    if (expects_continue(request)) send_all(io.fd, "HTTP/1.1 100 Continue\r\n\r\n", io.peer);
    SocketSink to_upstream(upstream.get(), "upstream");
    BestEffortSink best_effort(to_upstream);
    relay_body(io.in, request_body, best_effort);  // a client failure here ends the connection
    upstream_failure = best_effort.failure();
  }
  try {
    upstream_in.emplace(upstream.get(), "upstream");
    response = read_final_head(*upstream_in);
  } catch (const Error& e) {
    const std::string why = upstream_failure.empty() ? e.what() : upstream_failure;
    return reply(io, request, 502, {}, error_body("UNAVAILABLE", "upstream: " + why), "502 upstream: " + why);
  }

  const Framing framing = response_framing(response, request.method);
  const bool close = framing.kind == Framing::Kind::until_close || client_wants_close(request);
  rewrite_response_head(ctx, response, close);
  const Faults::BodyPlan plan = ctx.faults.plan_body(route, request.method, response.status, framing);
  send_all(io.fd, serialize(response), io.peer);

  SocketSink to_client(io.fd, io.peer);
  ShapedSink shaped(to_client, plan.shaping);
  Outcome outcome{response.status, 0, {}, close};
  try {
    relay_body(*upstream_in, framing, shaped);
    outcome.action = describe_body(plan.shaping, shaped, to_client.sent(), plan.note);
  } catch (const Error& e) {
    outcome.action = "aborted after " + std::to_string(to_client.sent()) + ": " + e.what();
    outcome.close = true;
  }
  outcome.bytes = to_client.sent();
  if (shaped.is_cut()) {
    end_sending(io.fd);
    outcome.close = true;
  }
  return outcome;
}

}  // namespace pod::testsupport::proxy
