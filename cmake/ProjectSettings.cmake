# Language level, visibility, build type, warnings and sanitizers for every target.

if(NOT CMAKE_BUILD_TYPE)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_C_STANDARD 99)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
# Everything is hidden unless marked: only the plugin's entry leaves the .so.
set(CMAKE_CXX_VISIBILITY_PRESET hidden)
set(CMAKE_C_VISIBILITY_PRESET hidden)
set(CMAKE_VISIBILITY_INLINES_HIDDEN ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
set(CMAKE_CXX_FLAGS_RELEASE "-O2 -DNDEBUG")

# Warnings as errors for the project's own code; targets opt in by linking fd_warnings.
add_library(fd_warnings INTERFACE)
target_compile_options(fd_warnings INTERFACE -Wall -Wextra -Wpedantic -Werror
  # GCC 12 reports false -Wrestrict positives inside std::string's operator+ (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

set(FD_SANITIZE "" CACHE STRING "Build with sanitizers: address (ASan+UBSan+LSan), thread, or empty for none")
set_property(CACHE FD_SANITIZE PROPERTY STRINGS "" address thread)
if(FD_SANITIZE STREQUAL "address")
  # -Wno-maybe-uninitialized: sanitizer instrumentation makes GCC 12 see ghosts in <regex>.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
                      -Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
elseif(FD_SANITIZE STREQUAL "thread")
  # -Wno-tsan: Asio's atomic_thread_fence trips GCC 12's -Wtsan under -Werror.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(NOT FD_SANITIZE STREQUAL "" AND NOT FD_SANITIZE STREQUAL "OFF")
  message(FATAL_ERROR "FD_SANITIZE must be address, thread or empty, not ${FD_SANITIZE}")
endif()

option(FD_FUZZ "Build the libFuzzer targets (needs clang)" OFF)
if(FD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
