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
#include "services/gateway/gateway_service.h"
#include "tests/gateway/backend_servers.h"
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

  // What an older server could store in the catalogue at `store_dir`: the
  // project with 100,000 outcomes, and a change-log entry of ~19 MB
  // recording it.
  static void WriteOversizedProjectAndChange(const std::string& store_dir,
                                             const std::string& project_id) {
    auto store = CatalogueStore::Open(testing::TestStoreOptions(store_dir));
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

  WriteOversizedProjectAndChange(dir_.path(), "anti-fraud");
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

// The poison of issue #20 seen from the gateway: the oversized entry used to
// stop the catalogue's change stream for good, so the gateway's cache never
// recovered and every summary and the ranking stayed partial. Now the cache
// follows past it: the next change reaches the summary, which is whole, and
// so is the ranking.
TEST_F(OversizedRecordsTest, TheGatewaysCacheFollowsPastAnOldOversizedEntry) {
  testing::TempDir backends_dir;
  auto backends = std::make_unique<testing::BackendServers>(backends_dir.path());
  cv1::Region made_region;
  for (const auto& region : {MakeRegion("310000", "上海市", cv1::REGION_LEVEL_PROVINCE, ""),
                             MakeRegion("310113", "宝山区", cv1::REGION_LEVEL_COUNTY, "310000")}) {
    cv1::CreateRegionRequest request;
    *request.mutable_region() = region;
    ASSERT_TRUE(
        testing::CallUnary(&backends->catalogue(), &Stub::CreateRegion, request, &made_region)
            .ok());
  }
  cv1::Unit made_unit;
  ASSERT_TRUE(
      testing::CallUnary(&backends->catalogue(), &Stub::CreateUnit, BaoshanGovernment(), &made_unit)
          .ok());
  cv1::CreateProjectRequest create;
  create.set_project_id("anti-fraud");
  *create.mutable_project() = MakeProject("反诈预警");
  cv1::Project project;
  ASSERT_TRUE(
      testing::CallUnary(&backends->catalogue(), &Stub::CreateProject, create, &project).ok());

  gateway::GatewayOptions options = backends->GatewayOptionsFor();
  options.follow.initial_backoff = absl::Milliseconds(20);
  options.follow.max_backoff = absl::Milliseconds(100);
  gateway::GatewayServiceImpl gateway(options, testing::TestAuthorizer(), testing::ShippedRules());
  auto server = testing::StartInProcess(&gateway, "fazhi.gateway.v1.GatewayService");
  auto stub = gateway::v1::GatewayService::NewStub(testing::Connect(server->target()));
  auto summary = [&] {
    gateway::v1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code("310113");
    request.set_year(2023);
    gateway::v1::DistrictComplianceSummary out;
    EXPECT_TRUE(testing::CallUnary(stub.get(),
                                   &gateway::v1::GatewayService::Stub::GetDistrictComplianceSummary,
                                   request, &out)
                    .ok());
    return out;
  };
  auto cached_and_whole = [](const gateway::v1::DistrictComplianceSummary& s) {
    for (const auto& b : s.backends()) {
      if (b.cache() != gateway::v1::CACHE_STATE_HIT) return false;
    }
    return !s.partial();
  };
  auto wait_for =
      [&](const std::function<bool(const gateway::v1::DistrictComplianceSummary&)>& done) {
        const absl::Time deadline = absl::Now() + absl::Seconds(15);
        do {
          if (done(summary())) return true;
          absl::SleepFor(absl::Milliseconds(20));
        } while (absl::Now() < deadline);
        return false;
      };
  ASSERT_TRUE(wait_for(cached_and_whole)) << "the cache never warmed up";

  // An older server's oversized record and ~19 MB change, under the
  // gateway's feet.
  backends->Stop(gateway::Backend::kCatalogue);
  WriteOversizedProjectAndChange(backends_dir.path() + "/catalogue", "anti-fraud");
  backends->Start(gateway::Backend::kCatalogue);

  // A change after it reaches the summary through the cache: the stream
  // went on past the oversized entry.
  create.set_project_id("law-aid");
  *create.mutable_project() = MakeProject("法律援助进社区");
  ASSERT_TRUE(
      testing::CallUnary(&backends->catalogue(), &Stub::CreateProject, create, &project).ok());
  EXPECT_TRUE(wait_for([&](const gateway::v1::DistrictComplianceSummary& s) {
    return cached_and_whole(s) && s.projects().total() == 2;
  })) << "the cache did not follow past the oversized entry";

  gateway::v1::RankRegionsRequest rank;
  rank.set_parent_region_code("310000");
  rank.set_year(2023);
  gateway::v1::RankRegionsResponse ranked;
  ASSERT_TRUE(
      testing::CallUnary(stub.get(), &gateway::v1::GatewayService::Stub::RankRegions, rank, &ranked)
          .ok());
  ASSERT_EQ(ranked.regions_size(), 1);
  EXPECT_FALSE(ranked.regions(0).partial());
  server->Shutdown();
}

}  // namespace
}  // namespace fazhi::limits_test
