// Shared libraries loaded when first needed (dlopen) instead of at every start: libcurl and
// libarchive, whose dependency trees cost milliseconds that most pod commands never use.
#pragma once

#include <string>

namespace pod {

// dlopen(`soname`), kept for the process's life. Throws Error "cannot load <soname> to
// <purpose> (fix: <fix>): <why>".
void* load_library(const char* soname, const char* purpose, const char* fix);

// dlsym; throws Error naming the library and symbol when it is absent (too old a version).
void* library_symbol(void* library, const char* soname, const char* name);

}  // namespace pod
