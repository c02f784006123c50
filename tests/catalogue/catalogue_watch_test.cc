// The catalogue's WatchChanges through the shared stream helper
// (common/server/change_stream.h): a watch is established, with its initial
// metadata, before any change comes, and a write made afterwards is seen.
#include <gtest/gtest.h>

#include <memory>

#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/catalogue_store.h"
#include "tests/catalogue/catalogue_server.h"
#include "tests/testing/test_env.h"
#include "tests/testing/watch.h"

namespace fazhi::catalogue {
namespace {

using Stub = v1::CatalogueService::Stub;

TEST(CatalogueWatchTest, EstablishedBeforeAnyChangeThenSeesTheNextWrite) {
  testing::TempDir dir;
  TestCatalogueServer catalogue(dir.path());
  auto stub = catalogue.Start();
  {
    // Nothing has been written: the constructor still returns, on the
    // initial metadata alone.
    testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change> watch(*stub, 0);
    EXPECT_EQ(watch.head(), "0");
    v1::CreateRegionRequest create;
    create.mutable_region()->set_code("310000");
    create.mutable_region()->set_display_name("上海市");
    create.mutable_region()->set_level(v1::REGION_LEVEL_PROVINCE);
    v1::Region region;
    ASSERT_TRUE(testing::CallUnary(stub.get(), &Stub::CreateRegion, create, &region).ok());
    const auto changes = watch.Read(1);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].sequence(), 1);
    EXPECT_EQ(changes[0].resource(), "regions/310000");
  }
  // A later watch names the change committed since as its head.
  testing::OpenWatch<Stub, v1::WatchChangesRequest, v1::Change> later(*stub, 0);
  EXPECT_EQ(later.head(), "1");
  later.Finish();
  catalogue.Stop();
}

}  // namespace
}  // namespace fazhi::catalogue
