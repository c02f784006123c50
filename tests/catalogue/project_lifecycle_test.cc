// Projects after creation: dated lifecycle steps, updates with field masks
// and etags, deletes, and the change history, through a real gRPC stub over
// a real store.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

google::type::Date Day(int y, int m, int d) {
  google::type::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

class ProjectLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer());

    v1::CreateRegionRequest city;
    city.mutable_region()->set_code("310000");
    city.mutable_region()->set_display_name("上海市");
    city.mutable_region()->set_level(v1::REGION_LEVEL_PROVINCE);
    v1::Region region;
    ASSERT_TRUE(Call(&Stub::CreateRegion, city, &region).ok());
    for (const char* id : {"310000-justice", "310000-development-reform"}) {
      v1::CreateUnitRequest unit;
      unit.set_unit_id(id);
      unit.mutable_unit()->set_display_name(std::string("单位") + id);
      unit.mutable_unit()->set_level(v1::UNIT_LEVEL_CITY);
      unit.mutable_unit()->set_kind(v1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
      unit.mutable_unit()->set_region("regions/310000");
      v1::Unit created;
      ASSERT_TRUE(Call(&Stub::CreateUnit, unit, &created).ok());
    }
    v1::CreateProjectRequest create;
    create.set_project_id("credit-reports");
    auto* p = create.mutable_project();
    p->set_year(2022);
    p->set_level(v1::PROJECT_LEVEL_CITY);
    p->set_title("在主要执法领域以信用报告替代企业合规证明");
    p->add_units("units/310000-justice");
    p->set_region("regions/310000");
    ASSERT_TRUE(Call(&Stub::CreateProject, create, &project_).ok());
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  absl::Status Transition(v1::ProjectStatus to, google::type::Date date, v1::Project* out,
                          const std::string& etag = "") {
    v1::TransitionProjectRequest request;
    request.set_name(project_.name());
    request.set_to_status(to);
    *request.mutable_effective_date() = date;
    request.set_etag(etag);
    return Call(&Stub::TransitionProject, request, out);
  }

  std::vector<v1::Change> History() {
    v1::ListChangesRequest request;
    request.set_resource(project_.name());
    v1::ListChangesResponse response;
    EXPECT_TRUE(Call(&Stub::ListChanges, request, &response).ok());
    return {response.changes().begin(), response.changes().end()};
  }

  // Opens the store in dir_ (creating or reopening it) and serves it.
  void StartServer() { stub_ = catalogue_.Start(); }

  // Stops the server and closes the store, as the binary does on SIGTERM.
  void StopServer() {
    stub_.reset();
    catalogue_.Stop();
  }

  testing::TempDir dir_;
  TestCatalogueServer catalogue_{dir_.path()};
  std::unique_ptr<Stub> stub_;
  v1::Project project_;
};

TEST_F(ProjectLifecycleTest, StepsAreDatedAndInOrder) {
  EXPECT_EQ(project_.status(), v1::PROJECT_STATUS_PROPOSED);
  v1::Project p;
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &p).ok());
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_IN_PROGRESS, Day(2022, 3, 1), &p).ok());
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_DELIVERED, Day(2022, 12, 20), &p).ok());
  EXPECT_EQ(p.status(), v1::PROJECT_STATUS_DELIVERED);
  ASSERT_EQ(p.status_history_size(), 3);
  EXPECT_EQ(p.status_history(0).from_status(), v1::PROJECT_STATUS_PROPOSED);
  EXPECT_EQ(p.status_history(0).to_status(), v1::PROJECT_STATUS_REGISTERED);
  EXPECT_EQ(p.status_history(0).effective_date().day(), 24);
  EXPECT_EQ(p.status_history(2).to_status(), v1::PROJECT_STATUS_DELIVERED);
}

TEST_F(ProjectLifecycleTest, ForbiddenStepsAreFailedPreconditionAndWriteNothing) {
  v1::Project p;
  // Skipping registration.
  absl::Status skip = Transition(v1::PROJECT_STATUS_DELIVERED, Day(2022, 12, 1), &p);
  EXPECT_EQ(skip.code(), absl::StatusCode::kFailedPrecondition) << skip;
  google::rpc::PreconditionFailure failure;
  ASSERT_TRUE(errors::GetDetail(skip, &failure));
  EXPECT_EQ(failure.violations(0).type(), "LIFECYCLE");
  EXPECT_EQ(failure.violations(0).subject(), "projects/credit-reports");
  // Withdrawn is final.
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_WITHDRAWN, Day(2022, 5, 1), &p).ok());
  EXPECT_EQ(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 6, 1), &p).code(),
            absl::StatusCode::kFailedPrecondition);
  v1::GetProjectRequest get;
  get.set_name(project_.name());
  ASSERT_TRUE(Call(&Stub::GetProject, get, &p).ok());
  EXPECT_EQ(p.status(), v1::PROJECT_STATUS_WITHDRAWN);
  EXPECT_EQ(p.status_history_size(), 1);
}

TEST_F(ProjectLifecycleTest, StepDatesMustBeRealAndNotGoBack) {
  v1::Project p;
  absl::Status no_date = Transition(v1::PROJECT_STATUS_REGISTERED, google::type::Date(), &p);
  EXPECT_EQ(no_date.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 30), &p).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 3, 1), &p).ok());
  absl::Status back = Transition(v1::PROJECT_STATUS_IN_PROGRESS, Day(2022, 2, 1), &p);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(back, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "effective_date");
}

TEST_F(ProjectLifecycleTest, YearEndReviewOnlyOfDeliveredProjectsDatedAfterDelivery) {
  v1::ReviewProjectRequest review;
  review.set_name(project_.name());
  review.set_result(v1::REVIEW_RESULT_EXCELLENT);
  *review.mutable_review_date() = Day(2023, 1, 10);
  review.set_note("年度成效评审");
  v1::Project p;
  // Not delivered yet: refused, nothing written.
  absl::Status early = Call(&Stub::ReviewProject, review, &p);
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition) << early;
  EXPECT_EQ(History().size(), 1u);

  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &p).ok());
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_IN_PROGRESS, Day(2022, 3, 1), &p).ok());
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_DELIVERED, Day(2022, 12, 20), &p).ok());

  // Missing result, and a date before the delivery: both fields named.
  v1::ReviewProjectRequest bad = review;
  bad.set_result(v1::REVIEW_RESULT_UNSPECIFIED);
  *bad.mutable_review_date() = Day(2022, 12, 1);
  absl::Status invalid = Call(&Stub::ReviewProject, bad, &p);
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest fields;
  ASSERT_TRUE(errors::GetDetail(invalid, &fields));
  ASSERT_EQ(fields.field_violations_size(), 2);
  EXPECT_EQ(fields.field_violations(0).field(), "result");
  EXPECT_EQ(fields.field_violations(1).field(), "review_date");

  ASSERT_TRUE(Call(&Stub::ReviewProject, review, &p).ok());
  EXPECT_EQ(p.review().result(), v1::REVIEW_RESULT_EXCELLENT);
  EXPECT_EQ(p.review().review_date().day(), 10);
  EXPECT_TRUE(p.excellent());
  // A second review replaces the first and clears the excellent flag; a
  // stale etag is refused.
  v1::ReviewProjectRequest again = review;
  again.set_result(v1::REVIEW_RESULT_PASSED);
  again.set_etag(project_.etag());
  EXPECT_EQ(Call(&Stub::ReviewProject, again, &p).code(), absl::StatusCode::kAborted);
  v1::Project current;
  v1::GetProjectRequest get;
  get.set_name(project_.name());
  ASSERT_TRUE(Call(&Stub::GetProject, get, &current).ok());
  again.set_etag(current.etag());
  ASSERT_TRUE(Call(&Stub::ReviewProject, again, &p).ok());
  EXPECT_EQ(p.review().result(), v1::REVIEW_RESULT_PASSED);
  EXPECT_FALSE(p.excellent());
  // Both reviews are in the history, as review changes.
  const auto history = History();
  ASSERT_EQ(history.size(), 6u);
  EXPECT_EQ(history[4].kind(), v1::Change::KIND_REVIEW);
  EXPECT_EQ(history[5].kind(), v1::Change::KIND_REVIEW);
}

TEST_F(ProjectLifecycleTest, UpdateWithMaskAndEtag) {
  const std::string first_etag = project_.etag();
  ASSERT_FALSE(first_etag.empty());
  v1::UpdateProjectRequest update;
  update.mutable_project()->set_name(project_.name());
  update.mutable_project()->set_theme("惠民生");
  update.mutable_project()->set_title("不会被改");  // not in the mask
  update.mutable_update_mask()->add_paths("theme");
  update.set_etag(first_etag);
  v1::Project updated;
  ASSERT_TRUE(Call(&Stub::UpdateProject, update, &updated).ok());
  EXPECT_EQ(updated.theme(), "惠民生");
  EXPECT_EQ(updated.title(), project_.title());
  EXPECT_NE(updated.etag(), first_etag);

  // The old etag is stale now: ABORTED, nothing written.
  update.mutable_project()->set_theme("保民安");
  absl::Status stale = Call(&Stub::UpdateProject, update, &updated);
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted) << stale;
  v1::GetProjectRequest get;
  get.set_name(project_.name());
  v1::Project now;
  ASSERT_TRUE(Call(&Stub::GetProject, get, &now).ok());
  EXPECT_EQ(now.theme(), "惠民生");
}

TEST_F(ProjectLifecycleTest, UpdateRejectsBadMasksAndBadValues) {
  v1::UpdateProjectRequest update;
  update.mutable_project()->set_name(project_.name());
  v1::Project out;
  EXPECT_EQ(Call(&Stub::UpdateProject, update, &out).code(), absl::StatusCode::kInvalidArgument);
  update.mutable_update_mask()->add_paths("status");
  update.mutable_update_mask()->add_paths("no_such_field");
  absl::Status s = Call(&Stub::UpdateProject, update, &out);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(s, &bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "update_mask.paths[0]");
  EXPECT_EQ(bad.field_violations(1).field(), "update_mask.paths[1]");

  v1::UpdateProjectRequest empty_title;
  empty_title.mutable_project()->set_name(project_.name());
  empty_title.mutable_update_mask()->add_paths("title");
  s = Call(&Stub::UpdateProject, empty_title, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(errors::GetDetail(s, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "project.title");

  v1::UpdateProjectRequest unknown_unit;
  unknown_unit.mutable_project()->set_name(project_.name());
  unknown_unit.mutable_project()->add_units("units/nobody");
  unknown_unit.mutable_update_mask()->add_paths("units");
  EXPECT_EQ(Call(&Stub::UpdateProject, unknown_unit, &out).code(), absl::StatusCode::kNotFound);
}

// Who: the authenticated principal, whatever name the caller gives itself in
// a header.
TEST_F(ProjectLifecycleTest, HistoryRecordsWhoWhenWhichFieldsOldAndNew) {
  v1::UpdateProjectRequest update;
  update.mutable_project()->set_name(project_.name());
  update.mutable_project()->add_units("units/310000-justice");
  update.mutable_project()->add_units("units/310000-development-reform");
  update.mutable_update_mask()->add_paths("units");
  v1::Project out;
  {
    grpc::ClientContext context;
    context.AddMetadata("x-fazhi-actor", "inspector-7");
    ASSERT_TRUE(stub_->UpdateProject(&context, update, &out).ok());
  }
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &out).ok());

  const auto history = History();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].kind(), v1::Change::KIND_CREATE);
  EXPECT_EQ(history[1].kind(), v1::Change::KIND_UPDATE);
  EXPECT_EQ(history[1].actor(), testing::kTestAdmin);
  ASSERT_EQ(history[1].fields_size(), 1);
  EXPECT_EQ(history[1].fields(0).path(), "units");
  EXPECT_EQ(history[1].fields(0).old_value(), "units: \"units/310000-justice\"");
  EXPECT_EQ(history[1].fields(0).new_value(),
            "units: \"units/310000-justice\" units: \"units/310000-development-reform\"");
  EXPECT_EQ(history[2].kind(), v1::Change::KIND_TRANSITION);
  EXPECT_EQ(history[2].actor(), testing::kTestAdmin);
  EXPECT_LT(history[0].sequence(), history[1].sequence());
  EXPECT_LT(history[1].sequence(), history[2].sequence());
  EXPECT_GT(history[2].time().seconds(), 0);
}

TEST_F(ProjectLifecycleTest, DeleteChecksTheEtagAndFreesTheTitle) {
  v1::DeleteProjectRequest del;
  del.set_name(project_.name());
  del.set_etag("r999");
  google::protobuf::Empty empty;
  EXPECT_EQ(Call(&Stub::DeleteProject, del, &empty).code(), absl::StatusCode::kAborted);
  del.set_etag(project_.etag());
  ASSERT_TRUE(Call(&Stub::DeleteProject, del, &empty).ok());
  v1::GetProjectRequest get;
  get.set_name(project_.name());
  v1::Project gone;
  EXPECT_EQ(Call(&Stub::GetProject, get, &gone).code(), absl::StatusCode::kNotFound);
  // The same title for the same unit and year may be registered again.
  v1::CreateProjectRequest again;
  *again.mutable_project() = project_;
  again.mutable_project()->clear_name();
  again.mutable_project()->clear_etag();
  v1::Project created;
  ASSERT_TRUE(Call(&Stub::CreateProject, again, &created).ok());
  // The deleted project's history is still readable.
  const auto history = History();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].kind(), v1::Change::KIND_DELETE);
}

TEST_F(ProjectLifecycleTest, HistorySurvivesARestart) {
  v1::Project out;
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &out).ok());
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer());
  EXPECT_EQ(History().size(), 2u);
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_IN_PROGRESS, Day(2022, 3, 1), &out, out.etag()).ok());
  EXPECT_EQ(out.status_history_size(), 2);
  EXPECT_EQ(History().size(), 3u);
}

}  // namespace
}  // namespace fazhi::catalogue

namespace fazhi::catalogue {
namespace {

// Reads changes from a watch until `count` arrived (bounded by the deadline).
std::vector<v1::Change> Watch(Stub& stub, int64_t after, size_t count) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchChangesRequest request;
  request.set_after_sequence(after);
  auto reader = stub.WatchChanges(&context, request);
  std::vector<v1::Change> got;
  v1::Change change;
  while (got.size() < count && reader->Read(&change)) got.push_back(change);
  context.TryCancel();
  reader->Finish();
  return got;
}

TEST_F(ProjectLifecycleTest, UnitsAndRegionsHaveAHistoryToo) {
  v1::ListChangesRequest request;
  request.set_resource("units/310000-justice");
  v1::ListChangesResponse response;
  ASSERT_TRUE(Call(&Stub::ListChanges, request, &response).ok());
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).kind(), v1::Change::KIND_CREATE);
  request.set_resource("regions/310000");
  ASSERT_TRUE(Call(&Stub::ListChanges, request, &response).ok());
  EXPECT_EQ(response.changes_size(), 1);
  request.set_resource("units/nobody");
  EXPECT_EQ(Call(&Stub::ListChanges, request, &response).code(), absl::StatusCode::kNotFound);
  request.set_resource("reports/x");
  EXPECT_EQ(Call(&Stub::ListChanges, request, &response).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ProjectLifecycleTest, WatchReplaysTheLogThenFollowsNewWrites) {
  // SetUp wrote 1 region, 2 units and 1 project: sequences 1..4.
  auto replay = Watch(*stub_, 0, 4);
  ASSERT_EQ(replay.size(), 4u);
  for (size_t i = 0; i < replay.size(); ++i) EXPECT_EQ(replay[i].sequence(), int64_t(i + 1));
  EXPECT_EQ(replay[0].resource(), "regions/310000");
  EXPECT_EQ(replay[3].resource(), "projects/credit-reports");

  // A watcher that is already waiting sees a write made afterwards.
  std::vector<v1::Change> live;
  std::thread watcher([&] { live = Watch(*stub_, 4, 1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  v1::Project p;
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &p).ok());
  watcher.join();
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].sequence(), 5);
  EXPECT_EQ(live[0].kind(), v1::Change::KIND_TRANSITION);
}

TEST_F(ProjectLifecycleTest, WatchResumesAfterARestartWithoutGapsOrRepeats) {
  auto first = Watch(*stub_, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  const int64_t last_seen = first.back().sequence();
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer());
  v1::Project p;
  ASSERT_TRUE(Transition(v1::PROJECT_STATUS_REGISTERED, Day(2022, 2, 24), &p).ok());
  auto rest = Watch(*stub_, last_seen, 3);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].sequence(), last_seen + 1);
  EXPECT_EQ(rest[1].sequence(), last_seen + 2);
  EXPECT_EQ(rest[2].sequence(), 5);  // the write after the restart continues the sequence
}

TEST_F(ProjectLifecycleTest, StopWatchesEndsOpenStreamsWithUnavailable) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::WatchChangesRequest request;
  request.set_after_sequence(4);
  auto reader = stub_->WatchChanges(&context, request);
  catalogue_.service()->StopWatches();
  v1::Change change;
  while (reader->Read(&change)) {
  }
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(status.error_message().find("sequence 4"), std::string::npos) << status.error_message();
}

}  // namespace
}  // namespace fazhi::catalogue

namespace fazhi::catalogue {
namespace {

TEST_F(ProjectLifecycleTest, UnitUpdateMovesItsNamesAndDeleteRefusesWhileReferenced) {
  v1::UpdateUnitRequest update;
  update.mutable_unit()->set_name("units/310000-justice");
  update.mutable_unit()->add_aliases("市司法局");
  update.mutable_update_mask()->add_paths("aliases");
  v1::Unit unit;
  ASSERT_TRUE(Call(&Stub::UpdateUnit, update, &unit).ok());
  EXPECT_EQ(unit.etag(), "r2");
  v1::LookupUnitRequest lookup;
  lookup.set_display_name("市司法局");
  v1::Unit found;
  ASSERT_TRUE(Call(&Stub::LookupUnit, lookup, &found).ok());
  EXPECT_EQ(found.name(), "units/310000-justice");

  // The other unit cannot take that alias.
  v1::UpdateUnitRequest steal;
  steal.mutable_unit()->set_name("units/310000-development-reform");
  steal.mutable_unit()->add_aliases("市司法局");
  steal.mutable_update_mask()->add_paths("aliases");
  EXPECT_EQ(Call(&Stub::UpdateUnit, steal, &unit).code(), absl::StatusCode::kAlreadyExists);

  // Dropping the alias frees it.
  update.mutable_unit()->clear_aliases();
  update.set_etag("r2");
  ASSERT_TRUE(Call(&Stub::UpdateUnit, update, &unit).ok());
  EXPECT_EQ(Call(&Stub::LookupUnit, lookup, &found).code(), absl::StatusCode::kNotFound);
  update.set_etag("r2");  // stale now
  EXPECT_EQ(Call(&Stub::UpdateUnit, update, &unit).code(), absl::StatusCode::kAborted);

  // A unit a project names cannot be deleted; an unreferenced one can.
  v1::DeleteUnitRequest del;
  del.set_name("units/310000-justice");
  google::protobuf::Empty empty;
  absl::Status referenced = Call(&Stub::DeleteUnit, del, &empty);
  EXPECT_EQ(referenced.code(), absl::StatusCode::kFailedPrecondition) << referenced;
  del.set_name("units/310000-development-reform");
  ASSERT_TRUE(Call(&Stub::DeleteUnit, del, &empty).ok());
  v1::GetUnitRequest get;
  get.set_name("units/310000-development-reform");
  EXPECT_EQ(Call(&Stub::GetUnit, get, &unit).code(), absl::StatusCode::kNotFound);
}

TEST_F(ProjectLifecycleTest, RegionRenameAndGuardedDelete) {
  v1::UpdateRegionRequest rename;
  rename.mutable_region()->set_name("regions/310000");
  rename.mutable_region()->set_english_name("Shanghai");
  rename.mutable_region()->set_code("999999");  // not in the mask: ignored
  rename.mutable_update_mask()->add_paths("english_name");
  v1::Region region;
  ASSERT_TRUE(Call(&Stub::UpdateRegion, rename, &region).ok());
  EXPECT_EQ(region.english_name(), "Shanghai");
  EXPECT_EQ(region.code(), "310000");
  rename.mutable_update_mask()->add_paths("code");
  EXPECT_EQ(Call(&Stub::UpdateRegion, rename, &region).code(), absl::StatusCode::kInvalidArgument);

  v1::DeleteRegionRequest del;
  del.set_name("regions/310000");
  google::protobuf::Empty empty;
  EXPECT_EQ(Call(&Stub::DeleteRegion, del, &empty).code(), absl::StatusCode::kFailedPrecondition);
  v1::CreateRegionRequest lonely;
  lonely.mutable_region()->set_code("650000");
  lonely.mutable_region()->set_display_name("新疆维吾尔自治区");
  lonely.mutable_region()->set_level(v1::REGION_LEVEL_PROVINCE);
  ASSERT_TRUE(Call(&Stub::CreateRegion, lonely, &region).ok());
  del.set_name("regions/650000");
  ASSERT_TRUE(Call(&Stub::DeleteRegion, del, &empty).ok());
  v1::ListChangesRequest history;
  history.set_resource("regions/650000");
  v1::ListChangesResponse changes;
  ASSERT_TRUE(Call(&Stub::ListChanges, history, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 2);
  EXPECT_EQ(changes.changes(1).kind(), v1::Change::KIND_DELETE);
}

}  // namespace
}  // namespace fazhi::catalogue
