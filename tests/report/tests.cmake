# Report service tests (and benchmarks).
fazhi_cc_test(NAME report_test LABELS integration
  SRCS
    report/report_structure_test.cc
    report/report_analysis_test.cc
    report/report_service_test.cc
    report/report_filing_test.cc
    report/figure_extraction_test.cc
    report/figure_period_test.cc
    report/text_intake_test.cc
    report/title_and_kind_test.cc
    report/page_reading_test.cc
    report/report_search_test.cc
    report/search_hits_test.cc
    report/report_watch_test.cc
    report/report_publishing_test.cc
    report/report_migration_test.cc
    report/portal_corpus_test.cc
  DEPS report_lib metrics_lib catalogue_lib fazhi_test_env portal_corpus)
target_compile_definitions(report_test PRIVATE FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# Benchmark (not registered with CTest): build/tests/report_bench --help in
# its header. Prints throughput and search p50/p99 next to SQLite FTS5.
fazhi_cc_binary(NAME report_bench SRCS report/report_bench.cc DEPS report_lib sqlite3)
target_compile_definitions(report_bench PRIVATE
  FAZHI_SEEDS_DIR="${FAZHI_SEEDS_DIR}" FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# Benchmark: the reader's time on the costliest texts the limit admits, next
# to a real report's (build/tests/report_intake_bench).
fazhi_cc_binary(NAME report_intake_bench SRCS report/report_intake_bench.cc DEPS report_lib)
target_compile_definitions(report_intake_bench PRIVATE
  FAZHI_SEEDS_DIR="${FAZHI_SEEDS_DIR}" FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")

# The portal corpus (tests/report/portal_corpus/): its labels, and the
# scoring of the reader against them, shared by the corpus test and the
# scoreboard (build/tests/portal_corpus_score prints every page's mistakes).
fazhi_proto_library(
  NAME portal_corpus_proto
  ROOT ${CMAKE_CURRENT_SOURCE_DIR}/report
  PROTOS portal_corpus/labels.proto
  DEPS fazhi_proto)
fazhi_cc_library(NAME portal_corpus SRCS report/portal_corpus.cc
  DEPS portal_corpus_proto report_lib fazhi_test_env)
target_compile_definitions(portal_corpus PRIVATE FAZHI_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
fazhi_cc_binary(NAME portal_corpus_score SRCS report/portal_corpus_score.cc DEPS portal_corpus)
