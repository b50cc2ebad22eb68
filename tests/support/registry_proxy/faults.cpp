#include "tests/support/registry_proxy/faults.hpp"

namespace pod::testsupport::proxy {
Faults::Faults(const Options& options) : options_(options) {}

std::uint64_t Faults::take_injected_failure(const Route& route) {
  if (options_.fail_first == 0 || !route.is_v2() || route.kind == Route::Kind::base) return 0;
  // Never wraps in practice; once past N every later request passes.
  const std::uint64_t number = ++failures_;
  return number <= options_.fail_first ? number : 0;
}

bool Faults::take_first_cut(const std::string& path) {
  std::lock_guard lock(mutex_);
  return cut_blobs_.insert(path).second;
}

Faults::BodyPlan Faults::plan_body(const Route& route, std::string_view method, int status, const Framing& framing) {
  BodyPlan plan;
  if (route.kind != Route::Kind::blob || method != "GET" || status < 200 || status > 299 ||
      framing.kind == Framing::Kind::none)
    return plan;
  const bool known_length = framing.kind == Framing::Kind::length;
  if (options_.drop_blob_after && known_length && framing.length > *options_.drop_blob_after &&
      take_first_cut(route.path)) {
    plan.shaping.cut_after = *options_.drop_blob_after;
  }
  plan.shaping.bytes_per_sec = options_.slow_blobs;
  if (options_.tamper_blobs) {
    if (known_length && framing.length > 0)
      plan.shaping.tamper_at = framing.length / 2;
    else
      plan.note = "tamper skipped (length unknown)";
  }
  return plan;
}

}  // namespace pod::testsupport::proxy
