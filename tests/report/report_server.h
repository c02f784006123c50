// A report server for integration tests: ReportServiceImpl with the shipped
// rules over a real ReportStore in a given directory, served on 127.0.0.1:0
// (tests/testing/in_process_service.h), checking filers in a real seeded
// catalogue server of its own (filer_catalogue.h), optionally publishing to
// a metrics server; restartable on the same directory. And the seed reports
// as filed.
#ifndef FAZHI_TESTS_REPORT_REPORT_SERVER_H_
#define FAZHI_TESTS_REPORT_REPORT_SERVER_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "services/report/report_service.h"
#include "services/report/report_store.h"
#include "tests/report/filer_catalogue.h"
#include "tests/testing/in_process_service.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {

// A seed text (read from ../shared/seeds) as `filer` of `region` files it
// for `year`.
inline v1::Report SeedReport(const std::string& seed, const std::string& filer,
                             const std::string& region, int year) {
  v1::Report report;
  report.set_filer(filer);
  report.set_region(region);
  report.set_year(year);
  report.set_text(testing::ReadSeed(seed));
  return report;
}

// The Baoshan government's report on 2023 (seed 002).
inline v1::Report Baoshan2023Report() {
  return SeedReport("002_4f28ee6da608f1e8.txt", "units/310113-government", "regions/310113", 2023);
}

// The Putuo justice bureau's report on 2020 (seed 004).
inline v1::Report Putuo2020Report() {
  return SeedReport("004_e0cd47a7b08ce18d.txt", "units/310107-justice", "regions/310107", 2020);
}

class TestReportServer {
 public:
  using Stub = v1::ReportService::Stub;

  explicit TestReportServer(std::string dir)
      : report_(std::move(dir), "fazhi.report.v1.ReportService") {}

  // Starts the catalogue too, the first time.
  void Start(MetricsBackend metrics = {}) {
    if (!catalogue_started_) {
      catalogue_.Start();
      catalogue_started_ = true;
    }
    report_.Start([&metrics, this](ReportStore* store) {
      return std::make_unique<ReportServiceImpl>(
          store, testing::TestAuthorizer(), testing::ShippedRules(), metrics, catalogue_.Backend());
    });
    stub_ = v1::ReportService::NewStub(report_.channel());
  }

  void Stop() {
    stub_.reset();
    report_.Stop();
  }

  Stub& stub() { return *stub_; }
  FilerCatalogue& catalogue() { return catalogue_; }
  ReportStore* store() { return report_.store(); }
  std::string target() const { return absl::StrCat("127.0.0.1:", report_.port()); }
  server::ServerRunner& runner() { return report_.runner(); }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  v1::Report Submit(const v1::Report& report) {
    v1::SubmitReportRequest request;
    *request.mutable_report() = report;
    v1::Report response;
    absl::Status s = Call(&Stub::SubmitReport, request, &response);
    EXPECT_TRUE(s.ok()) << s;
    return response;
  }

 private:
  // Declared first: it outlives the report server that calls it.
  FilerCatalogue catalogue_;
  bool catalogue_started_ = false;
  testing::InProcessService<ReportStore, ReportServiceImpl> report_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace fazhi::report

#endif  // FAZHI_TESTS_REPORT_REPORT_SERVER_H_
