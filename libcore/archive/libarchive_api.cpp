#include "libcore/archive/libarchive_api.hpp"

#include "libcore/sys/dynamic_library.hpp"

namespace pod::core {
namespace {

constexpr const char* kLibrary = "libarchive.so.13";

LibArchive load() {
  void* library = load_library(kLibrary, "read or write tar streams", "apt-get install libarchive13");
  LibArchive api{};
#define POD_LIBARCHIVE_RESOLVE(name) \
  api.name = reinterpret_cast<decltype(api.name)>(library_symbol(library, kLibrary, #name));
  POD_LIBARCHIVE_FUNCTIONS(POD_LIBARCHIVE_RESOLVE)
#undef POD_LIBARCHIVE_RESOLVE
  return api;
}

}  // namespace

const LibArchive& libarchive() {
  static const LibArchive api = load();
  return api;
}

}  // namespace pod::core
