// Records and change-log entries stored before the limits, written straight
// into a real catalogue store as an older server would have: they stay
// readable (served cut to the limits, counted), are repaired by an update of
// the fields over their limits, and never stop WatchChanges.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/api/limits.h"
#include "common/storage/change_feed.h"
#include "common/storage/records.h"
#include "services/catalogue/catalogue_keys.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/limits/limits_fixture.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/watch.h"

namespace fazhi::limits_test {
namespace {

using catalogue::CatalogueServiceImpl;
using catalogue::CatalogueStore;
using Stub = cv1::CatalogueService::Stub;

constexpr int kOldOutcomes = 100000;

class OversizedRecordsTest : public ::testing::Test {
 protected:
  void StartServer() {
    catalogue_.Start([](CatalogueStore* store) {
      return std::make_unique<CatalogueServiceImpl>(store, testing::TestAuthorizer());
    });
    stub_ = cv1::CatalogueService::NewStub(catalogue_.channel());
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  // What an older server could store: the project with 100,000 outcomes,
  // and a change-log entry of ~19 MB recording it.
  void WriteOversizedProjectAndChange(const std::string& project_id) {
    auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path()));
    ASSERT_TRUE(store.ok()) << store.status();
    storage::Store& raw = (*store)->store();
    auto records = raw.family(catalogue::keys::Family::kRecords);
    auto value = raw.Get(records, catalogue::keys::Project(project_id));
    ASSERT_TRUE(value.ok() && value->has_value());
    auto record =
        storage::ParseRecord<catalogue::storage_records::ProjectRecord>(**value, "project");
    ASSERT_TRUE(record.ok());
    std::string all_outcomes;
    for (int i = 0; i < kOldOutcomes; ++i) {
      auto* outcome = record->mutable_project()->add_outcomes();
      outcome->set_phrase("累计避损147亿余元");
      outcome->mutable_quantity()->set_text("147亿余元");
      outcome->mutable_quantity()->set_decimal("14700000000");
      outcome->mutable_quantity()->set_mantissa("147");
      outcome->mutable_quantity()->set_multiplier(fazhi::type::MULTIPLIER_YI);
      outcome->mutable_quantity()->set_qualifier(fazhi::type::QUALIFIER_MORE_THAN);
      outcome->mutable_quantity()->set_measure_word("元");
      outcome->mutable_quantity()->set_value(1.47e10);
      absl::StrAppend(&all_outcomes, "outcomes { ", outcome->ShortDebugString(), " } ");
    }
    ASSERT_GT(record->ByteSizeLong(), limits::kMaxReplyBytes);
    rocksdb::WriteBatch batch;
    batch.Put(records, catalogue::keys::Project(project_id), record->SerializeAsString());

    storage::ChangeLog::Options options;
    options.index_by_resource = true;
    auto log =
        storage::ChangeLog::Open(raw, raw.family(catalogue::keys::Family::kChanges), options);
    ASSERT_TRUE(log.ok());
    auto logged = (*log)->StartBatch();
    cv1::Change change;
    change.set_resource(record->project().name());
    change.set_kind(cv1::Change::KIND_UPDATE);
    change.set_actor("older-server");
    auto* field = change.add_fields();
    field->set_path("outcomes");
    field->set_new_value(all_outcomes);
    ASSERT_GT(change.ByteSizeLong(), 4 * limits::kMaxReplyBytes);
    logged.Log<catalogue::storage_records::ChangeRecord>(change);
    ASSERT_TRUE((*log)->Commit(batch, logged).ok());
    ASSERT_TRUE((*store)->Close().ok());
  }

  testing::TempDir dir_;
  testing::InProcessService<CatalogueStore, CatalogueServiceImpl> catalogue_{
      dir_.path(), "fazhi.catalogue.v1.CatalogueService"};
  std::unique_ptr<Stub> stub_;
};

TEST_F(OversizedRecordsTest, OldOversizedProjectIsReadCutRepairedAndNeverStopsTheStream) {
  StartServer();
  cv1::CreateRegionRequest region;
  *region.mutable_region() = MakeRegion("310000", "上海市", cv1::REGION_LEVEL_PROVINCE, "");
  cv1::Region made_region;
  ASSERT_TRUE(Call(&Stub::CreateRegion, region, &made_region).ok());
  *region.mutable_region() = MakeRegion("310113", "宝山区", cv1::REGION_LEVEL_COUNTY, "310000");
  ASSERT_TRUE(Call(&Stub::CreateRegion, region, &made_region).ok());
  cv1::Unit made_unit;
  ASSERT_TRUE(Call(&Stub::CreateUnit, BaoshanGovernment(), &made_unit).ok());
  cv1::CreateProjectRequest create;
  create.set_project_id("anti-fraud");
  *create.mutable_project() = MakeProject("反诈预警");
  create.mutable_project()->add_outcomes()->set_phrase("日均预警潜在被害人14万人次");
  cv1::Project project;
  ASSERT_TRUE(Call(&Stub::CreateProject, create, &project).ok());
  const int64_t before = catalogue_.store()->LastCommittedChange();
  catalogue_.Stop();

  WriteOversizedProjectAndChange("anti-fraud");
  StartServer();

  // Readable: served cut to the limits, in a reply grpcurl takes.
  cv1::GetProjectRequest get;
  get.set_name("projects/anti-fraud");
  ASSERT_TRUE(Call(&Stub::GetProject, get, &project).ok());
  EXPECT_EQ(project.outcomes_size(), limits::kMaxProjectOutcomes);
  EXPECT_LE(project.ByteSizeLong(), limits::kMaxReplyBytes);
  EXPECT_GE(catalogue_.store()->RecordsServedCut(), 1u);

  // A watch from before the oversized entry gets it, cut, and goes on.
  testing::OpenWatch<Stub, cv1::WatchChangesRequest, cv1::Change> watch(*stub_, before);
  auto replayed = watch.Read(1);
  ASSERT_EQ(replayed.size(), 1u);
  EXPECT_EQ(replayed[0].resource(), "projects/anti-fraud");
  EXPECT_EQ(replayed[0].actor(), "older-server");
  ASSERT_EQ(replayed[0].fields_size(), 1);
  EXPECT_LE(replayed[0].fields(0).new_value().size(), limits::kMaxChangeValueBytes + 32);
  EXPECT_THAT(replayed[0].fields(0).new_value(), ::testing::HasSubstr("bytes)"));
  EXPECT_EQ(catalogue_.store()->ChangesServedCut(), 1u);

  // ListChanges of the project serves it cut too.
  cv1::ListChangesRequest list;
  list.set_resource("projects/anti-fraud");
  cv1::ListChangesResponse history;
  ASSERT_TRUE(Call(&Stub::ListChanges, list, &history).ok());
  EXPECT_EQ(history.changes_size(), 2);
  EXPECT_LE(history.ByteSizeLong(), limits::kMaxReplyBytes);

  // An update of another field alone is refused, naming the one over its
  // limit; updating it repairs the record.
  cv1::UpdateProjectRequest update;
  update.mutable_project()->set_name("projects/anti-fraud");
  update.mutable_project()->set_theme("保民安");
  update.mutable_update_mask()->add_paths("theme");
  absl::Status s = Call(&Stub::UpdateProject, update, &project);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(s), ::testing::Contains("project.outcomes"));
  update.mutable_project()->add_outcomes()->set_phrase("累计避损147亿余元");
  update.mutable_update_mask()->add_paths("outcomes");
  ASSERT_TRUE(Call(&Stub::UpdateProject, update, &project).ok());
  const uint64_t cut_before = catalogue_.store()->RecordsServedCut();
  ASSERT_TRUE(Call(&Stub::GetProject, get, &project).ok());
  EXPECT_EQ(project.outcomes_size(), 1);
  EXPECT_EQ(project.theme(), "保民安");
  EXPECT_EQ(catalogue_.store()->RecordsServedCut(), cut_before);

  // The stream carries the repair after the oversized entry.
  auto next = watch.Read(1);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].resource(), "projects/anti-fraud");
  EXPECT_EQ(next[0].kind(), cv1::Change::KIND_UPDATE);
  EXPECT_LE(next[0].ByteSizeLong(), limits::kMaxRecordBytes);
}

}  // namespace
}  // namespace fazhi::limits_test
