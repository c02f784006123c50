# Metrics service tests (and benchmarks).
fazhi_cc_test(NAME metrics_test LABELS integration
  SRCS
    metrics/metrics_rules_test.cc
    metrics/metrics_service_test.cc
  DEPS metrics_lib fazhi_test_env)
