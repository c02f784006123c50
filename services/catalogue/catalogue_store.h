// The catalogue's RocksDB layout and its transactions.
//
// Column families (order fixed; index = handle):
//   1 "records"   'g' code                       -> RegionRecord
//                 'u' unit_id                    -> UnitRecord
//                 'p' project_id                 -> ProjectRecord
//   2 "indexes"   'c' parent code, child code    -> ""        regions by parent
//                 'n' name or alias              -> unit_id   unit names (unique)
//                 'v' region code, unit_id       -> ""        units by region
//                 'y' year(u32), project_id      -> ""        projects by year
//                 'r' region code, year(u32), project_id -> "" by region
//                 't' year(u32), first unit id, title -> project_id  (unique)
//   3 "requests"  'q' request_id                 -> resource name
//   4 "meta"      's' "project"                  -> next project number (u64)
// Strings are encoded by KeyBuilder::AddString (escaped, order-preserving).
//
// Every create is one WriteBatch: record, indexes and request id together.
// Creates are serialized by a mutex so that uniqueness checks and the write
// they guard are atomic; reads take one snapshot.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/storage/store.h"
#include "fazhi/catalogue/v1/catalogue_service.pb.h"

namespace fazhi::catalogue {

class CatalogueStore {
 public:
  // The column families, in handle order after "default".
  static const std::vector<std::string>& ColumnFamilies();

  // Opens (creating when missing) the catalogue database at options.path;
  // options.column_families is filled in here.
  static absl::StatusOr<std::unique_ptr<CatalogueStore>> Open(storage::StoreOptions options);

  // Each returns the stored resource with output fields filled. Inputs are
  // already validated (catalogue_rules.h); these add the checks that need the
  // store: existence of references, uniqueness.
  absl::StatusOr<v1::Region> CreateRegion(v1::Region region);
  absl::StatusOr<v1::Region> GetRegion(absl::string_view code);
  absl::StatusOr<v1::ListRegionsResponse> ListRegions(const v1::ListRegionsRequest& request);

  absl::StatusOr<v1::Unit> CreateUnit(absl::string_view unit_id, v1::Unit unit);
  absl::StatusOr<v1::Unit> GetUnit(absl::string_view unit_id);
  absl::StatusOr<v1::Unit> LookupUnit(absl::string_view display_name);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const v1::ListUnitsRequest& request);

  absl::StatusOr<v1::Project> CreateProject(absl::string_view project_id, v1::Project project,
                                            absl::string_view request_id);
  absl::StatusOr<v1::Project> GetProject(absl::string_view project_id);
  absl::StatusOr<v1::ListProjectsResponse> ListProjects(const v1::ListProjectsRequest& request);

  absl::Status Close() { return store_->Close(); }
  storage::Store& store() { return *store_; }

 private:
  explicit CatalogueStore(std::unique_ptr<storage::Store> store) : store_(std::move(store)) {}

  rocksdb::ColumnFamilyHandle* records() const { return store_->cf(1); }
  rocksdb::ColumnFamilyHandle* indexes() const { return store_->cf(2); }
  rocksdb::ColumnFamilyHandle* requests() const { return store_->cf(3); }
  rocksdb::ColumnFamilyHandle* meta() const { return store_->cf(4); }

  std::unique_ptr<storage::Store> store_;
  absl::Mutex write_mu_;
};

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_STORE_H_
