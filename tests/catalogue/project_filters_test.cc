// ListProjects filters on a real store: region with its GB/T 2260
// descendants, year, level, unit, status, flags, theme and text, with
// paging bound to the filters.
#include <gtest/gtest.h>

#include <set>

#include "common/status/errors.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/testing/test_env.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

class ProjectFiltersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stub_ = catalogue_.Start();
    Region("310000", "上海市", v1::REGION_LEVEL_PROVINCE, "");
    Region("310113", "宝山区", v1::REGION_LEVEL_COUNTY, "310000");
    Region("310107", "普陀区", v1::REGION_LEVEL_COUNTY, "310000");
    Region("320000", "江苏省", v1::REGION_LEVEL_PROVINCE, "");
    Region("320100", "南京市", v1::REGION_LEVEL_PREFECTURE, "320000");
    Region("320102", "玄武区", v1::REGION_LEVEL_COUNTY, "320100");
    Unit("310000-justice", "310000");
    Unit("310113-government", "310113");
    Unit("310107-market", "310107");
    Unit("320102-justice", "320102");
    // id, year, level, unit, region, theme, flags (k m e), title
    Project("a", 2021, v1::PROJECT_LEVEL_CITY, "310000-justice", "310000", "汇民力", true, false,
            false, "人民建议征集");
    Project("b", 2021, v1::PROJECT_LEVEL_DISTRICT, "310113-government", "310113", "解民忧", true,
            false, false, "乡村三治融合");
    Project("c", 2022, v1::PROJECT_LEVEL_DISTRICT, "310107-market", "310107", "", false, true,
            false, "老旧住宅电梯维护保养质量监测");
    Project("d", 2023, v1::PROJECT_LEVEL_DISTRICT, "310113-government", "310113", "", false, false,
            true, "三端联动一体化保障两旧一村改造");
    Project("e", 2022, v1::PROJECT_LEVEL_DISTRICT, "320102-justice", "320102", "", false, true,
            false, "南京电梯安全");
  }

  template <typename Request, typename Response>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return testing::CallUnary(stub_.get(), method, request, response);
  }

  void Region(const std::string& code, const std::string& name, v1::RegionLevel level,
              const std::string& parent) {
    v1::CreateRegionRequest r;
    r.mutable_region()->set_code(code);
    r.mutable_region()->set_display_name(name);
    r.mutable_region()->set_level(level);
    if (!parent.empty()) r.mutable_region()->set_parent("regions/" + parent);
    v1::Region out;
    ASSERT_TRUE(Call(&Stub::CreateRegion, r, &out).ok()) << code;
  }

  void Unit(const std::string& id, const std::string& region) {
    v1::CreateUnitRequest u;
    u.set_unit_id(id);
    u.mutable_unit()->set_display_name("单位" + id);
    u.mutable_unit()->set_level(v1::UNIT_LEVEL_DISTRICT);
    u.mutable_unit()->set_kind(v1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
    u.mutable_unit()->set_region("regions/" + region);
    v1::Unit out;
    ASSERT_TRUE(Call(&Stub::CreateUnit, u, &out).ok()) << id;
  }

  void Project(const std::string& id, int year, v1::ProjectLevel level, const std::string& unit,
               const std::string& region, const std::string& theme, bool key, bool anticipated,
               bool excellent, const std::string& title) {
    v1::CreateProjectRequest p;
    p.set_project_id(id);
    auto* project = p.mutable_project();
    project->set_year(year);
    project->set_level(level);
    project->add_units("units/" + unit);
    project->set_region("regions/" + region);
    project->set_theme(theme);
    project->set_key_project(key);
    project->set_most_anticipated(anticipated);
    project->set_excellent(excellent);
    project->set_title(title);
    v1::Project out;
    ASSERT_TRUE(Call(&Stub::CreateProject, p, &out).ok()) << id;
  }

  // The ids a query returns, following pages of `page_size`.
  std::vector<std::string> Ids(v1::ListProjectsRequest request, int page_size = 100) {
    request.set_page_size(page_size);
    std::vector<std::string> ids;
    for (int pages = 0; pages < 20; ++pages) {
      v1::ListProjectsResponse response;
      absl::Status s = Call(&Stub::ListProjects, request, &response);
      EXPECT_TRUE(s.ok()) << s;
      for (const auto& p : response.projects()) ids.push_back(p.name().substr(9));
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }

  testing::TempDir dir_;
  TestCatalogueServer catalogue_{dir_.path()};
  std::unique_ptr<Stub> stub_;
};

TEST_F(ProjectFiltersTest, RegionWithAndWithoutDescendants) {
  v1::ListProjectsRequest request;
  request.set_region("regions/310000");
  EXPECT_EQ(Ids(request), std::vector<std::string>({"a"}));
  request.set_include_descendants(true);
  // Ordered by region code, then year, then id.
  EXPECT_EQ(Ids(request), std::vector<std::string>({"a", "c", "b", "d"}));
  request.set_year(2021);
  EXPECT_EQ(Ids(request), std::vector<std::string>({"a", "b"}));
  v1::ListProjectsRequest jiangsu;
  jiangsu.set_region("regions/320000");
  jiangsu.set_include_descendants(true);
  EXPECT_EQ(Ids(jiangsu), std::vector<std::string>({"e"}));
  jiangsu.set_region("regions/320100");
  EXPECT_EQ(Ids(jiangsu), std::vector<std::string>({"e"}));
}

TEST_F(ProjectFiltersTest, FieldFiltersCombine) {
  v1::ListProjectsRequest request;
  request.set_level(v1::PROJECT_LEVEL_DISTRICT);
  EXPECT_EQ(Ids(request), std::vector<std::string>({"b", "c", "e", "d"}));
  request.add_flags(v1::PROJECT_FLAG_MOST_ANTICIPATED);
  EXPECT_EQ(Ids(request), std::vector<std::string>({"c", "e"}));
  request.set_text("电梯");
  request.set_region("regions/310000");
  request.set_include_descendants(true);
  EXPECT_EQ(Ids(request), std::vector<std::string>({"c"}));

  v1::ListProjectsRequest by_unit;
  by_unit.set_unit("units/310113-government");
  EXPECT_EQ(Ids(by_unit), std::vector<std::string>({"b", "d"}));
  v1::ListProjectsRequest by_theme;
  by_theme.set_theme("汇民力");
  EXPECT_EQ(Ids(by_theme), std::vector<std::string>({"a"}));
  v1::ListProjectsRequest excellent;
  excellent.add_flags(v1::PROJECT_FLAG_EXCELLENT);
  excellent.set_status(v1::PROJECT_STATUS_PROPOSED);
  EXPECT_EQ(Ids(excellent), std::vector<std::string>({"d"}));
  excellent.set_status(v1::PROJECT_STATUS_DELIVERED);
  EXPECT_TRUE(Ids(excellent).empty());
}

TEST_F(ProjectFiltersTest, FilteredPagesAreCompleteAndTokensAreBoundToTheFilters) {
  v1::ListProjectsRequest request;
  request.set_level(v1::PROJECT_LEVEL_DISTRICT);
  EXPECT_EQ(Ids(request, 1), std::vector<std::string>({"b", "c", "e", "d"}));
  request.set_page_size(1);
  v1::ListProjectsResponse first;
  ASSERT_TRUE(Call(&Stub::ListProjects, request, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  request.set_text("电梯");  // a different query now
  v1::ListProjectsResponse second;
  absl::Status s = Call(&Stub::ListProjects, request, &second);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(s, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "page_token");
}

TEST_F(ProjectFiltersTest, OrderByFieldsWithStablePages) {
  v1::ListProjectsRequest request;
  request.set_order_by("year desc, title");
  // By code point: 2023: d; 2022: e (南 U+5357) before c (老 U+8001); 2021:
  // b (乡 U+4E61) before a (人 U+4EBA).
  const std::vector<std::string> expected = {"d", "e", "c", "b", "a"};
  EXPECT_EQ(Ids(request), expected);
  EXPECT_EQ(Ids(request, 2), expected);
  request.set_order_by("year asc,title desc");
  EXPECT_EQ(Ids(request, 1), std::vector<std::string>({"a", "b", "c", "e", "d"}));

  // A project added between pages is listed once, in its place if that is
  // still ahead, and every earlier project exactly once.
  request.set_order_by("year desc, title");
  request.set_page_size(2);
  v1::ListProjectsResponse first;
  ASSERT_TRUE(Call(&Stub::ListProjects, request, &first).ok());
  ASSERT_EQ(first.projects_size(), 2);
  Project("f", 2021, v1::PROJECT_LEVEL_CITY, "310000-justice", "310000", "", false, false, false,
          "一网通办法治服务");
  Project("g", 2024, v1::PROJECT_LEVEL_CITY, "310000-justice", "310000", "", false, false, false,
          "新的项目");
  request.set_page_token(first.next_page_token());
  std::vector<std::string> rest;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListProjectsResponse page;
    ASSERT_TRUE(Call(&Stub::ListProjects, request, &page).ok());
    for (const auto& p : page.projects()) rest.push_back(p.name().substr(9));
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  // g (2024) sorts before the cursor and is not seen; f (一 U+4E00) sorts
  // first among 2021's titles.
  EXPECT_EQ(rest, std::vector<std::string>({"c", "f", "b", "a"}));

  v1::ListProjectsRequest bad;
  bad.set_order_by("votes desc");
  v1::ListProjectsResponse response;
  absl::Status s = Call(&Stub::ListProjects, bad, &response);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest fields;
  ASSERT_TRUE(errors::GetDetail(s, &fields));
  EXPECT_EQ(fields.field_violations(0).field(), "order_by");
}

TEST_F(ProjectFiltersTest, BadFiltersAreNamed) {
  v1::ListProjectsRequest request;
  request.set_include_descendants(true);
  request.add_flags(v1::PROJECT_FLAG_UNSPECIFIED);
  request.set_unit("units/Not Valid");
  v1::ListProjectsResponse response;
  absl::Status s = Call(&Stub::ListProjects, request, &response);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(errors::GetDetail(s, &bad));
  std::set<std::string> fields;
  for (const auto& v : bad.field_violations()) fields.insert(v.field());
  EXPECT_EQ(fields, std::set<std::string>({"include_descendants", "unit", "flags[0]"}));
}

TEST(DescendantCodePrefixTest, FollowsTheCodeLevels) {
  EXPECT_EQ(DescendantCodePrefix("310000"), "31");
  EXPECT_EQ(DescendantCodePrefix("310100"), "3101");
  EXPECT_EQ(DescendantCodePrefix("310113"), "310113");
  EXPECT_EQ(DescendantCodePrefix("110000"), "11");
}

}  // namespace
}  // namespace fazhi::catalogue

namespace fazhi::catalogue {
namespace {

v1::ImportProjectRow Row(int64_t number, const std::string& title,
                         std::vector<std::string> unit_names, const std::string& request_id) {
  v1::ImportProjectRow row;
  row.set_row(number);
  auto* p = row.mutable_create()->mutable_project();
  p->set_year(2022);
  p->set_level(v1::PROJECT_LEVEL_DISTRICT);
  p->set_title(title);
  p->set_region("regions/310113");
  row.mutable_create()->set_request_id(request_id);
  for (auto& n : unit_names) row.add_unit_names(n);
  return row;
}

TEST_F(ProjectFiltersTest, ImportKeepsGoodRowsAndListsEveryBadOne) {
  auto import = [&](const std::vector<v1::ImportProjectRow>& rows) {
    grpc::ClientContext context;
    v1::ImportProjectsResponse response;
    auto writer = stub_->ImportProjects(&context, &response);
    for (const auto& row : rows) EXPECT_TRUE(writer->Write(row));
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  };
  const std::vector<v1::ImportProjectRow> rows = {
      Row(1, "长江退捕与禁捕联勤联动", {"单位310113-government"}, "import-1"),
      Row(2, "", {"单位310113-government"}, "import-2"),           // empty title
      Row(3, "不存在的单位的项目", {"没有这个单位"}, "import-3"),  // unknown name
      Row(4, "两个单位的项目", {"单位310113-government", "单位310000-justice"}, "import-4"),
      Row(5, "乡村三治融合", {"单位310113-government"}, "import-5"),
  };
  auto first = import(rows);
  EXPECT_EQ(first.accepted(), 3);
  ASSERT_EQ(first.rejected_size(), 2);
  EXPECT_EQ(first.rejected(0).row(), 2);
  EXPECT_EQ(first.rejected(0).code(), "INVALID_ARGUMENT");
  EXPECT_EQ(std::vector<std::string>(first.rejected(0).fields().begin(),
                                     first.rejected(0).fields().end()),
            std::vector<std::string>({"project.title"}));
  EXPECT_EQ(first.rejected(1).row(), 3);
  EXPECT_EQ(first.rejected(1).fields(0), "unit_names[0]");

  // The good rows are stored, with units resolved from their names.
  v1::ListProjectsRequest list;
  list.set_unit("units/310000-justice");
  list.set_year(2022);
  EXPECT_EQ(Ids(list).size(), 1u);

  // Importing again adds nothing twice.
  auto second = import(rows);
  EXPECT_EQ(second.accepted(), 0);
  EXPECT_EQ(second.already_present(), 3);
  EXPECT_EQ(second.rejected_size(), 2);
}

}  // namespace
}  // namespace fazhi::catalogue
