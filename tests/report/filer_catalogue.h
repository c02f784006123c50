// The catalogue a report server checks filers in, for the report tests: a
// real catalogue server (tests/catalogue/catalogue_server.h) on 127.0.0.1:0
// in its own temp directory, seeded with Shanghai, its districts and the
// units the report tests file as, and dialled as the report service
// (svc/report), as report_server dials it.
#ifndef FAZHI_TESTS_REPORT_FILER_CATALOGUE_H_
#define FAZHI_TESTS_REPORT_FILER_CATALOGUE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/report/filer_check.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/common/baoshan_catalogue.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {

class FilerCatalogue {
 public:
  using Stub = catalogue::v1::CatalogueService::Stub;

  FilerCatalogue() = default;
  FilerCatalogue(const FilerCatalogue&) = delete;
  FilerCatalogue& operator=(const FilerCatalogue&) = delete;

  // Starts the catalogue (seeding it the first time). Call from SetUp or a
  // test body (it asserts).
  void Start() {
    if (stub_ != nullptr) return;
    stub_ = server_.Start();
    if (seeded_) return;
    seeded_ = true;
    namespace cv1 = catalogue::v1;
    ASSERT_TRUE(
        testing::CreateRegion(stub_.get(), "310000", "上海市", cv1::REGION_LEVEL_PROVINCE, "")
            .ok());
    for (const auto& [code, display_name] :
         std::vector<std::pair<std::string, std::string>>{{"310101", "黄浦区"},
                                                          {"310107", "普陀区"},
                                                          {"310110", "杨浦区"},
                                                          {"310113", "宝山区"},
                                                          {"310115", "浦东新区"}}) {
      ASSERT_TRUE(testing::CreateRegion(stub_.get(), code, display_name, cv1::REGION_LEVEL_COUNTY,
                                        "regions/310000")
                      .ok());
    }
    AddUnit("310113-government", "上海市宝山区人民政府", cv1::UNIT_KIND_GOVERNMENT, "310113");
    AddUnit("310110-government", "上海市杨浦区人民政府", cv1::UNIT_KIND_GOVERNMENT, "310110");
    AddUnit("310115-government", "上海市浦东新区人民政府", cv1::UNIT_KIND_GOVERNMENT, "310115");
    AddUnit("310107-justice", "上海市普陀区司法局", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT, "310107");
    AddUnit("310000-law-office", "上海市司法局", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT, "310000");
    AddUnit("310110-law-office", "杨浦区依法治区办", cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT,
            "310110");
    for (int i = 0; i < 10; ++i) {
      AddUnit(absl::StrCat("310113-dept-", i), absl::StrCat("宝山区第", i, "局"),
              cv1::UNIT_KIND_GOVERNMENT_DEPARTMENT, "310113");
    }
    AddUnit("310113-party", "中共上海市宝山区委员会", cv1::UNIT_KIND_PARTY_BODY, "310113");
    AddUnit("310113-court", "上海市宝山区人民法院", cv1::UNIT_KIND_COURT, "310113");
  }

  // The catalogue goes away (the report server keeps its address).
  void Stop() {
    stub_.reset();
    server_.Stop();
  }

  // Creates units/{id} of `kind` in regions/{region_code}.
  void AddUnit(const std::string& id, const std::string& display_name, catalogue::v1::UnitKind kind,
               const std::string& region_code) {
    catalogue::v1::CreateUnitRequest request;
    request.set_unit_id(id);
    request.mutable_unit()->set_display_name(display_name);
    request.mutable_unit()->set_kind(kind);
    request.mutable_unit()->set_level(region_code == "310000" ? catalogue::v1::UNIT_LEVEL_CITY
                                                              : catalogue::v1::UNIT_LEVEL_DISTRICT);
    request.mutable_unit()->set_region(absl::StrCat("regions/", region_code));
    catalogue::v1::Unit out;
    absl::Status s = testing::CallUnary(stub_.get(), &Stub::CreateUnit, request, &out);
    ASSERT_TRUE(s.ok()) << s;
  }

  // The catalogue as the report service reaches it: as svc/report.
  // A catalogue that is down is waited for 1 s.
  CatalogueBackend Backend() const {
    CatalogueBackend backend =
        DialBackend(absl::StrCat("127.0.0.1:", port()),
                    testing::TestChannelSecurity(testing::kTestReportService));
    backend.timeout = absl::Seconds(1);
    return backend;
  }
  int port() const { return server_.port(); }

 private:
  testing::TempDir dir_;
  catalogue::TestCatalogueServer server_{dir_.path()};
  std::unique_ptr<Stub> stub_;
  bool seeded_ = false;
};

}  // namespace fazhi::report

#endif  // FAZHI_TESTS_REPORT_FILER_CATALOGUE_H_
