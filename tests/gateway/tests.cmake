# Gateway tests (and benchmarks).
fazhi_cc_library(NAME gateway_test_backends SRCS gateway/backend_servers.cc
  DEPS gateway_lib catalogue_lib metrics_lib report_lib fazhi_test_env GTest::gtest)

fazhi_cc_test(NAME gateway_test LABELS unit
  SRCS
    gateway/summary_assembler_test.cc
    gateway/summary_scoring_test.cc
    gateway/project_timeliness_test.cc
    gateway/project_dossier_test.cc
    gateway/gateway_cache_test.cc
  DEPS gateway_lib fazhi_test_env)

fazhi_cc_test(NAME gateway_service_test LABELS integration
  SRCS
    gateway/gateway_service_test.cc
    gateway/gateway_freshness_test.cc
  DEPS gateway_test_backends)

# Benchmark (not a test: prints figures; see services/gateway/README.md).
fazhi_cc_binary(NAME gateway_bench SRCS gateway/gateway_bench.cc
  DEPS gateway_test_backends fazhi_load fazhictl_import)
fazhi_link_all_contracts(gateway_bench)
target_compile_definitions(gateway_bench PRIVATE
  FAZHI_SEEDS_DIR="${FAZHI_SEEDS_DIR}" FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
