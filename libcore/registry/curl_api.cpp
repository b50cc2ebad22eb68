#include "libcore/registry/curl_api.hpp"

#include <dlfcn.h>

#include "libcore/sys/error.hpp"

namespace pod::core::registry {
namespace {

constexpr const char* kLibrary = "libcurl.so.4";

template <class Fn>
void resolve(void* library, const char* name, Fn& out) {
  void* symbol = ::dlsym(library, name);
  if (symbol == nullptr) throw Error(std::string(kLibrary) + " has no " + name + ": it is too old (pod needs libcurl 7.85 or later)");
  out = reinterpret_cast<Fn>(symbol);
}

CurlApi load() {
  void* library = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    throw Error(std::string("cannot load ") + kLibrary + " to talk to registries (fix: apt-get install libcurl4): " +
                (why ? why : "unknown error"));
  }
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
  return api;  // the library stays loaded for the process's life
}

}  // namespace

const CurlApi& curl_api() {
  static const CurlApi api = load();
  return api;
}

}  // namespace pod::core::registry
