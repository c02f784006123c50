# The limits of common/api/limits.h on the real services (issue #20).
fazhi_cc_test(NAME limits_test LABELS integration
  SRCS limits/limits_test.cc limits/oversized_records_test.cc
  DEPS gateway_test_backends)
