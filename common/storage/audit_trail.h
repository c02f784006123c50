// The audit trail of a store: one entry per call that changed data and per
// call that was refused (fazhi.admin.v1.AuditEntry), kept in the store's
// change-log family beside the changes and written in the same WriteBatch as
// the data it describes, so an acknowledged change always has its entry and
// an entry never describes a change that did not happen.
//
//   'a' | sequence u64 BE                    -> AuditEntry
//   61  | 00 00 00 00 00 00 00 2a            (entry 42)
//   'r' | resource escaped | sequence u64 BE -> ""   (the entries of one record)
//   72  | "projects/x" 00 01 | 00 00 00 00 00 00 00 2a
//
// Entries are numbered 1, 2, ... with no gap, and each holds the SHA-256 of
// the previous entry's stored bytes, so the entries form one chain: an entry
// edited or removed breaks it at that point. A chain rewritten end to end,
// or cut short, still chains; what shows it is a head of the chain signed
// with a key kept off the store's volume (SignedHead, audit_chain.h).
// Nothing trims these keys.
//
// For each record a call changed, the entry names the record's resource
// and the SHA-256 of its stored bytes before and after, read from the
// WriteBatch itself: the store says which keys are records and what each is
// called (RecordNamer), so no write path can forget to report one.
#ifndef FAZHI_COMMON_STORAGE_AUDIT_TRAIL_H_
#define FAZHI_COMMON_STORAGE_AUDIT_TRAIL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/base/clock.h"
#include "common/storage/store.h"
#include "fazhi/admin/v1/audit_service.pb.h"

namespace fazhi::storage {

// Who made a write, through which call: what its audit entry records, and
// the actor its change records name. Made by the authorizer
// (common/server/authorizer.h) from the authenticated call; a string
// converts to a caller of that name with no call (for tests and tools that
// use a store directly).
struct Caller {
  Caller() = default;
  Caller(std::string principal_name) : principal(std::move(principal_name)) {}  // NOLINT
  Caller(const char* principal_name) : principal(principal_name) {}             // NOLINT

  // The authenticated principal; "system" for a change the server makes on
  // its own.
  std::string principal = "system";
  // The end user a service acts for; empty when the principal acts for
  // itself.
  std::string on_behalf_of;
  // "/package.Service/Method"; empty outside a call.
  std::string method;
  // The request's own id (request_id field or "x-request-id"), if any.
  std::string request_id;
  std::string policy_version;

  // What change records and provenance name: "user/a" or
  // "user/a via svc/report".
  std::string actor() const;
};

// The resource name of the record stored at `key` of the records family
// with `value` (its bytes after the write, or before a delete), or "" when
// the key is not a record of its own (a superseded revision, say).
using RecordNamer = std::function<std::string(absl::string_view key, absl::string_view value)>;

class AuditTrail {
 public:
  struct Options {
    // The family the entries live in (the store's change log family).
    rocksdb::ColumnFamilyHandle* cf = nullptr;
    // The family whose keys are the store's records, and their names.
    rocksdb::ColumnFamilyHandle* records_cf = nullptr;
    RecordNamer name_record;
    Clock clock = SystemClock();
  };

  // Reads the chain's last entry so that numbering and chaining continue.
  static absl::StatusOr<std::unique_ptr<AuditTrail>> Open(Store& store, Options options);

  // Adds the entry of `caller`'s write to `batch` (whose record keys it
  // digests, reading their values before the write), writes the batch, and
  // moves the head on when it is written. `first_change`..`last_change` are
  // the batch's change-log sequences (0, 0 when none). The caller holds the
  // store's write mutex, so that "before" is what the batch replaces.
  absl::Status Write(rocksdb::WriteBatch& batch, const Caller& caller, uint64_t first_change,
                     uint64_t last_change);

  // Writes the entry of a call that changed no record: a refusal (its code
  // and reason) or an action on the store as a whole (code 0 and what was
  // done, e.g. a backup).
  absl::Status WriteCall(const Caller& caller, int code, absl::string_view reason);

  // The head: the last entry's sequence (0 when none) and SHA-256.
  struct Head {
    uint64_t sequence = 0;
    std::string sha256;
  };
  Head head() const;

  // Up to `limit` entries with a sequence above `after`, oldest first.
  absl::StatusOr<std::vector<admin::v1::AuditEntry>> EntriesAfter(uint64_t after, int limit) const;
  // Up to `limit` entries that changed `resource`, after the index key
  // `resume_after` ("" from the start); `*next_resume_key` as ScanPage.
  absl::StatusOr<std::vector<admin::v1::AuditEntry>> EntriesOf(absl::string_view resource,
                                                               absl::string_view resume_after,
                                                               int limit,
                                                               std::string* next_resume_key) const;

  // Calls `visit` with each entry's sequence and stored bytes, oldest first
  // (verification reads the bytes as stored).
  absl::Status ForEachStored(
      const std::function<absl::Status(uint64_t sequence, absl::string_view bytes)>& visit) const;

 private:
  AuditTrail(Store& store, Options options, Head head)
      : store_(store), options_(std::move(options)), head_(std::move(head)) {}
  // Appends the entry (sequence and previous hash set here) to `batch`,
  // writes it, and moves the head. Requires mu_.
  absl::Status AppendAndWrite(rocksdb::WriteBatch& batch, admin::v1::AuditEntry entry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  admin::v1::AuditEntry EntryOf(const Caller& caller) const;

  Store& store_;
  const Options options_;
  mutable absl::Mutex mu_;
  Head head_ ABSL_GUARDED_BY(mu_);
};

// The key of entry `sequence`, and of the index entry of `resource`.
std::string AuditEntryKey(uint64_t sequence);
std::string AuditRecordKey(absl::string_view resource, uint64_t sequence);
// Whether `key` of a change-log family belongs to the audit trail (the
// keys a store checkpoint comparison leaves out).
bool IsAuditKey(absl::string_view key);

// SHA-256 of `bytes`, raw (32 bytes).
std::string Sha256(absl::string_view bytes);

}  // namespace fazhi::storage

#endif  // FAZHI_COMMON_STORAGE_AUDIT_TRAIL_H_
