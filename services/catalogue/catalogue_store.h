// The catalogue's RocksDB store and its transactions; the column families,
// the key layout and the store formats are in catalogue_keys.h.
//
// Every write is one WriteBatch: record, indexes, request id and the change
// log entry together. Writes are serialized by a mutex so that uniqueness
// checks and the write they guard are atomic, and so that change sequence
// numbers are handed out in commit order; reads take one snapshot.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/storage/change_feed.h"
#include "common/storage/store.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "services/catalogue/catalogue_keys.h"
#include "services/catalogue/storage/catalogue_records.pb.h"

namespace fazhi::catalogue {

class CatalogueStore {
 public:
  // Opens (creating when missing) the catalogue database at options.path;
  // options.column_families is filled in here. A store of an older format
  // is migrated in place (catalogue_keys.h); a newer one is refused with
  // FAILED_PRECONDITION.
  static absl::StatusOr<std::unique_ptr<CatalogueStore>> Open(storage::StoreOptions options);

  // Each returns the stored resource with output fields filled. Inputs are
  // already validated (catalogue_rules.h); these add the checks that need the
  // store: existence of references, uniqueness.
  absl::StatusOr<v1::Region> CreateRegion(v1::Region region,
                                          const storage::Caller& caller = "anonymous");
  absl::StatusOr<v1::Region> GetRegion(absl::string_view code);
  absl::StatusOr<v1::ListRegionsResponse> ListRegions(const v1::ListRegionsRequest& request);

  absl::StatusOr<v1::Unit> CreateUnit(absl::string_view unit_id, v1::Unit unit,
                                      const storage::Caller& caller = "anonymous");
  absl::StatusOr<v1::Unit> GetUnit(absl::string_view unit_id);
  // Masks are already checked (CheckMaskPaths); the merged record is
  // validated here. Deletes refuse records still referred to.
  absl::StatusOr<v1::Region> UpdateRegion(const v1::UpdateRegionRequest& request,
                                          const storage::Caller& caller);
  absl::Status DeleteRegion(absl::string_view code, absl::string_view etag,
                            const storage::Caller& caller);
  absl::StatusOr<v1::Unit> UpdateUnit(const v1::UpdateUnitRequest& request,
                                      const storage::Caller& caller);
  absl::Status DeleteUnit(absl::string_view unit_id, absl::string_view etag,
                          const storage::Caller& caller);
  absl::StatusOr<v1::Unit> LookupUnit(absl::string_view display_name);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const v1::ListUnitsRequest& request);

  absl::StatusOr<v1::Project> CreateProject(absl::string_view project_id, v1::Project project,
                                            absl::string_view request_id,
                                            const storage::Caller& caller = "anonymous");
  absl::StatusOr<v1::Project> GetProject(absl::string_view project_id);
  // The project a request_id created, if any.
  absl::StatusOr<std::optional<std::string>> ProjectForRequest(absl::string_view request_id);
  absl::StatusOr<v1::ListProjectsResponse> ListProjects(const v1::ListProjectsRequest& request);
  // `actor` names who asks, for the change log. The request's mask is
  // already checked (ValidateUpdateMask); the merged project is validated
  // here.
  absl::StatusOr<v1::Project> UpdateProject(const v1::UpdateProjectRequest& request,
                                            const storage::Caller& caller);
  absl::Status DeleteProject(absl::string_view project_id, absl::string_view etag,
                             const storage::Caller& caller);
  absl::StatusOr<v1::Project> TransitionProject(const v1::TransitionProjectRequest& request,
                                                const storage::Caller& caller);
  absl::StatusOr<v1::Project> ReviewProject(const v1::ReviewProjectRequest& request,
                                            const storage::Caller& caller);
  absl::StatusOr<v1::ListChangesResponse> ListChanges(const v1::ListChangesRequest& request);

  // Up to `limit` changes with a sequence above `after`, in order. When
  // `after` predates what the log keeps, FAILED_PRECONDITION.
  absl::StatusOr<std::vector<v1::Change>> ChangesAfter(uint64_t after, int limit);
  // Blocks until a change above `after` is committed or `timeout` passes;
  // returns the last committed sequence.
  uint64_t WaitForChangeAfter(uint64_t after, absl::Duration timeout);
  // The sequence of the last committed change (0 when none).
  uint64_t LastCommittedChange() const { return changes_->last_committed(); }

  // The clock that stamps create, update and change times. Tests set a
  // fixed one; the default is the system clock.
  void set_clock(Clock clock) { clock_ = std::move(clock); }

  // Records and change-log entries stored before the limits and served cut
  // to them (CutProjectToLimits and the like), since this store opened.
  uint64_t RecordsServedCut() const { return records_served_cut_.load(); }
  uint64_t ChangesServedCut() const { return changes_served_cut_.load(); }

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }
  // The audit trail kept in the change log (audit_trail.h).
  storage::AuditTrail* audit_trail() const { return changes_->audit(); }

 private:
  explicit CatalogueStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}

  rocksdb::ColumnFamilyHandle* records() const { return store_->family(keys::Family::kRecords); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->family(keys::Family::kIndexes); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->family(keys::Family::kRequests); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->family(keys::Family::kMeta); }
  google::protobuf::Timestamp Now() const { return ToTimestamp(clock_()); }

  absl::Status CheckUnitNamesFree(const v1::Unit& unit, absl::string_view own_id);
  absl::Status CheckUnitReferences(const v1::Unit& unit);
  void PutUnitIndexes(rocksdb::WriteBatch& batch, absl::string_view unit_id, const v1::Unit& unit);
  void DeleteUnitIndexes(rocksdb::WriteBatch& batch, absl::string_view unit_id,
                         const v1::Unit& unit);

  // Project helpers (project_store.cc); callers hold write_mu_ where they
  // write.
  absl::StatusOr<storage_records::ProjectRecord> ReadProject(absl::string_view project_id);
  // The project as of `snapshot` (may be null), or nullopt when there is none.
  absl::StatusOr<std::optional<storage_records::ProjectRecord>> ReadProjectAt(
      absl::string_view project_id, const rocksdb::Snapshot* snapshot);
  absl::Status CheckProjectReferences(const v1::Project& project);
  absl::Status CheckTitleFree(const v1::Project& project, absl::string_view own_id);
  void PutProjectIndexes(rocksdb::WriteBatch& batch, absl::string_view id,
                         const v1::Project& project);
  void DeleteProjectIndexes(rocksdb::WriteBatch& batch, absl::string_view id,
                            const v1::Project& project);
  void PutProjectRecord(rocksdb::WriteBatch& batch, const storage_records::ProjectRecord& record);
  // Writes `project` as the next revision of `record` (etag, update time
  // `time`), with its change of `kind` logged, in one batch. Indexes are
  // the caller's: for changes that leave indexed fields alone.
  absl::StatusOr<v1::Project> CommitProjectRevision(storage_records::ProjectRecord& record,
                                                    v1::Project project,
                                                    const google::protobuf::Timestamp& time,
                                                    v1::Change::Kind kind,
                                                    const storage::Caller& caller);
  // Logs `change` (stamped now) for the write in progress; Commit writes it
  // with `batch`. Callers hold write_mu_ from the first LogChange to Commit.
  void LogChange(v1::Change change) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Writes `batch` with the changes logged since the last Commit and
  // `caller`'s audit entry, and wakes watchers of the changes.
  absl::Status Commit(rocksdb::WriteBatch& batch, const storage::Caller& caller)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::ChangeLog> changes_;
  Clock clock_ = SystemClock();
  // Counts a record served cut, naming it in the log (once per read).
  void NoteServedCut(absl::string_view resource);

  std::atomic<uint64_t> records_served_cut_{0};
  std::atomic<uint64_t> changes_served_cut_{0};
  absl::Mutex write_mu_;
  std::optional<storage::ChangeLog::Batch> pending_changes_ ABSL_GUARDED_BY(write_mu_);
};

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_
