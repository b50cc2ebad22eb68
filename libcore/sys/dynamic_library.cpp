#include "libcore/sys/dynamic_library.hpp"

#include <dlfcn.h>

#include "libcore/sys/error.hpp"

namespace pod {

void* load_library(const char* soname, const char* purpose, const char* fix) {
  void* library = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    throw Error(std::string("cannot load ") + soname + " to " + purpose + " (fix: " + fix + "): " +
                (why ? why : "unknown error"));
  }
  return library;
}

void* library_symbol(void* library, const char* soname, const char* name) {
  void* symbol = ::dlsym(library, name);
  if (symbol == nullptr) throw Error(std::string(soname) + " has no " + name + ": it is too old for pod");
  return symbol;
}

}  // namespace pod
