# Compiler flags shared by every pod target: pod_target_defaults(<target>).
set(POD_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
if(POD_WERROR)
  list(APPEND POD_WARNINGS -Werror)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

if(POD_SANITIZE)
  add_compile_options(-fsanitize=${POD_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${POD_SANITIZE})
endif()

function(pod_target_defaults target)
  target_compile_options(${target} PRIVATE ${POD_WARNINGS})
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
  # Only the shared libraries a binary calls are loaded when it starts (pod-runtime needs no
  # libcurl): startup time is part of every container's start.
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_link_options(${target} PRIVATE -Wl,--as-needed)
  endif()
endfunction()
