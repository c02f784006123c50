# Catalogue service tests (and benchmarks).
fazhi_cc_test(NAME catalogue_test LABELS integration
  SRCS
    catalogue/catalogue_service_test.cc
    catalogue/project_lifecycle_test.cc
    catalogue/project_filters_test.cc
  DEPS catalogue_lib fazhi_test_env)
