// When a file was last modified, for the servers' files that are read again
// when they change (the access policy, development token keys).
#ifndef FAZHI_COMMON_BASE_FILE_MTIME_H_
#define FAZHI_COMMON_BASE_FILE_MTIME_H_

#include <sys/stat.h>

#include <cstdint>
#include <string>

namespace fazhi {

// The modification time of `path` in nanoseconds since the epoch; -1 when
// it cannot be read.
inline int64_t ModificationNanos(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

}  // namespace fazhi

#endif  // FAZHI_COMMON_BASE_FILE_MTIME_H_
