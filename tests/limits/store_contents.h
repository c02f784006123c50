// A store's whole contents, column family by column family, read from its
// directory while its server runs (a read-only RocksDB open, which replays
// the WAL and takes no lock), for tests that check a store was left as it
// was.
#ifndef FAZHI_TESTS_LIMITS_STORE_CONTENTS_H_
#define FAZHI_TESTS_LIMITS_STORE_CONTENTS_H_

#include <functional>
#include <map>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::limits_test {

// family name -> (key -> value).
using StoreContents = std::map<std::string, std::map<std::string, std::string>>;

// Keys a comparison leaves out, by family and key.
using KeyFilter = std::function<bool(absl::string_view family, absl::string_view key)>;

// The audit log that refused calls may write: keys of the "changes" family
// that begin with 'a' (the audit entries and their index). The one place to
// change when the audit layout does.
bool IsAuditKey(absl::string_view family, absl::string_view key);

// Every key and value of the RocksDB at `db_path` except those `skip`
// accepts; `log_dir` receives RocksDB's info log so the running server's is
// left alone. Fails the test when the store cannot be read.
StoreContents ReadStoreContents(const std::string& db_path, const std::string& log_dir,
                                const KeyFilter& skip);

}  // namespace fazhi::limits_test

#endif  // FAZHI_TESTS_LIMITS_STORE_CONTENTS_H_
