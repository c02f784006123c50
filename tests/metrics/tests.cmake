# Metrics service tests (and benchmarks).
fazhi_cc_test(NAME metrics_test LABELS integration
  SRCS
    metrics/metrics_rules_test.cc
    metrics/metrics_quality_test.cc
    metrics/metrics_history_test.cc
    metrics/metrics_service_test.cc
    metrics/metrics_watch_test.cc
    metrics/metrics_report_observations_test.cc
    metrics/metrics_rules_changes_test.cc
    metrics/metrics_migration_test.cc
    metrics/metrics_access_test.cc
  DEPS metrics_lib fazhi_test_env)
target_compile_definitions(metrics_test PRIVATE FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# Benchmarks (not tests, not in CTest: they print figures; see
# services/metrics/README.md).
fazhi_cc_binary(NAME metrics_ingest_bench SRCS metrics/metrics_ingest_bench.cc
  DEPS metrics_lib fazhi_test_env)
fazhi_cc_binary(NAME metrics_snapshot_bench SRCS metrics/metrics_snapshot_bench.cc
  DEPS metrics_lib fazhi_test_env)
