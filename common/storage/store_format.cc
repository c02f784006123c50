#include "common/storage/store_format.h"

#include "absl/strings/str_cat.h"
#include "common/base/logging.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"

namespace fazhi::storage {
namespace {

constexpr char kFormatTag = 'V';

absl::Status Stamp(Store& store, rocksdb::ColumnFamilyHandle* meta, uint32_t version) {
  rocksdb::WriteBatch batch;
  batch.Put(meta, FormatVersionKey(), EncodeUint32(version));
  return store.Write(&batch);
}

}  // namespace

std::string FormatVersionKey() { return KeyBuilder(kFormatTag).AddString("format").Build(); }

absl::StatusOr<uint32_t> ReadFormatVersion(const Store& store, rocksdb::ColumnFamilyHandle* meta) {
  auto value = store.Get(meta, FormatVersionKey());
  if (!value.ok()) return value.status();
  if (!value->has_value()) return 0;
  uint32_t version = 0;
  KeyReader reader(**value);
  if (!reader.ReadUint32(&version) || !reader.Done() || version == 0) {
    return errors::DataLoss("the store's format version is malformed");
  }
  return version;
}

absl::Status UpgradeFormat(Store& store, rocksdb::ColumnFamilyHandle* meta,
                           absl::string_view store_name, uint32_t current,
                           const std::vector<FormatMigration>& migrations) {
  auto stamped = ReadFormatVersion(store, meta);
  if (!stamped.ok()) return stamped.status();
  uint32_t version = *stamped;
  if (version == 0) {
    auto empty = store.Empty();
    if (!empty.ok()) return empty.status();
    if (*empty) return Stamp(store, meta, current);
    version = 1;  // written before format stamps existed
  }
  if (version > current) {
    return errors::FailedPrecondition(
        "STORE_FORMAT_TOO_NEW", store_name,
        absl::StrCat("the data is in store format ", version,
                     " but this server reads formats up to ", current,
                     "; run the server version that wrote it, or restore a backup "
                     "made by this version"));
  }
  while (version < current) {
    const FormatMigration* step = nullptr;
    for (const auto& m : migrations) {
      if (m.from == version) step = &m;
    }
    if (step == nullptr) {
      return errors::Internal(store_name, absl::StrCat("no migration from store format ", version));
    }
    FAZHI_LOG(INFO) << store_name << ": migrating store format " << version << " -> " << version + 1
                    << ": " << step->what;
    if (absl::Status s = step->run(store); !s.ok()) {
      FAZHI_LOG(ERROR) << store_name << ": migration from store format " << version
                       << " failed: " << s;
      return s;
    }
    ++version;
    if (absl::Status s = Stamp(store, meta, version); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace fazhi::storage
