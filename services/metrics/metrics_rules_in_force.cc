// MetricsStore's record of the rules in force and of every change of them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/storage/records.h"
#include "common/storage/sequence.h"
#include "services/metrics/metrics_keys.h"
#include "services/metrics/metrics_store.h"
#include "services/metrics/storage/metrics_records.pb.h"

namespace fazhi::metrics {

absl::StatusOr<std::optional<v1::RulesChange>> MetricsStore::RecordRulesInForce(
    const fazhi::rules::v1::RuleSet& rules) {
  storage_records::RulesInForceRecord now_in_force;
  now_in_force.set_format_version(1);
  now_in_force.set_version(rules.version());
  *now_in_force.mutable_targets() = rules.targets();
  *now_in_force.mutable_metrics() = rules.metrics();

  absl::MutexLock lock(&write_mu_);
  auto stored = store_->Get(meta(), keys::RulesInForce());
  if (!stored.ok()) return stored.status();
  storage_records::RulesInForceRecord before;
  if (stored->has_value()) {
    auto record = storage::ParseRecord<storage_records::RulesInForceRecord>(**stored, "rules");
    if (!record.ok()) return record.status();
    before = *std::move(record);
    if (before.SerializeAsString() == now_in_force.SerializeAsString()) return std::nullopt;
  }

  v1::RulesChange change;
  change.set_from_version(before.version());
  change.set_to_version(rules.version());
  *change.mutable_time() = ToTimestamp(Now());
  std::map<std::string, std::string> old_targets, new_targets;
  for (const auto& t : before.targets()) old_targets[t.indicator()] = t.SerializeAsString();
  for (const auto& t : rules.targets()) new_targets[t.indicator()] = t.SerializeAsString();
  for (const auto& [indicator, bytes] : new_targets) {
    auto old = old_targets.find(indicator);
    if (old == old_targets.end()) {
      change.add_targets_added(indicator);
    } else if (old->second != bytes) {
      change.add_targets_changed(indicator);
    }
  }
  for (const auto& [indicator, bytes] : old_targets) {
    if (new_targets.count(indicator) == 0) {
      change.add_targets_removed(indicator);
    }
  }
  change.set_quality_rules_changed(stored->has_value() && before.metrics().SerializeAsString() !=
                                                              rules.metrics().SerializeAsString());

  auto draw = storage::SequenceCounter(*store_, meta(), keys::kRulesChangeCounter).StartDraw();
  auto sequence = draw.Take();
  if (!sequence.ok()) return sequence.status();
  storage_records::RulesChangeRecord record;
  record.set_format_version(1);
  *record.mutable_change() = change;
  rocksdb::WriteBatch batch;
  draw.Stage(batch);
  batch.Put(meta(), keys::RulesChange(*sequence), record.SerializeAsString());
  batch.Put(meta(), keys::RulesInForce(), now_in_force.SerializeAsString());
  if (absl::Status s = store_->Write(&batch); !s.ok()) return s;
  return change;
}

absl::StatusOr<std::vector<v1::RulesChange>> MetricsStore::ListRulesChanges() const {
  std::vector<v1::RulesChange> changes;
  const std::string prefix = keys::RulesChangesPrefix();
  auto it = store_->NewPrefixIterator(meta(), prefix, nullptr);
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    auto record = storage::ParseRecord<storage_records::RulesChangeRecord>(
        absl::string_view(it->value().data(), it->value().size()), "rules change");
    if (!record.ok()) return record.status();
    changes.push_back(record->change());
  }
  if (!it->status().ok()) return storage::FromRocksDb(it->status(), "scan rules changes");
  return changes;
}

}  // namespace fazhi::metrics
