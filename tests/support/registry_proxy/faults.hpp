// The modes that break things on purpose and the per-process state they keep: how many 503s
// are still due, which blobs have had their one cut response. Thread-safe: connections share it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "tests/support/registry_proxy/http.hpp"
#include "tests/support/registry_proxy/options.hpp"
#include "tests/support/registry_proxy/route.hpp"
#include "tests/support/registry_proxy/shaper.hpp"

namespace pod::testsupport::proxy {

class Faults {
 public:
  explicit Faults(const Options& options);

  // --fail-first: 1-based number of the injected failure, or 0 when this request passes.
  // Counts requests to /v2/ paths other than the base endpoint.
  std::uint64_t take_injected_failure(const Route& route);

  struct BodyPlan {
    Shaping shaping;
    std::string note;  // for the log, when a mode could not apply
  };
  // What to do to a response body about to be relayed. Only successful GETs of blobs are
  // touched; --drop-blob-after cuts the first such response per blob path (later ones, Range
  // requests included, pass) and --tamper-blobs needs the length up front.
  BodyPlan plan_body(const Route& route, std::string_view method, int status, const Framing& framing);

 private:
  bool take_first_cut(const std::string& path);

  const Options& options_;
  std::atomic<std::uint64_t> failures_{0};
  std::mutex mutex_;
  std::set<std::string> cut_blobs_;  // guarded by mutex_
};

}  // namespace pod::testsupport::proxy
