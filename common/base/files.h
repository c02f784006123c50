// Reading the servers' own files (keys, the access policy, heads), and when
// a file was last modified, for those read again when they change.
#ifndef FAZHI_COMMON_BASE_FILES_H_
#define FAZHI_COMMON_BASE_FILES_H_

#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fazhi {

// The modification time of `path` in nanoseconds since the epoch; -1 when
// it cannot be read.
inline int64_t ModificationNanos(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

// The whole content of `path`, or nullopt when it cannot be read. Callers
// say which flag named the file.
inline std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace fazhi

#endif  // FAZHI_COMMON_BASE_FILES_H_
