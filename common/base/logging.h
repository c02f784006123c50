// Minimal logging and invariant checks.
//
// Abseil 20220623 (Debian 12) ships neither absl/log nor CHECK, so the suite
// has these two: FAZHI_LOG(severity) << ... writes one line to stderr, and
// FAZHI_CHECK(condition) << ... aborts with a message when a broken invariant
// (never a caller's fault) is found.
#ifndef FAZHI_COMMON_BASE_LOGGING_H_
#define FAZHI_COMMON_BASE_LOGGING_H_

#include <sstream>
#include <string>

namespace fazhi::logging {

enum class Severity { kInfo, kWarning, kError, kFatal };

// Collects one line and writes it (with time, severity and source position)
// when destroyed; kFatal then aborts.
class LogLine {
 public:
  LogLine(Severity severity, const char* file, int line);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  std::ostream& stream() { return stream_; }

 private:
  Severity severity_;
  std::ostringstream stream_;
};

// Sets the program name printed on each line (defaults to "fazhi").
void SetProgramName(const std::string& name);

}  // namespace fazhi::logging

#define FAZHI_LOG_SEVERITY_INFO ::fazhi::logging::Severity::kInfo
#define FAZHI_LOG_SEVERITY_WARNING ::fazhi::logging::Severity::kWarning
#define FAZHI_LOG_SEVERITY_ERROR ::fazhi::logging::Severity::kError
#define FAZHI_LOG_SEVERITY_FATAL ::fazhi::logging::Severity::kFatal

#define FAZHI_LOG(severity) \
  ::fazhi::logging::LogLine(FAZHI_LOG_SEVERITY_##severity, __FILE__, __LINE__).stream()

#define FAZHI_CHECK(condition)                                                                 \
  if (condition) {                                                                             \
  } else                                                                                       \
    ::fazhi::logging::LogLine(::fazhi::logging::Severity::kFatal, __FILE__, __LINE__).stream() \
        << "Check failed: " #condition " "

#endif  // FAZHI_COMMON_BASE_LOGGING_H_
