// Catalogue read benchmark: Get and List (page of 50) over 100,000 projects,
// QPS and p50/p99 through gRPC, printed next to the health Check of the same
// server in the same run, with the ratios.
//
//   build/tests/catalogue_bench [--projects=100000] [--concurrency=8] [--seconds=5]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/testing/test_env.h"
#include "tools/fazhiload/load.h"

ABSL_FLAG(int, projects, 100000, "projects to load");
ABSL_FLAG(int, concurrency, 8, "callers");
ABSL_FLAG(int, seconds, 5, "seconds per measurement");

namespace fazhi::catalogue {
namespace {

const char* const kDistricts[] = {"310101", "310104", "310105", "310106", "310107", "310109",
                                  "310110", "310112", "310113", "310114", "310115", "310116",
                                  "310117", "310118", "310120", "310151"};

void Die(const absl::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "catalogue_bench: %s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

int Main() {
  const int projects = absl::GetFlag(FLAGS_projects);
  testing::TempDir dir;
  auto options = testing::TestStoreOptions(dir.path());
  options.memory_budget_bytes = 256ull << 20;
  options.sync_writes = false;  // loading only; the benchmark measures reads
  auto store = CatalogueStore::Open(options);
  Die(store.status(), "open");

  v1::Region city;
  city.set_code("310000");
  city.set_display_name("上海市");
  city.set_level(v1::REGION_LEVEL_PROVINCE);
  Die((*store)->CreateRegion(city).status(), "region");
  for (const char* code : kDistricts) {
    v1::Region district;
    district.set_code(code);
    district.set_display_name(absl::StrCat("区", code));
    district.set_level(v1::REGION_LEVEL_COUNTY);
    district.set_parent("regions/310000");
    Die((*store)->CreateRegion(district).status(), "district");
    v1::Unit unit;
    unit.set_display_name(absl::StrCat("司法局", code));
    unit.set_level(v1::UNIT_LEVEL_DISTRICT);
    unit.set_kind(v1::UNIT_KIND_GOVERNMENT_DEPARTMENT);
    unit.set_region(absl::StrCat("regions/", code));
    Die((*store)->CreateUnit(absl::StrCat(code, "-justice"), unit).status(), "unit");
  }
  const absl::Time load_start = absl::Now();
  for (int i = 0; i < projects; ++i) {
    const char* code = kDistricts[i % 16];
    v1::Project p;
    p.set_year(2000 + (i / 16) % 100);
    p.set_level(v1::PROJECT_LEVEL_DISTRICT);
    p.set_title(absl::StrCat("法治为民办实事项目第", i, "号"));
    p.add_units(absl::StrCat("units/", code, "-justice"));
    p.set_region(absl::StrCat("regions/", code));
    p.set_description("为群众提供公共法律服务，推进矛盾纠纷多元化解。");
    p.set_status(v1::PROJECT_STATUS_REGISTERED);
    Die((*store)->CreateProject(absl::StrCat("p", i), p, "").status(), "project");
  }
  std::printf("loaded %d projects in %.1f s\n", projects,
              absl::ToDoubleSeconds(absl::Now() - load_start));

  CatalogueServiceImpl service(store->get(), testing::TestAuthorizer());
  auto server = testing::StartInProcess(&service, "fazhi.catalogue.v1.CatalogueService");
  auto channel = server::Dial(server->target(), server::ChannelSecurity());
  load::LoadOptions load;
  load.concurrency = absl::GetFlag(FLAGS_concurrency);
  load.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));

  auto run = [&](const std::string& method, const std::string& json, int64_t n_values) {
    load.method = method;
    auto maker = load::JsonRequestMaker(method, json, n_values);
    Die(maker.status(), "request");
    return load::RunLoad(channel, load, *maker);
  };
  const auto health = run("/grpc.health.v1.Health/Check", "{}", 0);
  const auto get = run("/fazhi.catalogue.v1.CatalogueService/GetProject",
                       R"({"name":"projects/p{n}"})", projects);
  // One page of 50 of one district's year (each holds ~62 projects).
  const auto list = run("/fazhi.catalogue.v1.CatalogueService/ListProjects",
                        R"({"region":"regions/310113","year":201{n},"page_size":50})", 10);
  std::printf("\ncatalogue, %d projects, concurrency %d, %d s each, same server and run\n",
              projects, load.concurrency, absl::GetFlag(FLAGS_seconds));
  std::printf("%s\n", load::FormatResult("health Check (anchor)", health).c_str());
  std::printf("%s   ratio %.2f\n", load::FormatResult("GetProject", get).c_str(),
              get.qps / health.qps);
  std::printf("%s   ratio %.2f\n", load::FormatResult("ListProjects (page of 50)", list).c_str(),
              list.qps / health.qps);
  server->Shutdown();
  return (get.errors + list.errors + health.errors) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fazhi::catalogue

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return fazhi::catalogue::Main();
}
