#include "common/storage/audit_trail.h"

#include <openssl/sha.h>

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/storage/key_codec.h"
#include "common/storage/scan.h"

namespace fazhi::storage {
namespace {

constexpr char kEntryTag = 'a';
constexpr char kRecordTag = 'r';

// The last write to each key of one column family in a batch: its value,
// or nullopt for a delete.
class FamilyWrites : public rocksdb::WriteBatch::Handler {
 public:
  explicit FamilyWrites(uint32_t family_id) : family_id_(family_id) {}

  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    if (id == family_id_) writes_[key.ToString()] = value.ToString();
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    if (id == family_id_) writes_[key.ToString()] = std::nullopt;
    return rocksdb::Status::OK();
  }
  rocksdb::Status SingleDeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    return DeleteCF(id, key);
  }

  const std::map<std::string, std::optional<std::string>>& writes() const { return writes_; }

 private:
  uint32_t family_id_;
  std::map<std::string, std::optional<std::string>> writes_;
};

absl::StatusOr<admin::v1::AuditEntry> ParseEntry(absl::string_view bytes, uint64_t sequence) {
  admin::v1::AuditEntry entry;
  if (!entry.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      entry.sequence() != static_cast<int64_t>(sequence)) {
    return errors::DataLoss(absl::StrCat("audit entry ", sequence, " is malformed"));
  }
  return entry;
}

bool ReadEntryKey(absl::string_view key, uint64_t* sequence) {
  KeyReader reader(key);
  char tag = 0;
  return reader.ReadTag(&tag) && tag == kEntryTag && reader.ReadUint64(sequence) && reader.Done();
}

}  // namespace

std::string Caller::actor() const {
  if (on_behalf_of.empty()) return principal;
  return absl::StrCat(on_behalf_of, " via ", principal);
}

std::string AuditEntryKey(uint64_t sequence) {
  return KeyBuilder(kEntryTag).AddUint64(sequence).Build();
}

std::string AuditRecordKey(absl::string_view resource, uint64_t sequence) {
  return KeyBuilder(kRecordTag).AddString(resource).AddUint64(sequence).Build();
}

bool IsAuditKey(absl::string_view key) {
  return !key.empty() && (key.front() == kEntryTag || key.front() == kRecordTag);
}

std::string Sha256(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(Store& store, Options options) {
  Head head;
  auto it = store.NewPrefixIterator(options.cf, std::string(1, kEntryTag), nullptr);
  it->SeekToLast();
  if (it->Valid()) {
    if (!ReadEntryKey(absl::string_view(it->key().data(), it->key().size()), &head.sequence)) {
      return errors::DataLoss("the last audit entry key is malformed");
    }
    head.sha256 = Sha256(absl::string_view(it->value().data(), it->value().size()));
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "read the last audit entry");
  return std::unique_ptr<AuditTrail>(new AuditTrail(store, std::move(options), std::move(head)));
}

admin::v1::AuditEntry AuditTrail::EntryOf(const Caller& caller) const {
  admin::v1::AuditEntry entry;
  *entry.mutable_time() = ToTimestamp(options_.clock());
  entry.set_principal(caller.principal);
  entry.set_on_behalf_of(caller.on_behalf_of);
  entry.set_method(caller.method);
  entry.set_request_id(caller.request_id);
  entry.set_policy_version(caller.policy_version);
  return entry;
}

absl::Status AuditTrail::Write(rocksdb::WriteBatch& batch, const Caller& caller,
                               uint64_t first_change, uint64_t last_change) {
  admin::v1::AuditEntry entry = EntryOf(caller);
  entry.set_first_change(static_cast<int64_t>(first_change));
  entry.set_last_change(static_cast<int64_t>(last_change));
  FamilyWrites writes(options_.records_cf->GetID());
  if (rocksdb::Status s = batch.Iterate(&writes); !s.ok()) {
    return FromRocksDb(s, "read the write's records");
  }
  for (const auto& [key, after] : writes.writes()) {
    auto before = store_.Get(options_.records_cf, key);
    if (!before.ok()) return before.status();
    const std::string& named_by = after.has_value() ? *after : before->value_or("");
    const std::string resource = options_.name_record(key, named_by);
    if (resource.empty() || (!before->has_value() && !after.has_value())) continue;
    auto* record = entry.add_records();
    record->set_resource(resource);
    if (before->has_value()) record->set_before_sha256(Sha256(**before));
    if (after.has_value()) record->set_after_sha256(Sha256(*after));
  }
  absl::MutexLock lock(&mu_);
  return AppendAndWrite(batch, std::move(entry));
}

absl::Status AuditTrail::WriteCall(const Caller& caller, int code, absl::string_view reason) {
  admin::v1::AuditEntry entry = EntryOf(caller);
  entry.set_code(code);
  entry.set_reason(std::string(reason));
  rocksdb::WriteBatch batch;
  absl::MutexLock lock(&mu_);
  return AppendAndWrite(batch, std::move(entry));
}

absl::Status AuditTrail::AppendAndWrite(rocksdb::WriteBatch& batch, admin::v1::AuditEntry entry) {
  const uint64_t sequence = head_.sequence + 1;
  entry.set_sequence(static_cast<int64_t>(sequence));
  entry.set_previous_sha256(head_.sha256);
  const std::string bytes = entry.SerializeAsString();
  batch.Put(options_.cf, AuditEntryKey(sequence), bytes);
  for (const auto& record : entry.records()) {
    batch.Put(options_.cf, AuditRecordKey(record.resource(), sequence), "");
  }
  if (absl::Status s = store_.Write(&batch); !s.ok()) return s;
  head_ = Head{sequence, Sha256(bytes)};
  return absl::OkStatus();
}

AuditTrail::Head AuditTrail::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

absl::Status AuditTrail::ForEachStored(
    const std::function<absl::Status(uint64_t, absl::string_view)>& visit) const {
  auto it = store_.NewPrefixIterator(options_.cf, std::string(1, kEntryTag), nullptr);
  for (it->Seek(AuditEntryKey(0)); it->Valid(); it->Next()) {
    uint64_t sequence = 0;
    if (!ReadEntryKey(absl::string_view(it->key().data(), it->key().size()), &sequence)) {
      return errors::DataLoss("an audit entry key is malformed");
    }
    absl::Status s = visit(sequence, absl::string_view(it->value().data(), it->value().size()));
    if (!s.ok()) return s;
  }
  return FromRocksDb(it->status(), "read the audit trail");
}

absl::StatusOr<std::vector<admin::v1::AuditEntry>> AuditTrail::EntriesAfter(uint64_t after,
                                                                            int limit) const {
  std::vector<admin::v1::AuditEntry> out;
  auto it = store_.NewPrefixIterator(options_.cf, std::string(1, kEntryTag), nullptr);
  for (it->Seek(AuditEntryKey(after + 1)); it->Valid() && static_cast<int>(out.size()) < limit;
       it->Next()) {
    uint64_t sequence = 0;
    if (!ReadEntryKey(absl::string_view(it->key().data(), it->key().size()), &sequence)) {
      return errors::DataLoss("an audit entry key is malformed");
    }
    auto entry = ParseEntry(absl::string_view(it->value().data(), it->value().size()), sequence);
    if (!entry.ok()) return entry.status();
    out.push_back(*std::move(entry));
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "read the audit trail");
  return out;
}

absl::StatusOr<std::vector<admin::v1::AuditEntry>> AuditTrail::EntriesOf(
    absl::string_view resource, absl::string_view resume_after, int limit,
    std::string* next_resume_key) const {
  std::vector<admin::v1::AuditEntry> out;
  const std::string prefix = KeyBuilder(kRecordTag).AddString(resource).Build();
  absl::Status s = ScanPage(
      store_, options_.cf, nullptr, prefix, resume_after, limit,
      [&](absl::string_view key, absl::string_view) -> absl::StatusOr<bool> {
        KeyReader reader(key);
        char tag = 0;
        std::string name;
        uint64_t sequence = 0;
        if (!reader.ReadTag(&tag) || !reader.ReadString(&name) || !reader.ReadUint64(&sequence) ||
            !reader.Done()) {
          return errors::DataLoss("an audit index key is malformed");
        }
        auto bytes = store_.Get(options_.cf, AuditEntryKey(sequence));
        if (!bytes.ok()) return bytes.status();
        if (!bytes->has_value()) {
          return errors::DataLoss(
              absl::StrCat("audit entry ", sequence, " of ", resource, " is indexed but missing"));
        }
        auto entry = ParseEntry(**bytes, sequence);
        if (!entry.ok()) return entry.status();
        out.push_back(*std::move(entry));
        return true;
      },
      next_resume_key);
  if (!s.ok()) return s;
  return out;
}

}  // namespace fazhi::storage
