// Per-caller rates and stream slots (common/server/admission.h): over a real
// catalogue server on loopback, callers identified by development tokens.
#include "common/server/admission.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/server/prometheus.h"
#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/common/baoshan_catalogue.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"
#include "tests/testing/watch.h"

namespace fazhi::server {
namespace {

namespace v1 = catalogue::v1;
using Stub = v1::CatalogueService::Stub;

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return errors::GetDetail(status, &info) ? info.reason() : "";
}

// Bursts small enough to exhaust in a few calls, and rates so slow (one
// token per 1000 s) that no token comes back while a test runs: which call
// is refused depends only on how many came before.
AdmissionOptions SmallBudgets() {
  AdmissionOptions options;
  options.writes_per_second = 0.001;
  options.write_burst = 10;
  options.reads_per_second = 0.001;
  options.read_burst = 10;
  return options;
}

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    authorizer_->set_metrics(&metrics_);
    catalogue_.Start([this](catalogue::CatalogueStore* store) {
      authorizer_->set_audit_trail(store->audit_trail());
      return std::make_unique<catalogue::CatalogueServiceImpl>(store, *authorizer_);
    });
    admin_ = StubAs(testing::kTestAdmin);
    reporter_ = StubAs(testing::kTestBaoshanReporter);
    // Three of the administrator's ten write tokens.
    ASSERT_TRUE(testing::CreateBaoshanCatalogue(admin_.get()).ok());
  }

  void TearDown() override { catalogue_.Stop(); }

  std::unique_ptr<Stub> StubAs(const std::string& principal) {
    return v1::CatalogueService::NewStub(testing::Connect(catalogue_.runner().target(), principal));
  }

  absl::Status CreateRegion(const std::string& code, const std::string& name) {
    return testing::CreateRegion(admin_.get(), code, name, v1::REGION_LEVEL_COUNTY,
                                 "regions/310000");
  }

  absl::Status FileProject(int n) {
    v1::CreateProjectRequest request;
    request.mutable_project()->set_title(absl::StrCat("行政复议便民服务 第", n, "期"));
    request.mutable_project()->set_year(2023);
    request.mutable_project()->set_level(v1::PROJECT_LEVEL_DISTRICT);
    request.mutable_project()->add_units("units/310113-government");
    request.mutable_project()->set_region("regions/310113");
    v1::Project out;
    return testing::CallUnary(reporter_.get(), &Stub::CreateProject, request, &out);
  }

  static absl::Status GetRegion(Stub* stub) {
    v1::GetRegionRequest request;
    request.set_name("regions/310113");
    v1::Region out;
    return testing::CallUnary(stub, &Stub::GetRegion, request, &out);
  }

  size_t AuditEntries() {
    auto entries = catalogue_.store()->audit_trail()->EntriesAfter(0, 100000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? entries->size() : 0;
  }

  testing::TempDir dir_;
  RpcMetrics metrics_;
  std::unique_ptr<Authorizer> authorizer_ = testing::NewTestAuthorizer(SmallBudgets());
  testing::InProcessService<catalogue::CatalogueStore, catalogue::CatalogueServiceImpl> catalogue_{
      dir_.path(), "fazhi.catalogue.v1.CatalogueService"};
  std::unique_ptr<Stub> admin_;
  std::unique_ptr<Stub> reporter_;
};

TEST_F(AdmissionTest, AFloodOfWritesIsCutOffWithARetryDelayWhileAnotherCallerIsServed) {
  const size_t audited_before = AuditEntries();
  int served = 0;
  std::vector<absl::Status> refused;
  for (int i = 0; i < 25; ++i) {
    absl::Status status = FileProject(i);
    if (status.ok()) {
      ++served;
    } else {
      refused.push_back(status);
    }
  }
  EXPECT_EQ(served, 10) << "the burst, and not one more";
  ASSERT_EQ(refused.size(), 15u);
  for (const absl::Status& status : refused) {
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
    EXPECT_EQ(ReasonOf(status), "RATE_LIMITED") << status;
    google::rpc::RetryInfo retry;
    ASSERT_TRUE(errors::GetDetail(status, &retry)) << status;
    // One token at 0.001/s: about 1000 s away.
    EXPECT_GT(retry.retry_delay().seconds(), 900) << retry.ShortDebugString();
    EXPECT_LE(retry.retry_delay().seconds(), 1000) << retry.ShortDebugString();
    EXPECT_NE(status.message().find(testing::kTestBaoshanReporter), absl::string_view::npos)
        << status;
  }

  // The administrator has spent three of its own ten.
  EXPECT_TRUE(CreateRegion("310112", "闵行区").ok());

  // Refusals for rate are counted, but only the served writes reached the
  // audit trail.
  EXPECT_EQ(AuditEntries(), audited_before + 10 + 1);
  EXPECT_NE(metrics_.Render("catalogue")
                .find("method=\"/fazhi.catalogue.v1.CatalogueService/CreateProject\",reason=\"RATE_"
                      "LIMITED\"} 15"),
            std::string::npos)
      << metrics_.Render("catalogue");
}

TEST_F(AdmissionTest, ReadsAndWritesHaveSeparateBudgets) {
  // The reporter's writes used up ...
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(FileProject(i).ok()) << "write " << i;
  absl::Status write = FileProject(99);
  ASSERT_EQ(ReasonOf(write), "RATE_LIMITED") << write;
  // ... leave its reads whole: ten of them.
  for (int i = 0; i < 10; ++i) {
    absl::Status read = GetRegion(reporter_.get());
    ASSERT_TRUE(read.ok()) << "read " << i << ": " << read;
  }
  absl::Status read = GetRegion(reporter_.get());
  EXPECT_EQ(read.code(), absl::StatusCode::kResourceExhausted) << read;
  EXPECT_EQ(ReasonOf(read), "RATE_LIMITED") << read;
  EXPECT_NE(read.message().find("read rate"), absl::string_view::npos) << read;
  // Another caller's reads and the administrator's writes are untouched.
  EXPECT_TRUE(GetRegion(StubAs(testing::kTestReader).get()).ok());
  EXPECT_TRUE(CreateRegion("310112", "闵行区").ok());
}

TEST_F(AdmissionTest, AStreamedImportSpendsOneTokenHoweverManyRowsItCarries) {
  v1::ImportProjectsResponse response;
  grpc::ClientContext context;
  auto writer = reporter_->ImportProjects(&context, &response);
  for (int i = 1; i <= 15; ++i) {
    v1::ImportProjectRow row;
    row.set_row(i);
    row.mutable_create()->mutable_project()->set_title(absl::StrCat("街道法律顾问 第", i, "期"));
    row.mutable_create()->mutable_project()->set_year(2023);
    row.mutable_create()->mutable_project()->set_level(v1::PROJECT_LEVEL_DISTRICT);
    row.mutable_create()->mutable_project()->set_region("regions/310113");
    row.add_unit_names("上海市宝山区人民政府");
    ASSERT_TRUE(writer->Write(row));
  }
  writer->WritesDone();
  grpc::Status finished = writer->Finish();
  ASSERT_TRUE(finished.ok()) << finished.error_message();
  EXPECT_EQ(response.accepted(), 15) << response.ShortDebugString();
  // Nine of the reporter's ten write tokens are left.
  int served = 0;
  while (served < 20 && FileProject(served).ok()) ++served;
  EXPECT_EQ(served, 9);
}

TEST_F(AdmissionTest, AFloodWithoutACredentialIsOneCallerPerAddress) {
  auto anonymous = v1::CatalogueService::NewStub(
      grpc::CreateChannel(catalogue_.runner().target(), grpc::InsecureChannelCredentials()));
  std::string last_reason;
  for (int i = 0; i < 12; ++i) last_reason = ReasonOf(GetRegion(anonymous.get()));
  EXPECT_EQ(last_reason, "RATE_LIMITED") << "anonymous callers from 127.0.0.1 share one budget";
  EXPECT_TRUE(GetRegion(admin_.get()).ok());
}

// WatchChanges takes its stream slot: a caller's third open stream is
// refused with a retry delay while another caller's is accepted, and a
// slot comes back once its stream has ended.
TEST(WatchSlotsTest, ACallersStreamsAreBoundedAndTheirSlotsComeBack) {
  AdmissionOptions limits;
  limits.streams_per_caller = 2;
  std::unique_ptr<Authorizer> authorizer = testing::NewTestAuthorizer(limits);
  testing::TempDir dir;
  testing::InProcessService<catalogue::CatalogueStore, catalogue::CatalogueServiceImpl> catalogue(
      dir.path(), "fazhi.catalogue.v1.CatalogueService");
  catalogue.Start([&](catalogue::CatalogueStore* store) {
    return std::make_unique<catalogue::CatalogueServiceImpl>(store, *authorizer);
  });
  auto reporter = v1::CatalogueService::NewStub(
      testing::Connect(catalogue.runner().target(), testing::kTestBaoshanReporter));
  auto reader = v1::CatalogueService::NewStub(
      testing::Connect(catalogue.runner().target(), testing::kTestReader));
  using Watch = testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change>;

  auto first = std::make_unique<Watch>(*reporter, 0);
  Watch second(*reporter, 0);
  EXPECT_EQ(first->head(), "0");
  EXPECT_EQ(second.head(), "0");
  {
    Watch third(*reporter, 0);
    const absl::Status refused = FromGrpcStatus(third.Drain());
    EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted) << refused;
    EXPECT_EQ(ReasonOf(refused), "TOO_MANY_STREAMS");
    google::rpc::RetryInfo retry;
    EXPECT_TRUE(errors::GetDetail(refused, &retry));
  }
  Watch others(*reader, 0);
  EXPECT_EQ(others.head(), "0") << "another caller's stream is its own";

  first.reset();  // cancelled: its slot comes back when the server has ended it
  bool reopened = false;
  for (int attempt = 0; attempt < 100 && !reopened; ++attempt) {
    Watch again(*reporter, 0);
    reopened = again.head() == "0";
    if (!reopened) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(reopened) << "the slot of an ended stream did not come back";
  catalogue.Stop();
}

TEST(AdmissionKeyTest, PeersAreKeyedByAddressAndServicesByTheirEndUser) {
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.7:51234"), "10.0.0.7");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5000"), "::1");
  EXPECT_EQ(PeerAddress("unix:/tmp/socket"), "unix:/tmp/socket");
  storage::Caller anonymous(kAnonymous);
  EXPECT_EQ(AdmissionKey(anonymous, "ipv4:10.0.0.7:51234"), "anonymous@10.0.0.7");
  EXPECT_NE(AdmissionKey(anonymous, "ipv4:10.0.0.7:1"), AdmissionKey(anonymous, "ipv4:10.0.0.8:1"));
  storage::Caller through_gateway("svc/gateway");
  through_gateway.on_behalf_of = "user/a";
  storage::Caller other_user = through_gateway;
  other_user.on_behalf_of = "user/b";
  EXPECT_NE(AdmissionKey(through_gateway, ""), AdmissionKey(other_user, ""));
}

TEST(StreamSlotTest, SlotsAreBoundedPerCallerAndPerServerAndComeBack) {
  AdmissionOptions options;
  options.streams_per_caller = 2;
  options.streams_per_server = 3;
  Admission admission(options);
  storage::Caller alice("user/alice"), bob("user/bob"), carol("user/carol");
  alice.method = "/fazhi.catalogue.v1.CatalogueService/WatchChanges";

  auto first = admission.AcquireStream(alice, "ipv4:127.0.0.1:1");
  auto second = admission.AcquireStream(alice, "ipv4:127.0.0.1:2");
  ASSERT_TRUE(first.ok() && second.ok());
  auto third = admission.AcquireStream(alice, "ipv4:127.0.0.1:3");
  ASSERT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted) << third.status();
  EXPECT_EQ(ReasonOf(third.status()), "TOO_MANY_STREAMS");
  google::rpc::RetryInfo retry;
  EXPECT_TRUE(errors::GetDetail(third.status(), &retry)) << third.status();
  EXPECT_EQ(retry.retry_delay().seconds(), 5);

  auto bobs = admission.AcquireStream(bob, "");
  ASSERT_TRUE(bobs.ok()) << bobs.status();
  auto carols = admission.AcquireStream(carol, "");
  ASSERT_FALSE(carols.ok()) << "the server holds three already";
  EXPECT_EQ(ReasonOf(carols.status()), "TOO_MANY_STREAMS");
  EXPECT_NE(carols.status().message().find("this server"), absl::string_view::npos);
  EXPECT_EQ(admission.open_streams(), 3);

  {
    StreamSlot moved = std::move(*first);  // the slot travels with its stream
    EXPECT_EQ(admission.open_streams("user/alice"), 2);
  }
  EXPECT_EQ(admission.open_streams("user/alice"), 1);
  EXPECT_EQ(admission.open_streams(), 2);
  carols = admission.AcquireStream(carol, "");
  EXPECT_TRUE(carols.ok()) << carols.status();
  third = admission.AcquireStream(alice, "");
  EXPECT_FALSE(third.ok()) << "the server is full again";
  second->Release();
  third = admission.AcquireStream(alice, "");
  EXPECT_TRUE(third.ok()) << third.status();
}

}  // namespace
}  // namespace fazhi::server
