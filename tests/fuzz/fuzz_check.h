// FUZZ_CHECK(condition): a property the fuzz targets hold the readers to.
// A failure prints the condition and aborts, which libFuzzer reports as a
// crash with the input that caused it.
#ifndef FAZHI_TESTS_FUZZ_FUZZ_CHECK_H_
#define FAZHI_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                       \
  do {                                                                              \
    if (!(condition)) {                                                             \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, \
                   #condition);                                                     \
      std::abort();                                                                 \
    }                                                                               \
  } while (false)

#endif  // FAZHI_TESTS_FUZZ_FUZZ_CHECK_H_
