#include "storage/libarchive_api.hpp"

#include <dlfcn.h>

#include <string>

#include "libcore/sys/error.hpp"

namespace pod::storage {
namespace {

constexpr const char* kLibrary = "libarchive.so.13";

LibArchive load() {
  void* library = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    throw Error(std::string("cannot load ") + kLibrary + " to read or write tar streams (fix: apt-get install libarchive13): " +
                (why ? why : "unknown error"));
  }
  LibArchive api{};
#define POD_LIBARCHIVE_RESOLVE(name)                                                                   \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(library, #name));                            \
  if (api.name == nullptr) throw Error(std::string(kLibrary) + " has no " #name ": it is too old for pod");
  POD_LIBARCHIVE_FUNCTIONS(POD_LIBARCHIVE_RESOLVE)
#undef POD_LIBARCHIVE_RESOLVE
  return api;  // the library stays loaded for the process's life
}

}  // namespace

const LibArchive& libarchive() {
  static const LibArchive api = load();
  return api;
}

}  // namespace pod::storage
