// The writes of one metrics store request, shared by the files that
// implement MetricsStore (metrics_store.cc, metrics_report_observations.cc).
// Private to the store: nothing outside services/metrics includes it.
#ifndef FAZHI_SERVICES_METRICS_METRICS_PENDING_WRITES_H_
#define FAZHI_SERVICES_METRICS_METRICS_PENDING_WRITES_H_

#include <map>
#include <string>

#include "common/storage/change_feed.h"
#include "common/storage/sequence.h"
#include "google/protobuf/timestamp.pb.h"
#include "rocksdb/write_batch.h"
#include "services/metrics/metrics_store.h"

namespace fazhi::metrics {

// The writes of one request, not yet applied: the batch, and what it has
// already staged so that later items of the same batch see earlier ones.
// Staged records are kept as the bytes put in the batch: a later item of the
// same identity or request_id is rare, and parsing it then is cheaper than
// keeping a copy of every record of a bulk load.
struct MetricsStore::PendingWrites {
  // The writes `caller` makes (named in the change log, the revisions and
  // the audit trail).
  PendingWrites(const storage::ChangeLog& log, const storage::SequenceCounter& observation_ids,
                const storage::Caller& caller)
      : changes(log.StartBatch(caller)), ids(observation_ids.StartDraw()) {}
  const storage::Caller& caller() const { return changes.caller(); }

  rocksdb::WriteBatch batch;
  storage::ChangeLog::Batch changes;
  storage::SequenceDraw ids;                        // numbers of new observations
  std::map<std::string, std::string> observations;  // by 'o' key: ObservationRecord bytes
  std::map<std::string, std::string> requests;      // by request_id: ObservationRecord bytes
  std::map<std::string, v1::Indicator> indicators;  // by code
  google::protobuf::Timestamp now;
  // How a value recorded over an existing one is described in its history.
  v1::RevisionAction rerecord_action = v1::REVISION_ACTION_RERECORDED;
  std::string rerecord_reason;
};

}  // namespace fazhi::metrics

#endif  // FAZHI_SERVICES_METRICS_METRICS_PENDING_WRITES_H_
