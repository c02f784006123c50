// metrics_ingest_bench: observations per second through BatchRecordObservations
// over gRPC (a real server on 127.0.0.1, synced writes), next to RocksDB's own
// `db_bench --benchmarks=fillrandom` run in the same process tree, twice:
// writing as many keys and bytes as the observations did (the anchor the goal
// is judged against: an observation must write its record, its name index and
// its change, see services/metrics/README.md), and, for context, one key per
// observation with the same number of writes, batch size and sync setting.
//
//   metrics_ingest_bench [--items=N] [--batch=N] [--sync=0|1] [--memory_budget_mb=N]
//                        [--in_flight=N] [--db_bench=PATH]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "rocksdb/db.h"
#include "services/metrics/metrics_service.h"
#include "services/metrics/metrics_store.h"
#include "tests/metrics/metrics_bench_common.h"
#include "tests/testing/test_env.h"

namespace fazhi::metrics::bench {
namespace {

std::string Flag(int argc, char** argv, const std::string& name, const std::string& fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
  }
  return fallback;
}

std::string FindDbBench(const std::string& flag) {
  for (const std::string& path :
       {flag, std::string("/usr/bin/db_bench"), std::string("/usr/bin/rocksdb_db_bench")}) {
    if (!path.empty() && access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// Runs `db_bench --benchmarks=fillrandom` into a new database at `db` with
// one thread, printing the command line; the ops/sec it prints
// ("fillrandom : 2.9 micros/op 344827 ops/sec"), or 0.
double RunDbBench(const std::string& db_bench, const std::string& db, int num, int batch, int sync,
                  int key_size, int value_size) {
  const std::string command =
      absl::StrCat(db_bench, " --benchmarks=fillrandom --db=", db, " --num=", num,
                   " --batch_size=", batch, " --sync=", sync, " --key_size=", key_size,
                   " --value_size=", value_size, " --threads=1 2>&1");
  std::printf("running: %s\n", command.c_str());
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return 0;
  std::string out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  pclose(pipe);
  std::smatch m;
  static const std::regex kLine(R"(fillrandom\s*:\s*([0-9.]+) micros/op\s+([0-9]+) ops/sec)");
  if (!std::regex_search(out, m, kLine)) {
    std::fprintf(stderr, "db_bench printed no fillrandom line:\n%s\n", out.c_str());
    return 0;
  }
  return std::stod(m[2].str());
}

// RocksDB's lifetime count of user keys and bytes written to `store` (its
// "rocksdb.dbstats" map), so the bench can say how much each observation
// writes next to db_bench's one key.
struct WriteVolume {
  double keys = 0, bytes = 0;
};
WriteVolume VolumeWritten(MetricsStore& store) {
  std::map<std::string, std::string> stats;
  WriteVolume volume;
  if (!store.store().db()->GetMapProperty(rocksdb::DB::Properties::kDBStats, &stats)) return volume;
  (void)absl::SimpleAtod(stats["db.user_keys_written"], &volume.keys);
  (void)absl::SimpleAtod(stats["db.user_bytes_written"], &volume.bytes);
  return volume;
}

// Sends `requests` to a new metrics server over a new store in `path`,
// keeping `in_flight` calls outstanding; observations per second, or a
// negative number after printing why.
double IngestThroughGrpc(const std::vector<v1::BatchRecordObservationsRequest>& requests,
                         const std::vector<v1::Indicator>& indicators,
                         storage::StoreOptions options, int in_flight) {
  auto store = MetricsStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return -1;
  }
  MetricsServiceImpl service(store->get(), testing::TestAuthorizer(), testing::ShippedRules());
  auto server = testing::StartInProcess(&service, "fazhi.metrics.v1.MetricsService");
  auto stub = v1::MetricsService::NewStub(testing::Connect(server->target()));
  for (const auto& i : indicators) {
    if (!(*store)->CreateIndicator(i, testing::kTestAdmin).ok()) return -1;
  }
  struct Call {
    grpc::ClientContext context;
    v1::BatchRecordObservationsResponse response;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::BatchRecordObservationsResponse>> reader;
  };
  grpc::CompletionQueue queue;
  size_t next = 0;
  int outstanding = 0, accepted = 0;
  bool failed = false;
  auto send_next = [&] {
    auto* call = new Call;
    call->reader = stub->AsyncBatchRecordObservations(&call->context, requests[next++], &queue);
    call->reader->Finish(&call->response, &call->status, call);
    ++outstanding;
  };
  const absl::Time start = absl::Now();
  while (outstanding < in_flight && next < requests.size()) send_next();
  while (outstanding > 0) {
    void* tag = nullptr;
    bool ok = false;
    if (!queue.Next(&tag, &ok)) break;
    std::unique_ptr<Call> call(static_cast<Call*>(tag));
    --outstanding;
    if (!ok || !call->status.ok()) {
      std::fprintf(stderr, "BatchRecordObservations: %s\n", call->status.error_message().c_str());
      failed = true;
    }
    accepted += call->response.accepted_count();
    for (const auto& result : call->response.results()) {
      if (result.has_error()) {
        std::fprintf(stderr, "item rejected: %s\n", result.error().message().c_str());
        failed = true;
      }
    }
    if (!failed && next < requests.size()) send_next();
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  server->Shutdown();
  (void)(*store)->Close();
  return failed ? -1 : accepted / seconds;
}

int Main(int argc, char** argv) {
  int items = 200000, batch = 1000, sync = 1, memory_budget_mb = 2048, in_flight = 2;
  (void)absl::SimpleAtoi(Flag(argc, argv, "items", "200000"), &items);
  // The production overlay's RocksDB budget (as metrics_snapshot_bench).
  (void)absl::SimpleAtoi(Flag(argc, argv, "memory_budget_mb", "2048"), &memory_budget_mb);
  (void)absl::SimpleAtoi(Flag(argc, argv, "batch", "1000"), &batch);
  (void)absl::SimpleAtoi(Flag(argc, argv, "sync", "1"), &sync);
  (void)absl::SimpleAtoi(Flag(argc, argv, "in_flight", "2"), &in_flight);
  const std::string db_bench = FindDbBench(Flag(argc, argv, "db_bench", ""));

  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path() + "/metrics");
  options.memory_budget_bytes = static_cast<uint64_t>(memory_budget_mb) << 20;
  options.sync_writes = sync != 0;
  const auto indicators = BenchIndicators();

  // Build every request first, so only the RPCs are timed. Every item is a
  // new observation (a bulk load of new figures), going to regions in a
  // scattered order as fillrandom writes random keys: item n is indicator
  // n % 40 of region (n / 40) * 2654435761 mod 2844 (the multiplier is prime
  // to 2844, so each region comes once per 2,844 steps) in year 2000 +
  // n / (40 * 2844).
  std::vector<v1::BatchRecordObservationsRequest> requests;
  size_t key_bytes = 0, value_bytes = 0;
  for (int n = 0; n < items; ++n) {
    if (n % batch == 0) requests.emplace_back();
    const uint64_t step = static_cast<uint64_t>(n) / 40;
    const int region = static_cast<int>((step * 2654435761u) % 2844);
    const int k = n % 40;
    const int year = 2000 + static_cast<int>(step / 2844) % 100;
    auto* item = requests.back().add_requests();
    *item->mutable_observation() = BenchObservation(indicators[k], region, year);
    if (n < 1000) {
      key_bytes +=
          item->observation().subject().size() + item->observation().indicator().size() + 14;
      value_bytes += item->observation().ByteSizeLong() + 60;  // + stamps, name, record
    }
  }
  const int key_size = static_cast<int>(key_bytes / std::min(items, 1000));
  const int value_size = static_cast<int>(value_bytes / std::min(items, 1000));

  // One call at a time (as db_bench's one thread), then `in_flight` at once
  // (a bulk loader's window), each into a new store.
  const double ours = IngestThroughGrpc(requests, indicators, options, 1);
  options.path = dir.path() + "/metrics-window";
  const double windowed =
      in_flight > 1 ? IngestThroughGrpc(requests, indicators, options, in_flight) : 0;
  if (ours < 0 || windowed < 0) return 1;

  // The same batches straight into a second store: what the store costs
  // without gRPC and the request's parsing (the store's own checks of each
  // item against its indicator still run).
  double store_only = 0;
  WriteVolume per_observation;
  {
    auto direct_options = testing::TestStoreOptions(dir.path() + "/direct");
    direct_options.memory_budget_bytes = options.memory_budget_bytes;
    direct_options.sync_writes = options.sync_writes;
    auto direct = MetricsStore::Open(direct_options);
    if (!direct.ok()) return 1;
    for (const auto& i : indicators) {
      if (!(*direct)->CreateIndicator(i, testing::kTestAdmin).ok()) return 1;
    }
    std::vector<std::vector<std::optional<v1::RecordObservationRequest>>> batches;
    for (const auto& request : requests) {
      batches.emplace_back(request.requests().begin(), request.requests().end());
    }
    int written = 0;
    const WriteVolume before = VolumeWritten(**direct);
    const absl::Time direct_start = absl::Now();
    for (auto& items : batches) {
      std::vector<absl::StatusOr<v1::Observation>> results;
      if (!(*direct)->RecordObservations(items, &results, testing::kTestAdmin).ok()) return 1;
      for (const auto& r : results) written += r.ok() ? 1 : 0;
    }
    store_only = written / absl::ToDoubleSeconds(absl::Now() - direct_start);
    const WriteVolume after = VolumeWritten(**direct);
    if (written > 0) {
      per_observation.keys = (after.keys - before.keys) / written;
      per_observation.bytes = (after.bytes - before.bytes) / written;
    }
    (void)(*direct)->Close();
  }

  std::printf(
      "metrics ingest through gRPC: %.0f obs/s (%d observations, batch %d, sync %d, 1 call at a "
      "time, RocksDB budget %d MiB)\n",
      ours, items, batch, sync, memory_budget_mb);
  if (in_flight > 1) {
    std::printf("  with %d calls in flight: %.0f obs/s\n", in_flight, windowed);
  }
  std::printf("  the store alone (MetricsStore::RecordObservations, no gRPC): %.0f obs/s\n",
              store_only);
  std::printf(
      "  each observation writes %.2f keys, %.0f bytes of write batch (record, name index, its "
      "share of the change-feed key)\n",
      per_observation.keys, per_observation.bytes);
  if (db_bench.empty()) {
    std::printf("db_bench not found (apt-get install rocksdb-tools); no ratio\n");
    return 0;
  }
  const double theirs =
      RunDbBench(db_bench, dir.path() + "/db_bench", items, batch, sync, key_size, value_size);
  std::printf("db_bench fillrandom: %.0f ops/s (1 key per op, key %d B, value %d B)\n", theirs,
              key_size, value_size);
  if (theirs > 0) {
    std::printf("context, ratio to one key per observation: %.2f", ours / theirs);
    if (in_flight > 1) std::printf("; %d in flight %.2f", in_flight, windowed / theirs);
    std::printf("; store alone %.2f\n", store_only / theirs);
  }

  // The anchor: db_bench asked to write what the observations wrote (as
  // many keys and bytes per observation as measured above, the batch grown
  // with them). Its keys per second divided by keys per observation is the
  // observations per second that RocksDB alone would reach. It favours the
  // store in one way: all of db_bench's keys are random, where an
  // observation's name-index and change keys come in id order.
  if (per_observation.keys >= 1) {
    const int same_num = static_cast<int>(per_observation.keys * items + 0.5);
    const int same_batch = static_cast<int>(per_observation.keys * batch + 0.5);
    // A write-batch entry carries a type byte, a column family id and two
    // length varints besides its key and value.
    const int same_value =
        std::max(1, static_cast<int>(per_observation.bytes / per_observation.keys) - key_size - 4);
    const double same_keys = RunDbBench(db_bench, dir.path() + "/db_bench_same", same_num,
                                        same_batch, sync, key_size, same_value);
    const double same_observations = same_keys / per_observation.keys;
    std::printf(
        "db_bench writing an observation's volume: %.0f keys/s = %.0f observations/s at %.2f "
        "keys each; through gRPC %.2f of it (goal >= 0.70), store alone %.2f\n",
        same_keys, same_observations, per_observation.keys,
        same_observations > 0 ? ours / same_observations : 0,
        same_observations > 0 ? store_only / same_observations : 0);
  }
  return 0;
}

}  // namespace
}  // namespace fazhi::metrics::bench

int main(int argc, char** argv) { return fazhi::metrics::bench::Main(argc, argv); }
