# What the build takes from Debian 12: Boost 1.81 (Asio, Beast, JSON, URL), OpenSSL 3, valijson,
# and for the tests GoogleTest and the draft-07 meta-schema (python3-jsonschema).

find_package(Boost 1.81 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)

find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
add_library(valijson::valijson INTERFACE IMPORTED)
target_include_directories(valijson::valijson SYSTEM INTERFACE "${VALIJSON_INCLUDE_DIR}")

include(CTest)
if(BUILD_TESTING)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  find_file(DRAFT07_METASCHEMA draft7.json
    PATHS /usr/lib/python3/dist-packages/jsonschema/schemas NO_DEFAULT_PATH REQUIRED)
endif()
