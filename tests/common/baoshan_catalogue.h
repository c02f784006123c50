// The least catalogue a Baoshan reporter can file projects in: Shanghai,
// Baoshan district under it, and the district government as the
// responsible unit. For the admission test and benchmark.
#ifndef FAZHI_TESTS_COMMON_BAOSHAN_CATALOGUE_H_
#define FAZHI_TESTS_COMMON_BAOSHAN_CATALOGUE_H_

#include <string>

#include "absl/status/status.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "tests/testing/test_env.h"

namespace fazhi::testing {

// Creates region `code` through `admin`.
inline absl::Status CreateRegion(catalogue::v1::CatalogueService::Stub* admin,
                                 const std::string& code, const std::string& display_name,
                                 catalogue::v1::RegionLevel level, const std::string& parent) {
  catalogue::v1::CreateRegionRequest request;
  request.mutable_region()->set_code(code);
  request.mutable_region()->set_display_name(display_name);
  request.mutable_region()->set_level(level);
  request.mutable_region()->set_parent(parent);
  catalogue::v1::Region out;
  return CallUnary(admin, &catalogue::v1::CatalogueService::Stub::CreateRegion, request, &out);
}

// Creates them through `admin` (three writes); the first failure, if any.
inline absl::Status CreateBaoshanCatalogue(catalogue::v1::CatalogueService::Stub* admin) {
  namespace v1 = catalogue::v1;
  using Stub = v1::CatalogueService::Stub;
  if (absl::Status s = CreateRegion(admin, "310000", "上海市", v1::REGION_LEVEL_PROVINCE, "");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CreateRegion(admin, "310113", "宝山区", v1::REGION_LEVEL_COUNTY, "regions/310000");
      !s.ok()) {
    return s;
  }
  v1::CreateUnitRequest unit;
  unit.set_unit_id("310113-government");
  unit.mutable_unit()->set_display_name("上海市宝山区人民政府");
  unit.mutable_unit()->set_kind(v1::UNIT_KIND_GOVERNMENT);
  unit.mutable_unit()->set_level(v1::UNIT_LEVEL_DISTRICT);
  unit.mutable_unit()->set_region("regions/310113");
  v1::Unit out;
  return CallUnary(admin, &Stub::CreateUnit, unit, &out);
}

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_COMMON_BAOSHAN_CATALOGUE_H_
