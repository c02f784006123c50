// Admission benchmark (not a test: prints figures, asserts nothing about
// time). One caller (the Baoshan reporter) floods a catalogue server with
// CreateProject from several threads as fast as it is answered, while
// another (the administrator) files one project and reads one region at a
// steady pace; the second caller's p50/p99 are printed next to the same
// calls without the flood (the anchor), with the server's default per-caller
// limits and, for comparison, with none. The flood's accepted and refused
// counts are printed too.
//
//   build/tests/admission_bench [--seconds=8] [--flood_threads=8] [--paced_per_second=25]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/admission.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/common/baoshan_catalogue.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

ABSL_FLAG(int, seconds, 8, "seconds per measurement");
ABSL_FLAG(int, flood_threads, 8, "threads of the flooding caller");
ABSL_FLAG(int, paced_per_second, 25, "the measured caller's writes (and reads) per second");

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

// The server's defaults (common/server/security_flags.cc).
server::AdmissionOptions DefaultLimits() {
  server::AdmissionOptions options;
  options.writes_per_second = 50;
  options.write_burst = 100;
  options.reads_per_second = 1000;
  options.read_burst = 2000;
  options.streams_per_caller = 8;
  options.streams_per_server = 256;
  return options;
}

v1::CreateProjectRequest Project(const std::string& title) {
  v1::CreateProjectRequest request;
  request.mutable_project()->set_title(title);
  request.mutable_project()->set_year(2023);
  request.mutable_project()->set_level(v1::PROJECT_LEVEL_DISTRICT);
  request.mutable_project()->add_units("units/310113-government");
  request.mutable_project()->set_region("regions/310113");
  return request;
}

absl::Status Call(Stub* stub, const v1::CreateProjectRequest& request) {
  v1::Project out;
  return testing::CallUnary(stub, &Stub::CreateProject, request, &out);
}

struct Latencies {
  std::vector<double> write_ms;
  std::vector<double> read_ms;
  int failed = 0;
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[index];
}

// The administrator's paced writes and reads for `seconds`.
Latencies MeasurePaced(Stub* admin, const std::string& tag, int seconds, int per_second) {
  Latencies out;
  const absl::Duration interval = absl::Seconds(1) / per_second;
  absl::Time next = absl::Now();
  for (int i = 0; i < seconds * per_second; ++i) {
    absl::SleepFor(next - absl::Now());
    next += interval;
    absl::Time start = absl::Now();
    absl::Status written = Call(admin, Project(absl::StrCat("依法行政示范 ", tag, " ", i)));
    out.write_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!written.ok()) ++out.failed;
    v1::GetRegionRequest get;
    get.set_name("regions/310113");
    v1::Region region;
    start = absl::Now();
    absl::Status read = testing::CallUnary(admin, &Stub::GetRegion, get, &region);
    out.read_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
    if (!read.ok()) ++out.failed;
  }
  return out;
}

void PrintRow(const char* limits, const char* load, const Latencies& l) {
  std::printf("%-9s %-11s %9.2f %9.2f %9.2f %9.2f %7d\n", limits, load, Percentile(l.write_ms, 0.5),
              Percentile(l.write_ms, 0.99), Percentile(l.read_ms, 0.5), Percentile(l.read_ms, 0.99),
              l.failed);
}

struct FloodCounts {
  std::atomic<long> accepted{0};
  std::atomic<long> refused{0};
  std::atomic<long> other{0};
};

void Run(const char* label, const server::AdmissionOptions& limits) {
  const int seconds = absl::GetFlag(FLAGS_seconds);
  const int per_second = absl::GetFlag(FLAGS_paced_per_second);
  testing::TempDir dir;
  std::unique_ptr<server::Authorizer> authorizer = testing::NewTestAuthorizer(limits);
  testing::InProcessService<CatalogueStore, CatalogueServiceImpl> catalogue(
      dir.path(), "fazhi.catalogue.v1.CatalogueService");
  catalogue.Start([&](CatalogueStore* store) {
    return std::make_unique<CatalogueServiceImpl>(store, *authorizer);
  });
  auto admin = v1::CatalogueService::NewStub(
      testing::Connect(catalogue.runner().target(), testing::kTestAdmin));
  absl::Status prepared = testing::CreateBaoshanCatalogue(admin.get());
  if (!prepared.ok()) std::fprintf(stderr, "catalogue: %s\n", prepared.ToString().c_str());

  PrintRow(label, "alone", MeasurePaced(admin.get(), "anchor", seconds, per_second));

  FloodCounts flood;
  std::atomic<bool> stop{false};
  std::vector<std::thread> flooders;
  const absl::Time flood_start = absl::Now();
  for (int t = 0; t < absl::GetFlag(FLAGS_flood_threads); ++t) {
    flooders.emplace_back([&, t] {
      // Each thread its own channel, as separate client processes would.
      auto reporter = v1::CatalogueService::NewStub(
          testing::Connect(catalogue.runner().target(), testing::kTestBaoshanReporter));
      for (long i = 0; !stop.load(); ++i) {
        absl::Status status = Call(reporter.get(), Project(absl::StrCat("洪水 ", t, " ", i)));
        if (status.ok()) {
          ++flood.accepted;
        } else if (status.code() == absl::StatusCode::kResourceExhausted) {
          ++flood.refused;
        } else {
          ++flood.other;
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(500));  // the flood under way
  Latencies flooded = MeasurePaced(admin.get(), "flooded", seconds, per_second);
  stop = true;
  for (auto& thread : flooders) thread.join();
  const double flood_seconds = absl::ToDoubleSeconds(absl::Now() - flood_start);
  PrintRow(label, "with flood", flooded);
  std::printf(
      "%-9s flood: %ld accepted (%.1f/s), %ld refused RESOURCE_EXHAUSTED (%.1f/s), %ld "
      "other errors, over %.1f s\n",
      label, flood.accepted.load(), flood.accepted.load() / flood_seconds, flood.refused.load(),
      flood.refused.load() / flood_seconds, flood.other.load(), flood_seconds);
  catalogue.Stop();
}

int Main() {
  std::printf(
      "the measured caller: %d CreateProject + %d GetRegion per second for %d s; "
      "the flood: %d threads of CreateProject from another caller\n",
      absl::GetFlag(FLAGS_paced_per_second), absl::GetFlag(FLAGS_paced_per_second),
      absl::GetFlag(FLAGS_seconds), absl::GetFlag(FLAGS_flood_threads));
  std::printf("%-9s %-11s %9s %9s %9s %9s %7s\n", "limits", "load", "write p50", "write p99",
              "read p50", "read p99", "failed");
  Run("default", DefaultLimits());
  Run("none", server::AdmissionOptions());
  return 0;
}

}  // namespace
}  // namespace fazhi::catalogue

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return fazhi::catalogue::Main();
}
