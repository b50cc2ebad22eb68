// libcurl, loaded with dlopen when the first registry session starts rather than linked: on
// Debian it brings ~35 shared libraries (TLS stacks, LDAP, Kerberos…) whose loading costs every
// pod process 4 ms at start, though most commands (ps, exec, logs, run of a local image) never
// talk to a registry. The functions pod uses, resolved once; the types and constants still
// come from <curl/curl.h>. Only libcore/registry/http.cpp includes this.
#pragma once

#include <curl/curl.h>

namespace pod::core::registry {

struct CurlApi {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  void (*easy_reset)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);
};

// Loads libcurl.so.4 the first time (thread-safe). Throws Error naming the library and the fix
// when it is missing.
const CurlApi& curl_api();

}  // namespace pod::core::registry
