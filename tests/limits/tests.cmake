# The limits of common/api/limits.h on the real services (issue #20), and the
# bad-input corpus across the four services.
fazhi_cc_test(NAME limits_test LABELS integration
  SRCS
    limits/limits_test.cc
    limits/oversized_records_test.cc
    limits/bad_input_corpus_test.cc
    limits/store_contents.cc
  DEPS gateway_test_backends)
