# Report service tests (and benchmarks).
fazhi_cc_test(NAME report_test LABELS integration
  SRCS
    report/report_structure_test.cc
    report/report_analysis_test.cc
    report/report_service_test.cc
  DEPS report_lib fazhi_test_env)
