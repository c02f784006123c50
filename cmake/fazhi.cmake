# Helpers in the spirit of absl_cc_library: one call per target, our warnings on.

# fazhi_cc_library(NAME name SRCS ... DEPS ...)
function(fazhi_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${CMAKE_SOURCE_DIR})
  target_compile_options(${ARG_NAME} PRIVATE ${FAZHI_WARNINGS})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# fazhi_cc_binary(NAME name SRCS ... DEPS ...)
function(fazhi_cc_binary)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${FAZHI_WARNINGS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
endfunction()

# fazhi_cc_test(NAME name SRCS ... DEPS ... [LABELS ...])
# Each test binary is discovered by CTest test by test.
function(fazhi_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${FAZHI_WARNINGS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    FAZHI_SEEDS_DIR="${FAZHI_SEEDS_DIR}"
    FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    FAZHI_BINARY_DIR="${CMAKE_BINARY_DIR}")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}")
endfunction()

include(GoogleTest)

# Code generation. Every .proto is compiled with protoc and the gRPC plugin
# into ${CMAKE_BINARY_DIR}/gen, with proto/, the grpc-proto package and the
# protobuf includes on the import path.
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
set(FAZHI_GEN_DIR ${CMAKE_BINARY_DIR}/gen)
set(GRPC_PROTO_DIR /usr/share/grpc-proto)
file(MAKE_DIRECTORY ${FAZHI_GEN_DIR})

# fazhi_generate(<import root> <proto relative to it> <with grpc: TRUE|FALSE> <out list var>)
function(fazhi_generate ROOT REL GRPC OUT_VAR)
  get_filename_component(stem ${REL} NAME_WE)
  get_filename_component(sub ${REL} DIRECTORY)
  set(outs ${FAZHI_GEN_DIR}/${sub}/${stem}.pb.cc ${FAZHI_GEN_DIR}/${sub}/${stem}.pb.h)
  set(plugin_args)
  if(GRPC)
    list(APPEND outs ${FAZHI_GEN_DIR}/${sub}/${stem}.grpc.pb.cc ${FAZHI_GEN_DIR}/${sub}/${stem}.grpc.pb.h)
    set(plugin_args --grpc_out=${FAZHI_GEN_DIR} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
  endif()
  add_custom_command(
    OUTPUT ${outs}
    COMMAND protobuf::protoc
      -I${ROOT} -I${CMAKE_SOURCE_DIR}/proto -I${GRPC_PROTO_DIR} -I/usr/include
      --cpp_out=${FAZHI_GEN_DIR} ${plugin_args} ${ROOT}/${REL}
    DEPENDS ${ROOT}/${REL} protobuf::protoc
    COMMENT "protoc ${REL}"
    VERBATIM)
  set(${OUT_VAR} ${${OUT_VAR}} ${outs} PARENT_SCOPE)
endfunction()

# fazhi_proto_library(NAME name ROOT dir PROTOS a.proto ... DEPS ...)
# Message-only protos (a service's storage records), one library per service.
function(fazhi_proto_library)
  cmake_parse_arguments(ARG "" "NAME;ROOT" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(p ${ARG_PROTOS})
    fazhi_generate(${ARG_ROOT} ${p} FALSE srcs)
  endforeach()
  add_library(${ARG_NAME} STATIC ${srcs})
  target_include_directories(${ARG_NAME} PUBLIC ${FAZHI_GEN_DIR})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS} protobuf::libprotobuf)
endfunction()

# fazhi_link_all_contracts(target): link every generated contract into
# `target`, even those it never names, so the descriptor pool knows them all
# (tools that take method names and JSON at run time).
function(fazhi_link_all_contracts TARGET)
  target_link_options(${TARGET} PRIVATE
    -Wl,--whole-archive $<TARGET_FILE:fazhi_proto> -Wl,--no-whole-archive)
  add_dependencies(${TARGET} fazhi_proto)
endfunction()
