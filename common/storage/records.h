// Reading a service's storage records (numbering them: sequence.h).
//
// Every record a service writes is one of its own protos with a
// `format_version` field (1 today); a reader refuses versions it does not
// know rather than misreading them.
#ifndef FAZHI_COMMON_STORAGE_RECORDS_H_
#define FAZHI_COMMON_STORAGE_RECORDS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "common/storage/store.h"

namespace fazhi::storage {

// The storage format every service writes today.
inline constexpr uint32_t kRecordFormatVersion = 1;

// Parses `bytes` as a Record (a proto with `format_version`). `what` names
// it in errors ("project record").
template <typename Record>
absl::StatusOr<Record> ParseRecord(absl::string_view bytes, absl::string_view what) {
  Record record;
  if (!record.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return errors::DataLoss(absl::StrCat("a ", what, " does not parse"));
  }
  if (record.format_version() != kRecordFormatVersion) {
    return errors::DataLoss(absl::StrCat("a ", what, " has format version ",
                                         record.format_version(), "; this server reads ",
                                         kRecordFormatVersion));
  }
  return record;
}

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_RECORDS_H_
