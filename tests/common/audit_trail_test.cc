// Tests of the audit trail (common/storage/audit_trail.h) and its signed
// heads (audit_chain.h) on a real RocksDB: entries written with the change
// they describe, digests of each record before and after, and verification
// that finds an entry edited, an entry deleted, the tail cut and the whole
// chain rewritten. Keys are made by the openssl tool, as an operator would.
#include "common/storage/audit_trail.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/storage/audit_chain.h"
#include "common/storage/change_feed.h"
#include "services/metrics/storage/metrics_records.pb.h"
#include "tests/testing/test_env.h"

namespace fazhi::storage {
namespace {

using Record = fazhi::metrics::storage_records::ChangeRecord;
using admin::v1::SignedHead;

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_file_ = dir_.path() + "/signing.key";
    const std::string command =
        "openssl genpkey -algorithm ed25519 -out '" + key_file_ + "' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << "openssl genpkey failed";
    Open();
  }

  void Open() {
    log_.reset();
    store_.reset();
    StoreOptions options = testing::TestStoreOptions(dir_.path() + "/db");
    options.column_families = {"records", "changes"};
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ChangeLog::Options log_options;
    log_options.audited_records = store_->family(1);
    // "hist/…" keys are superseded copies, not records of their own.
    log_options.name_record = [](absl::string_view key, absl::string_view) -> std::string {
      if (key.substr(0, 5) == "hist/") return "";
      return "records/" + std::string(key);
    };
    auto log = ChangeLog::Open(*store_, store_->family(2), log_options);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }

  // One write by `who`: puts (value non-empty) or deletes each record.
  absl::Status Write(const std::string& who,
                     const std::vector<std::pair<std::string, std::string>>& records) {
    rocksdb::WriteBatch batch;
    Caller caller(who);
    caller.method = "/test.Service/Write";
    ChangeLog::Batch changes = log_->StartBatch(caller);
    for (const auto& [key, value] : records) {
      if (value.empty()) {
        batch.Delete(store_->family(1), key);
      } else {
        batch.Put(store_->family(1), key, value);
      }
      ChangeOf<Record> change;
      change.set_resource(key);
      changes.Log<Record>(std::move(change));
    }
    return log_->Commit(batch, changes);
  }

  std::vector<admin::v1::AuditEntry> Entries() {
    auto entries = log_->audit()->EntriesAfter(0, 1000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<admin::v1::AuditEntry>();
  }

  SignedHead SignHead() {
    auto head = HeadSigner(key_file_).Sign("test", log_->audit()->head(), absl::Now());
    EXPECT_TRUE(head.ok()) << head.status();
    return head.ok() ? *head : SignedHead();
  }

  admin::v1::VerifyAuditTrailResponse Verify(const std::vector<SignedHead>& heads) {
    auto verifier = HeadVerifier::FromSigningKeyFile(key_file_);
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    auto result = VerifyTrail(*log_->audit(), "test", heads, *verifier);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : admin::v1::VerifyAuditTrailResponse();
  }

  // Rewrites entry `sequence` as stored, through `edit`.
  void EditStored(uint64_t sequence, const std::function<void(admin::v1::AuditEntry&)>& edit) {
    auto bytes = store_->Get(store_->family(2), AuditEntryKey(sequence));
    ASSERT_TRUE(bytes.ok() && bytes->has_value());
    admin::v1::AuditEntry entry;
    ASSERT_TRUE(entry.ParseFromString(**bytes));
    edit(entry);
    rocksdb::WriteBatch batch;
    batch.Put(store_->family(2), AuditEntryKey(sequence), entry.SerializeAsString());
    ASSERT_TRUE(store_->Write(&batch).ok());
  }

  testing::TempDir dir_;
  std::string key_file_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ChangeLog> log_;
};

TEST_F(AuditTrailTest, EachWriteLeavesOneEntryWithDigestsBeforeAndAfter) {
  ASSERT_TRUE(Write("user/a", {{"r1", "one"}, {"r2", "two"}}).ok());
  ASSERT_TRUE(Write("user/b", {{"r1", "uno"}, {"r2", ""}, {"hist/r1", "one"}}).ok());
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].sequence(), 1);
  EXPECT_EQ(entries[0].principal(), "user/a");
  EXPECT_EQ(entries[0].method(), "/test.Service/Write");
  EXPECT_EQ(entries[0].first_change(), 1);
  EXPECT_EQ(entries[0].last_change(), 2);
  ASSERT_EQ(entries[0].records_size(), 2);
  EXPECT_EQ(entries[0].records(0).resource(), "records/r1");
  EXPECT_TRUE(entries[0].records(0).before_sha256().empty());
  EXPECT_EQ(entries[0].records(0).after_sha256(), Sha256("one"));

  // The second write: r1 changed, r2 deleted; the history key is no record.
  ASSERT_EQ(entries[1].records_size(), 2);
  EXPECT_EQ(entries[1].records(0).resource(), "records/r1");
  EXPECT_EQ(entries[1].records(0).before_sha256(), Sha256("one"));
  EXPECT_EQ(entries[1].records(0).after_sha256(), Sha256("uno"));
  EXPECT_EQ(entries[1].records(1).resource(), "records/r2");
  EXPECT_EQ(entries[1].records(1).before_sha256(), Sha256("two"));
  EXPECT_TRUE(entries[1].records(1).after_sha256().empty());
  EXPECT_FALSE(entries[1].previous_sha256().empty());

  // A record's own trail.
  std::string next;
  auto of_r2 = log_->audit()->EntriesOf("records/r2", "", 10, &next);
  ASSERT_TRUE(of_r2.ok()) << of_r2.status();
  ASSERT_EQ(of_r2->size(), 2u);
  EXPECT_EQ((*of_r2)[1].principal(), "user/b");
}

TEST_F(AuditTrailTest, ARefusalIsAnEntryAndTheChainContinuesAfterReopening) {
  ASSERT_TRUE(Write("user/a", {{"r1", "one"}}).ok());
  ASSERT_TRUE(log_->audit()->WriteCall(Caller("anonymous"), 16, "no credential").ok());
  Open();
  ASSERT_TRUE(Write("user/a", {{"r1", "two"}}).ok());
  const auto entries = Entries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[1].code(), 16);
  EXPECT_EQ(entries[1].records_size(), 0);
  EXPECT_EQ(entries[2].sequence(), 3);
  EXPECT_TRUE(Verify({SignHead()}).intact());
}

TEST_F(AuditTrailTest, VerificationFindsEditsDeletionsACutTailAndARewrite) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Write("user/a", {{"r" + std::to_string(i), "v"}}).ok());
  }
  const SignedHead head = SignHead();  // at entry 5
  {
    auto clean = Verify({head});
    EXPECT_TRUE(clean.intact());
    EXPECT_EQ(clean.entries_checked(), 5);
    EXPECT_EQ(clean.last_signed_sequence(), 5);
  }
  // A head whose signature was tampered with is not trusted.
  SignedHead forged = head;
  forged.set_sequence(4);
  EXPECT_FALSE(Verify({forged}).intact());

  // Edited: the actor of entry 3.
  EditStored(3, [](admin::v1::AuditEntry& e) { e.set_principal("city-mayor"); });
  auto edited = Verify({head});
  EXPECT_FALSE(edited.intact());
  ASSERT_GT(edited.problems_size(), 0);
  EXPECT_NE(edited.problems(0).find("entry 4 does not chain"), std::string::npos)
      << edited.problems(0);
}

TEST_F(AuditTrailTest, ADeletedEntryAndACutTailAreFound) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Write("user/a", {{"r" + std::to_string(i), "v"}}).ok());
  }
  const SignedHead head = SignHead();
  rocksdb::WriteBatch cut;
  cut.Delete(store_->family(2), AuditEntryKey(2));
  cut.Delete(store_->family(2), AuditEntryKey(5));
  ASSERT_TRUE(store_->Write(&cut).ok());
  auto result = Verify({head});
  EXPECT_FALSE(result.intact());
  std::string all;
  for (const auto& p : result.problems()) all += p + "\n";
  EXPECT_NE(all.find("missing"), std::string::npos) << all;
  EXPECT_NE(all.find("cut short"), std::string::npos) << all;
}

TEST_F(AuditTrailTest, AChainRewrittenEndToEndNoLongerMatchesItsSignedHead) {
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(Write("user/a", {{"r" + std::to_string(i), "v"}}).ok());
  }
  const SignedHead head = SignHead();
  // Rewrite every entry with another principal, chaining each anew: the
  // chain is whole again, but not the one that was signed.
  std::string previous;
  for (uint64_t s = 1; s <= 4; ++s) {
    std::string stored;
    EditStored(s, [&](admin::v1::AuditEntry& e) {
      e.set_principal("someone-else");
      e.set_previous_sha256(previous);
      stored = e.SerializeAsString();
    });
    previous = Sha256(stored);
  }
  auto result = Verify({head});
  EXPECT_FALSE(result.intact());
  ASSERT_EQ(result.problems_size(), 1);
  EXPECT_NE(result.problems(0).find("rewritten"), std::string::npos) << result.problems(0);
  // Without a signed head the rewrite would pass: the heads are the proof.
  EXPECT_TRUE(Verify({}).intact());
}

TEST_F(AuditTrailTest, HeadsRoundTripThroughTheirJsonLines) {
  ASSERT_TRUE(Write("user/a", {{"r1", "v"}}).ok());
  const SignedHead head = SignHead();
  auto back = SignedHeadFromJson(SignedHeadToJson(head));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->SerializeAsString(), head.SerializeAsString());
  EXPECT_TRUE(Verify({*back}).intact());
}

}  // namespace
}  // namespace fazhi::storage
