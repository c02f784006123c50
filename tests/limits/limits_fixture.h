// The four services' three stores in process (tests/gateway/backend_servers.h)
// with helpers to call them and to read the field violations of a refusal,
// for the tests of the limits (common/api/limits.h).
#ifndef FAZHI_TESTS_LIMITS_LIMITS_FIXTURE_H_
#define FAZHI_TESTS_LIMITS_LIMITS_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "tests/gateway/backend_servers.h"
#include "tests/testing/test_env.h"

namespace fazhi::limits_test {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

// The fields a status's BadRequest names, in order; empty without one.
using ::fazhi::testing::ViolatedFields;

// The description of the violation on `field`, "" when there is none.
inline std::string ViolationOn(const absl::Status& status, const std::string& field) {
  google::rpc::BadRequest bad_request;
  if (!errors::GetDetail(status, &bad_request)) return "";
  for (const auto& v : bad_request.field_violations()) {
    if (v.field() == field) return v.description();
  }
  return "";
}

inline cv1::Region MakeRegion(const std::string& code, const std::string& name,
                              cv1::RegionLevel level, const std::string& parent_code) {
  cv1::Region region;
  region.set_code(code);
  region.set_display_name(name);
  region.set_level(level);
  if (!parent_code.empty()) region.set_parent("regions/" + parent_code);
  return region;
}

// A district-level project of Baoshan's government in 2023.
inline cv1::Project MakeProject(const std::string& title) {
  cv1::Project project;
  project.set_year(2023);
  project.set_level(cv1::PROJECT_LEVEL_DISTRICT);
  project.set_title(title);
  project.add_units("units/310113-government");
  project.set_region("regions/310113");
  return project;
}

// Baoshan's district government, the unit the tests' projects belong to.
inline cv1::CreateUnitRequest BaoshanGovernment() {
  cv1::CreateUnitRequest unit;
  unit.set_unit_id("310113-government");
  unit.mutable_unit()->set_display_name("宝山区人民政府");
  unit.mutable_unit()->set_level(cv1::UNIT_LEVEL_DISTRICT);
  unit.mutable_unit()->set_kind(cv1::UNIT_KIND_GOVERNMENT);
  unit.mutable_unit()->set_region("regions/310113");
  return unit;
}

class LimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backends_ = std::make_unique<testing::BackendServers>(dir_.path());
    ASSERT_TRUE(CreateRegion(MakeRegion("310000", "上海市", cv1::REGION_LEVEL_PROVINCE, "")).ok());
    ASSERT_TRUE(
        CreateRegion(MakeRegion("310113", "宝山区", cv1::REGION_LEVEL_COUNTY, "310000")).ok());
    cv1::Unit created;
    ASSERT_TRUE(
        Catalogue(&cv1::CatalogueService::Stub::CreateUnit, BaoshanGovernment(), &created).ok());
  }

  template <typename Request, typename Response>
  absl::Status Catalogue(grpc::Status (cv1::CatalogueService::Stub::*method)(grpc::ClientContext*,
                                                                             const Request&,
                                                                             Response*),
                         const Request& request, Response* response) {
    return testing::CallUnary(&backends_->catalogue(), method, request, response);
  }
  template <typename Request, typename Response>
  absl::Status Metrics(grpc::Status (mv1::MetricsService::Stub::*method)(grpc::ClientContext*,
                                                                         const Request&, Response*),
                       const Request& request, Response* response) {
    return testing::CallUnary(&backends_->metrics(), method, request, response);
  }
  template <typename Request, typename Response>
  absl::Status Report(grpc::Status (rv1::ReportService::Stub::*method)(grpc::ClientContext*,
                                                                       const Request&, Response*),
                      const Request& request, Response* response) {
    return testing::CallUnary(&backends_->report(), method, request, response);
  }

  absl::Status CreateRegion(const cv1::Region& region) {
    cv1::CreateRegionRequest request;
    *request.mutable_region() = region;
    cv1::Region response;
    return Catalogue(&cv1::CatalogueService::Stub::CreateRegion, request, &response);
  }
  absl::Status CreateProject(const cv1::Project& project, cv1::Project* out = nullptr) {
    cv1::CreateProjectRequest request;
    *request.mutable_project() = project;
    cv1::Project response;
    absl::Status s = Catalogue(&cv1::CatalogueService::Stub::CreateProject, request, &response);
    if (out != nullptr) *out = response;
    return s;
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::BackendServers> backends_;
};

}  // namespace fazhi::limits_test

#endif  // FAZHI_TESTS_LIMITS_LIMITS_FIXTURE_H_
