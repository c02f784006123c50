// Who may change the catalogue, over the wire with development tokens
// (common/server/authorizer.h): the system administrator keeps the
// registry, a district reporter files the projects of its own region only,
// only a reviewer marks a project 优秀, nobody writes without a credential,
// and every change and every refusal leaves exactly one audit entry naming
// the authenticated principal.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/server/call_identity.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/common/baoshan_catalogue.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return errors::GetDetail(status, &info) ? info.reason() : "";
}

class CatalogueAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalogue_.Start([this](CatalogueStore* store) {
      authorizer_->set_audit_trail(store->audit_trail());
      return std::make_unique<CatalogueServiceImpl>(store, *authorizer_);
    });
    admin_ = StubAs(testing::kTestAdmin);
    ASSERT_TRUE(testing::CreateBaoshanCatalogue(admin_.get()).ok());
    ASSERT_TRUE(testing::CreateRegion(admin_.get(), "310115", "浦东新区", v1::REGION_LEVEL_COUNTY,
                                      "regions/310000")
                    .ok());
  }

  std::unique_ptr<Stub> StubAs(const std::string& principal) {
    return v1::CatalogueService::NewStub(testing::Connect(catalogue_.runner().target(), principal));
  }

  static v1::CreateProjectRequest Project(const std::string& region, bool excellent = false) {
    v1::CreateProjectRequest request;
    request.mutable_project()->set_title("行政复议便民服务");
    request.mutable_project()->set_year(2023);
    request.mutable_project()->set_level(v1::PROJECT_LEVEL_DISTRICT);
    request.mutable_project()->add_units("units/310113-government");
    request.mutable_project()->set_region("regions/" + region);
    request.mutable_project()->set_excellent(excellent);
    return request;
  }

  std::vector<admin::v1::AuditEntry> AuditEntries() {
    auto entries = catalogue_.store()->audit_trail()->EntriesAfter(0, 10000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<admin::v1::AuditEntry>();
  }

  testing::TempDir dir_;
  std::unique_ptr<server::Authorizer> authorizer_ = testing::NewTestAuthorizer();
  testing::InProcessService<CatalogueStore, CatalogueServiceImpl> catalogue_{
      dir_.path(), "fazhi.catalogue.v1.CatalogueService"};
  std::unique_ptr<Stub> admin_;
};

TEST_F(CatalogueAccessTest, AReporterFilesItsOwnRegionOnly) {
  auto reporter = StubAs(testing::kTestBaoshanReporter);
  v1::Project created;
  ASSERT_TRUE(
      testing::CallUnary(reporter.get(), &Stub::CreateProject, Project("310113"), &created).ok());
  EXPECT_EQ(created.region(), "regions/310113");

  v1::Project out;
  absl::Status other =
      testing::CallUnary(reporter.get(), &Stub::CreateProject, Project("310115"), &out);
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied) << other;
  EXPECT_EQ(ReasonOf(other), "OUT_OF_SCOPE");
  EXPECT_NE(other.message().find("310115"), absl::string_view::npos) << other;

  // Moving its project into another region is the same refusal.
  v1::UpdateProjectRequest move;
  move.mutable_project()->set_name(created.name());
  move.mutable_project()->set_region("regions/310115");
  move.mutable_update_mask()->add_paths("region");
  EXPECT_EQ(testing::CallUnary(reporter.get(), &Stub::UpdateProject, move, &out).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(CatalogueAccessTest, OnlyAReviewerMarksAProjectExcellent) {
  auto reporter = StubAs(testing::kTestBaoshanReporter);
  v1::Project out;
  absl::Status marked = testing::CallUnary(reporter.get(), &Stub::CreateProject,
                                           Project("310113", /*excellent=*/true), &out);
  EXPECT_EQ(marked.code(), absl::StatusCode::kPermissionDenied) << marked;
  EXPECT_NE(marked.message().find("REVIEWER"), absl::string_view::npos) << marked;

  v1::Project created;
  ASSERT_TRUE(
      testing::CallUnary(reporter.get(), &Stub::CreateProject, Project("310113"), &created).ok());
  v1::ReviewProjectRequest review;
  review.set_name(created.name());
  review.set_result(v1::REVIEW_RESULT_EXCELLENT);
  EXPECT_EQ(testing::CallUnary(reporter.get(), &Stub::ReviewProject, review, &out).code(),
            absl::StatusCode::kPermissionDenied);
  auto reviewer = StubAs(testing::kTestReviewer);
  absl::Status reviewed = testing::CallUnary(reviewer.get(), &Stub::ReviewProject, review, &out);
  // The reviewer is allowed; whatever the review itself needs is the
  // lifecycle's business, not a refusal of the caller.
  EXPECT_NE(reviewed.code(), absl::StatusCode::kPermissionDenied) << reviewed;
  EXPECT_NE(reviewed.code(), absl::StatusCode::kUnauthenticated) << reviewed;
}

TEST_F(CatalogueAccessTest, TheRegistryAndDeletionsAreTheAdministrators) {
  for (const char* who :
       {testing::kTestReader, testing::kTestBaoshanReporter, testing::kTestReviewer,
        testing::kTestAuditor, testing::kTestSecurityAdmin}) {
    auto stub = StubAs(who);
    v1::CreateRegionRequest region;
    region.mutable_region()->set_code("310118");
    region.mutable_region()->set_display_name("青浦区");
    region.mutable_region()->set_level(v1::REGION_LEVEL_COUNTY);
    region.mutable_region()->set_parent("regions/310000");
    v1::Region out;
    absl::Status s = testing::CallUnary(stub.get(), &Stub::CreateRegion, region, &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << who << ": " << s;
    EXPECT_EQ(ReasonOf(s), "MISSING_ROLE") << who;
    EXPECT_NE(s.message().find("SYSTEM_ADMIN"), absl::string_view::npos) << s;
  }
}

TEST_F(CatalogueAccessTest, NoCredentialMayReadInDevelopmentButNeverWrite) {
  auto channel = server::Dial(catalogue_.runner().target(), server::ChannelSecurity());
  auto anonymous = v1::CatalogueService::NewStub(channel);
  v1::GetRegionRequest get;
  get.set_name("regions/310113");
  v1::Region region;
  EXPECT_TRUE(testing::CallUnary(anonymous.get(), &Stub::GetRegion, get, &region).ok());
  v1::Project out;
  absl::Status s =
      testing::CallUnary(anonymous.get(), &Stub::CreateProject, Project("310113"), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;

  // A token signed with another key is no credential either.
  server::DevTokenKeys other(dir_.path() + "/other.key");
  ASSERT_TRUE(server::WriteNewDevTokenKeyFile(other.path()).ok());
  ASSERT_TRUE(other.Load().ok());
  auto forged_token = other.Mint(testing::kTestAdmin, absl::Hours(1));
  ASSERT_TRUE(forged_token.ok());
  server::ChannelSecurity forged;
  forged.tokens = server::TokenSource::Fixed(*forged_token);
  auto forger = v1::CatalogueService::NewStub(server::Dial(catalogue_.runner().target(), forged));
  s = testing::CallUnary(forger.get(), &Stub::CreateProject, Project("310113"), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated) << s;
}

TEST_F(CatalogueAccessTest, OnlyAServiceMayActForSomeoneElse) {
  auto reader = StubAs(testing::kTestReader);
  grpc::ClientContext context;
  context.AddMetadata(server::kOnBehalfOfMetadataKey, testing::kTestAdmin);
  v1::Project out;
  absl::Status s = FromGrpcStatus(reader->CreateProject(&context, Project("310113"), &out));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_EQ(ReasonOf(s), "NOT_A_SERVICE");
}

TEST_F(CatalogueAccessTest, EveryChangeAndEveryRefusalLeavesOneEntryUnderTheRealName) {
  const size_t before = AuditEntries().size();  // the set-up's writes
  EXPECT_EQ(before, 4u) << "three regions and a unit";
  auto reporter = StubAs(testing::kTestBaoshanReporter);
  v1::Project created;
  {
    grpc::ClientContext context;
    context.AddMetadata("x-fazhi-actor", "city-mayor");  // a name it gives itself
    ASSERT_TRUE(reporter->CreateProject(&context, Project("310113"), &created).ok());
  }
  v1::Project out;
  ASSERT_EQ(
      testing::CallUnary(reporter.get(), &Stub::CreateProject, Project("310115"), &out).code(),
      absl::StatusCode::kPermissionDenied);
  v1::DeleteProjectRequest del;
  del.set_name(created.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(testing::CallUnary(admin_.get(), &Stub::DeleteProject, del, &empty).ok());

  const auto entries = AuditEntries();
  ASSERT_EQ(entries.size(), before + 3);
  const auto& created_entry = entries[before];
  EXPECT_EQ(created_entry.principal(), testing::kTestBaoshanReporter);
  EXPECT_EQ(created_entry.method(), "/fazhi.catalogue.v1.CatalogueService/CreateProject");
  EXPECT_EQ(created_entry.code(), 0);
  ASSERT_EQ(created_entry.records_size(), 1);
  EXPECT_EQ(created_entry.records(0).resource(), created.name());
  EXPECT_TRUE(created_entry.records(0).before_sha256().empty());
  EXPECT_FALSE(created_entry.records(0).after_sha256().empty());

  const auto& refused = entries[before + 1];
  EXPECT_EQ(refused.principal(), testing::kTestBaoshanReporter);
  EXPECT_EQ(refused.code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(refused.records_size(), 0);

  const auto& deleted = entries[before + 2];
  EXPECT_EQ(deleted.principal(), testing::kTestAdmin);
  ASSERT_EQ(deleted.records_size(), 1);
  EXPECT_EQ(deleted.records(0).before_sha256(), created_entry.records(0).after_sha256());
  EXPECT_TRUE(deleted.records(0).after_sha256().empty());
}

}  // namespace
}  // namespace fazhi::catalogue
