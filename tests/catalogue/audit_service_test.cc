// fazhi.admin.v1.AuditService over the wire, on the catalogue's store: the
// auditor reads a record's trail and verifies the chain against the heads
// the sealer signed and exported, and finds the store edited behind the
// server's back; nobody else may read the trail.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "common/api/limits.h"
#include "common/server/security_service.h"
#include "common/status/grpc_status.h"
#include "common/storage/audit_chain.h"
#include "fazhi/admin/v1/audit_service.grpc.pb.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

namespace av1 = admin::v1;

class AuditServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_file_ = dir_.path() + "/audit-signing.key";
    const std::string command =
        "openssl genpkey -algorithm ed25519 -out '" + key_file_ + "' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << "openssl genpkey failed";
    auto store = CatalogueStore::Open(testing::TestStoreOptions(dir_.path() + "/db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    authorizer_->set_audit_trail(store_->audit_trail());
    service_ = std::make_unique<CatalogueServiceImpl>(store_.get(), *authorizer_);
    server::AuditSealOptions seal;
    seal.store = "catalogue";
    seal.signing_key_file = key_file_;
    seal.heads_file = dir_.path() + "/heads.jsonl";
    seal.interval = absl::Hours(1);  // sealed by hand below
    sealer_ = std::make_unique<server::AuditSealer>(store_->audit_trail(), seal);
    ASSERT_TRUE(sealer_->Start().ok());
    audit_ = std::make_unique<server::AuditServiceImpl>(*authorizer_, store_->audit_trail(),
                                                        sealer_.get());
    server::ServerConfig config;
    config.name = "audit-test";
    config.insecure_development = true;
    config.authorizer = authorizer_.get();
    runner_ = std::make_unique<server::ServerRunner>(config);
    runner_->AddService(service_.get(), v1::CatalogueService::service_full_name());
    runner_->AddService(audit_.get(), av1::AuditService::service_full_name());
    ASSERT_TRUE(runner_->Start().ok());
    runner_->SetServing(true);
    catalogue_ = v1::CatalogueService::NewStub(testing::Connect(runner_->target()));
    auditor_ =
        av1::AuditService::NewStub(testing::Connect(runner_->target(), testing::kTestAuditor));
  }

  void TearDown() override {
    runner_->Shutdown();
    sealer_->Stop();
  }

  void CreateRegion(const std::string& code, const std::string& parent) {
    v1::CreateRegionRequest request;
    request.mutable_region()->set_code(code);
    request.mutable_region()->set_display_name("区" + code);
    request.mutable_region()->set_level(parent.empty() ? v1::REGION_LEVEL_PROVINCE
                                                       : v1::REGION_LEVEL_COUNTY);
    request.mutable_region()->set_parent(parent);
    v1::Region out;
    ASSERT_TRUE(testing::CallUnary(catalogue_.get(), &v1::CatalogueService::Stub::CreateRegion,
                                   request, &out)
                    .ok());
  }

  absl::StatusOr<av1::VerifyAuditTrailResponse> Verify() {
    av1::VerifyAuditTrailResponse response;
    absl::Status s = testing::CallUnary(auditor_.get(), &av1::AuditService::Stub::VerifyAuditTrail,
                                        av1::VerifyAuditTrailRequest(), &response);
    if (!s.ok()) return s;
    return response;
  }

  testing::TempDir dir_;
  std::string key_file_;
  std::unique_ptr<server::Authorizer> authorizer_ = testing::NewTestAuthorizer();
  std::unique_ptr<CatalogueStore> store_;
  std::unique_ptr<CatalogueServiceImpl> service_;
  std::unique_ptr<server::AuditSealer> sealer_;
  std::unique_ptr<server::AuditServiceImpl> audit_;
  std::unique_ptr<server::ServerRunner> runner_;
  std::unique_ptr<v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<av1::AuditService::Stub> auditor_;
};

TEST_F(AuditServiceTest, TheAuditorReadsARecordsTrailAndVerifiesTheSignedChain) {
  CreateRegion("310000", "");
  CreateRegion("310113", "regions/310000");
  ASSERT_TRUE(sealer_->SealNow().ok());
  CreateRegion("310115", "regions/310000");
  ASSERT_TRUE(sealer_->SealNow().ok());
  auto heads = storage::ReadHeadsFile(dir_.path() + "/heads.jsonl");
  ASSERT_TRUE(heads.ok()) << heads.status();
  EXPECT_EQ(heads->size(), 2u) << "one head per seal that found the chain moved";

  av1::ListAuditEntriesRequest list;
  list.set_resource("regions/310113");
  av1::ListAuditEntriesResponse trail;
  ASSERT_TRUE(
      testing::CallUnary(auditor_.get(), &av1::AuditService::Stub::ListAuditEntries, list, &trail)
          .ok());
  ASSERT_EQ(trail.entries_size(), 1);
  EXPECT_EQ(trail.entries(0).principal(), testing::kTestAdmin);
  EXPECT_EQ(trail.entries(0).method(), "/fazhi.catalogue.v1.CatalogueService/CreateRegion");

  auto verified = Verify();
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->intact());
  EXPECT_EQ(verified->last_signed_sequence(), 3);

  // Rewritten behind the server's back: the first entry's principal.
  {
    auto bytes = store_->store().Get(store_->store().family(keys::Family::kChanges),
                                     storage::AuditEntryKey(1));
    ASSERT_TRUE(bytes.ok() && bytes->has_value());
    av1::AuditEntry entry;
    ASSERT_TRUE(entry.ParseFromString(**bytes));
    entry.set_principal("city-mayor");
    rocksdb::WriteBatch batch;
    batch.Put(store_->store().family(keys::Family::kChanges), storage::AuditEntryKey(1),
              entry.SerializeAsString());
    ASSERT_TRUE(store_->store().Write(&batch).ok());
  }
  verified = Verify();
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->intact());
  EXPECT_GT(verified->problems_size(), 0);
}

TEST_F(AuditServiceTest, TooManyHeadsAreRefusedNamingTheLimit) {
  av1::VerifyAuditTrailRequest request;
  for (int i = 0; i <= limits::kMaxVerifiedHeads; ++i) request.add_heads()->set_store("catalogue");
  av1::VerifyAuditTrailResponse response;
  const absl::Status s = testing::CallUnary(
      auditor_.get(), &av1::AuditService::Stub::VerifyAuditTrail, request, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(s, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "heads");
}

TEST_F(AuditServiceTest, OnlyTheAuditorReadsTheTrail) {
  for (const char* who : {testing::kTestAdmin, testing::kTestReader, testing::kTestSecurityAdmin}) {
    auto stub = av1::AuditService::NewStub(testing::Connect(runner_->target(), who));
    av1::ListAuditEntriesResponse out;
    absl::Status s = testing::CallUnary(stub.get(), &av1::AuditService::Stub::ListAuditEntries,
                                        av1::ListAuditEntriesRequest(), &out);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << who << ": " << s;
  }
  // The refusals are in the trail, and counted for Prometheus.
  av1::ListAuditEntriesResponse all;
  ASSERT_TRUE(testing::CallUnary(auditor_.get(), &av1::AuditService::Stub::ListAuditEntries,
                                 av1::ListAuditEntriesRequest(), &all)
                  .ok());
  ASSERT_EQ(all.entries_size(), 3);
  for (const auto& entry : all.entries()) {
    EXPECT_EQ(entry.code(), static_cast<int>(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(entry.method(), "/fazhi.admin.v1.AuditService/ListAuditEntries");
  }
  EXPECT_NE(
      runner_->rpc_metrics()
          ->Render("catalogue")
          .find("fazhi_authorization_denied_total{service=\"catalogue\",method=\"/fazhi.admin.v1."
                "AuditService/ListAuditEntries\",reason=\"MISSING_ROLE\"} 3"),
      std::string::npos)
      << runner_->rpc_metrics()->Render("catalogue");
}

}  // namespace
}  // namespace fazhi::catalogue
