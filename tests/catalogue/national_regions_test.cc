// The catalogue at national scale: about 3,200 generated GB/T 2260 regions
// (provinces, prefectures, counties), listed by parent with paging, and
// projects found through their region's ancestors.
#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

constexpr int kProvinces = 34;
constexpr int kPrefecturesPerProvince = 10;
constexpr int kCountiesPerPrefecture = 8;

TEST(NationalRegionsTest, ThreeThousandRegionsListByParentAndAncestor) {
  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path());
  options.sync_writes = false;  // a bulk load; durability is tested elsewhere
  auto store = CatalogueStore::Open(options);
  ASSERT_TRUE(store.ok());
  int created = 0;
  for (int p = 1; p <= kProvinces; ++p) {
    const std::string province = absl::StrFormat("%02d0000", 10 + p);
    v1::Region r;
    r.set_code(province);
    r.set_display_name(absl::StrFormat("省%d", p));
    r.set_level(v1::REGION_LEVEL_PROVINCE);
    r.set_name("regions/" + province);
    ASSERT_TRUE((*store)->CreateRegion(r).ok());
    ++created;
    for (int f = 1; f <= kPrefecturesPerProvince; ++f) {
      const std::string prefecture = absl::StrFormat("%02d%02d00", 10 + p, f);
      v1::Region pr;
      pr.set_code(prefecture);
      pr.set_display_name(absl::StrFormat("市%d-%d", p, f));
      pr.set_level(v1::REGION_LEVEL_PREFECTURE);
      pr.set_parent("regions/" + province);
      ASSERT_TRUE((*store)->CreateRegion(pr).ok());
      ++created;
      for (int c = 1; c <= kCountiesPerPrefecture; ++c) {
        v1::Region county;
        county.set_code(absl::StrFormat("%02d%02d%02d", 10 + p, f, c));
        county.set_display_name(absl::StrFormat("县%d-%d-%d", p, f, c));
        county.set_level(v1::REGION_LEVEL_COUNTY);
        county.set_parent("regions/" + prefecture);
        ASSERT_TRUE((*store)->CreateRegion(county).ok());
        ++created;
      }
    }
  }
  ASSERT_EQ(created, 34 + 340 + 2720);

  // Every region, in code order, through pages of 1000.
  v1::ListRegionsRequest all;
  all.set_page_size(1000);
  int seen = 0;
  std::string last;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = (*store)->ListRegions(all);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& r : page->regions()) {
      EXPECT_LT(last, r.code());
      last = r.code();
      ++seen;
    }
    if (page->next_page_token().empty()) break;
    all.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen, created);

  // Children of one prefecture, and of one province.
  v1::ListRegionsRequest children;
  children.set_parent("regions/320500");
  auto counties = (*store)->ListRegions(children);
  ASSERT_TRUE(counties.ok());
  EXPECT_EQ(counties->regions_size(), kCountiesPerPrefecture);
  EXPECT_EQ(counties->regions(0).code(), "320501");
  children.set_parent("regions/320000");
  auto prefectures = (*store)->ListRegions(children);
  ASSERT_TRUE(prefectures.ok());
  EXPECT_EQ(prefectures->regions_size(), kPrefecturesPerProvince);

  // A county's project is found from its province with descendants.
  v1::Unit unit;
  unit.set_display_name("某县司法局");
  unit.set_level(v1::UNIT_LEVEL_DISTRICT);
  unit.set_kind(v1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
  unit.set_region("regions/320503");
  unit.set_name("units/320503-justice");
  ASSERT_TRUE((*store)->CreateUnit("320503-justice", unit).ok());
  v1::Project project;
  project.set_year(2024);
  project.set_level(v1::PROJECT_LEVEL_DISTRICT);
  project.set_title("县级法治为民办实事");
  project.add_units("units/320503-justice");
  project.set_region("regions/320503");
  ASSERT_TRUE((*store)->CreateProject("county-project", project, "").ok());
  v1::ListProjectsRequest from_province;
  from_province.set_region("regions/320000");
  from_province.set_include_descendants(true);
  auto found = (*store)->ListProjects(from_province);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->projects_size(), 1);
  from_province.set_region("regions/330000");
  auto other = (*store)->ListProjects(from_province);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->projects_size(), 0);
}

}  // namespace
}  // namespace fazhi::catalogue
