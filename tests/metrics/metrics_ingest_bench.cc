// metrics_ingest_bench: observations per second through BatchRecordObservations
// over gRPC (a real server on 127.0.0.1, synced writes), next to RocksDB's own
// `db_bench --benchmarks=fillrandom` run in the same process tree with the same
// number of writes, batch size, sync setting and comparable key/value sizes.
//
//   metrics_ingest_bench [--items=N] [--batch=N] [--sync=0|1] [--db_bench=PATH]
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
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

// ops/sec printed by db_bench ("fillrandom : 2.9 micros/op 344827 ops/sec").
double RunDbBench(const std::string& command) {
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

int Main(int argc, char** argv) {
  int items = 200000, batch = 1000, sync = 1;
  (void)absl::SimpleAtoi(Flag(argc, argv, "items", "200000"), &items);
  (void)absl::SimpleAtoi(Flag(argc, argv, "batch", "1000"), &batch);
  (void)absl::SimpleAtoi(Flag(argc, argv, "sync", "1"), &sync);
  const std::string db_bench = FindDbBench(Flag(argc, argv, "db_bench", ""));

  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path() + "/metrics");
  options.memory_budget_bytes = 256ull << 20;
  options.sync_writes = sync != 0;
  auto store = MetricsStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  MetricsServiceImpl service(store->get(), testing::ShippedRules());
  auto server = testing::StartInProcess(&service, "fazhi.metrics.v1.MetricsService");
  auto stub = v1::MetricsService::NewStub(testing::Connect(server->target()));
  const auto indicators = BenchIndicators();
  for (const auto& i : indicators) {
    if (!(*store)->CreateIndicator(i).ok()) return 1;
  }

  // Build every request first, so only the RPCs are timed. Items go to
  // regions in a scattered order, as fillrandom writes random keys.
  std::vector<v1::BatchRecordObservationsRequest> requests;
  size_t key_bytes = 0, value_bytes = 0;
  for (int n = 0; n < items; ++n) {
    if (n % batch == 0) requests.emplace_back();
    const int region = static_cast<int>((static_cast<uint64_t>(n) * 2654435761u) % 2844);
    const int k = n % 40;
    const int year = 2000 + (n / (2844 * 40)) % 100;
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

  const absl::Time start = absl::Now();
  int accepted = 0;
  for (const auto& request : requests) {
    grpc::ClientContext context;
    v1::BatchRecordObservationsResponse response;
    grpc::Status s = stub->BatchRecordObservations(&context, request, &response);
    if (!s.ok()) {
      std::fprintf(stderr, "BatchRecordObservations: %s\n", s.error_message().c_str());
      return 1;
    }
    accepted += response.accepted_count();
    for (const auto& result : response.results()) {
      if (result.has_error()) {
        std::fprintf(stderr, "item rejected: %s\n", result.error().message().c_str());
        return 1;
      }
    }
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double ours = accepted / seconds;
  server->Shutdown();
  (void)(*store)->Close();

  std::printf(
      "metrics ingest through gRPC: %d observations in %.2f s = %.0f obs/s "
      "(batch %d, sync %d, 1 client)\n",
      accepted, seconds, ours, batch, sync);
  if (db_bench.empty()) {
    std::printf("db_bench not found (apt-get install rocksdb-tools); no ratio\n");
    return 0;
  }
  const std::string command =
      absl::StrCat(db_bench, " --benchmarks=fillrandom --db=", dir.path(),
                   "/db_bench --num=", items, " --batch_size=", batch, " --sync=", sync,
                   " --key_size=", key_size, " --value_size=", value_size, " --threads=1 2>&1");
  std::printf("running: %s\n", command.c_str());
  const double theirs = RunDbBench(command);
  std::printf("db_bench fillrandom: %.0f ops/s (key %d B, value %d B)\n", theirs, key_size,
              value_size);
  if (theirs > 0) std::printf("ratio metrics/db_bench: %.2f (goal >= 0.70)\n", ours / theirs);
  return 0;
}

}  // namespace
}  // namespace fazhi::metrics::bench

int main(int argc, char** argv) { return fazhi::metrics::bench::Main(argc, argv); }
