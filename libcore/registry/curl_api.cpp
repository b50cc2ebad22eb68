#include "libcore/registry/curl_api.hpp"

#include "libcore/sys/dynamic_library.hpp"

namespace pod::core::registry {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";

template <class Fn>
void resolve(void* library, const char* name, Fn& out) {
  out = reinterpret_cast<Fn>(library_symbol(library, kLibrary, name));
}

CurlApi load() {
  void* library = load_library(kLibrary, "talk to registries", "apt-get install libcurl4");
  CurlApi api{};
  resolve(library, "curl_global_init", api.global_init);
  resolve(library, "curl_easy_init", api.easy_init);
  resolve(library, "curl_easy_cleanup", api.easy_cleanup);
  resolve(library, "curl_easy_reset", api.easy_reset);
  resolve(library, "curl_easy_setopt", api.easy_setopt);
  resolve(library, "curl_easy_perform", api.easy_perform);
  resolve(library, "curl_easy_getinfo", api.easy_getinfo);
  resolve(library, "curl_easy_strerror", api.easy_strerror);
  resolve(library, "curl_slist_append", api.slist_append);
  resolve(library, "curl_slist_free_all", api.slist_free_all);
  return api;
}

}  // namespace

const CurlApi& curl_api() {
  static const CurlApi api = load();
  return api;
}

}  // namespace pod::core::registry
