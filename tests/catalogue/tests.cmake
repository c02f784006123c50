# Catalogue service tests (and benchmarks).
fazhi_cc_test(NAME catalogue_test LABELS integration
  SRCS
    catalogue/catalogue_service_test.cc
    catalogue/project_lifecycle_test.cc
    catalogue/project_filters_test.cc
    catalogue/national_regions_test.cc
    catalogue/catalogue_watch_test.cc
    catalogue/catalogue_streams_load_test.cc
    catalogue/catalogue_migration_test.cc
    catalogue/catalogue_access_test.cc
    catalogue/audit_service_test.cc
  DEPS catalogue_lib fazhi_test_env)
target_compile_definitions(catalogue_test PRIVATE FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# Benchmark (not a test: prints figures; see README "Benchmarks").
fazhi_cc_binary(NAME catalogue_bench SRCS catalogue/catalogue_bench.cc
  DEPS catalogue_lib fazhi_test_env fazhi_load)
fazhi_link_all_contracts(catalogue_bench)
target_compile_definitions(catalogue_bench PRIVATE
  FAZHI_SEEDS_DIR="${FAZHI_SEEDS_DIR}" FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
