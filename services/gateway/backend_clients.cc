#include "services/gateway/backend_clients.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/server/server_runner.h"
#include "common/status/grpc_status.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

// Retries UNAVAILABLE for the idempotent reads the gateway makes (every call
// it makes is a read), through gRPC's own retry policy.
constexpr char kServiceConfig[] = R"json({
  "methodConfig": [{
    "name": [{"service": "fazhi.catalogue.v1.CatalogueService"},
             {"service": "fazhi.metrics.v1.MetricsService"},
             {"service": "fazhi.report.v1.ReportService"}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.05s",
      "maxBackoff": "0.5s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

std::shared_ptr<grpc::Channel> Dial(const std::string& target) {
  grpc::ChannelArguments args = server::MakeChannelArguments();
  args.SetServiceConfigJSON(kServiceConfig);
  // A restarted backend is found again within a fraction of a second rather
  // than after gRPC's default backoff (1 s growing to 120 s).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(target, server::MakeChannelCredentials(), args);
}

constexpr int kPageSize = 1000;

}  // namespace

BackendClients::BackendClients(const BackendAddresses& addresses)
    : per_call_timeout_(addresses.per_call_timeout),
      catalogue_(cv1::CatalogueService::NewStub(Dial(addresses.catalogue))),
      metrics_(mv1::MetricsService::NewStub(Dial(addresses.metrics))),
      report_(rv1::ReportService::NewStub(Dial(addresses.report))) {}

std::unique_ptr<grpc::ClientContext> BackendClients::NewContext(grpc::ServerContext* parent) const {
  std::unique_ptr<grpc::ClientContext> context;
  if (parent != nullptr) {
    // Propagates the caller's deadline (the earlier of it and ours wins) and
    // cancellation.
    context = grpc::ClientContext::FromServerContext(*parent);
  } else {
    context = std::make_unique<grpc::ClientContext>();
  }
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(per_call_timeout_));
  return context;
}

absl::StatusOr<CatalogueFacts> BackendClients::FetchCatalogueFacts(grpc::ServerContext* parent,
                                                                   const std::string& region_code,
                                                                   int year) {
  CatalogueFacts facts;
  const std::string region = absl::StrCat("regions/", region_code);
  {
    cv1::GetRegionRequest request;
    request.set_name(region);
    auto context = NewContext(parent);
    grpc::Status s = catalogue_->GetRegion(context.get(), request, &facts.region);
    if (!s.ok()) return FromGrpcStatus(s);
  }
  cv1::ListUnitsRequest units;
  units.set_region(region);
  units.set_page_size(kPageSize);
  do {
    cv1::ListUnitsResponse response;
    auto context = NewContext(parent);
    grpc::Status s = catalogue_->ListUnits(context.get(), units, &response);
    if (!s.ok()) return FromGrpcStatus(s);
    facts.units.insert(facts.units.end(), response.units().begin(), response.units().end());
    units.set_page_token(response.next_page_token());
  } while (!units.page_token().empty());

  cv1::ListProjectsRequest projects;
  projects.set_region(region);
  projects.set_year(year);
  projects.set_page_size(kPageSize);
  do {
    cv1::ListProjectsResponse response;
    auto context = NewContext(parent);
    grpc::Status s = catalogue_->ListProjects(context.get(), projects, &response);
    if (!s.ok()) return FromGrpcStatus(s);
    facts.projects.insert(facts.projects.end(), response.projects().begin(),
                          response.projects().end());
    projects.set_page_token(response.next_page_token());
  } while (!projects.page_token().empty());
  return facts;
}

absl::StatusOr<std::vector<cv1::Region>> BackendClients::FetchChildRegions(
    grpc::ServerContext* parent, const std::string& region_code) {
  std::vector<cv1::Region> children;
  cv1::ListRegionsRequest request;
  request.set_parent(absl::StrCat("regions/", region_code));
  request.set_page_size(kPageSize);
  do {
    cv1::ListRegionsResponse response;
    auto context = NewContext(parent);
    grpc::Status s = catalogue_->ListRegions(context.get(), request, &response);
    if (!s.ok()) return FromGrpcStatus(s);
    children.insert(children.end(), response.regions().begin(), response.regions().end());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return children;
}

absl::StatusOr<cv1::Region> BackendClients::FetchRegion(grpc::ServerContext* parent,
                                                        const std::string& region_code) {
  cv1::GetRegionRequest request;
  request.set_name(absl::StrCat("regions/", region_code));
  cv1::Region region;
  auto context = NewContext(parent);
  grpc::Status s = catalogue_->GetRegion(context.get(), request, &region);
  if (!s.ok()) return FromGrpcStatus(s);
  return region;
}

absl::StatusOr<mv1::Snapshot> BackendClients::FetchSnapshot(grpc::ServerContext* parent,
                                                            const std::string& region_code,
                                                            int year) {
  mv1::GetSnapshotRequest request;
  request.set_subject(absl::StrCat("regions/", region_code));
  request.set_year(year);
  mv1::Snapshot snapshot;
  auto context = NewContext(parent);
  grpc::Status s = metrics_->GetSnapshot(context.get(), request, &snapshot);
  if (!s.ok()) return FromGrpcStatus(s);
  return snapshot;
}

absl::StatusOr<std::vector<rv1::Report>> BackendClients::FetchReports(
    grpc::ServerContext* parent, const std::string& region_code, int year) {
  std::vector<rv1::Report> reports;
  rv1::ListReportsRequest request;
  request.set_region(absl::StrCat("regions/", region_code));
  request.set_year(year);
  request.set_page_size(kPageSize);
  do {
    rv1::ListReportsResponse response;
    auto context = NewContext(parent);
    grpc::Status s = report_->ListReports(context.get(), request, &response);
    if (!s.ok()) return FromGrpcStatus(s);
    reports.insert(reports.end(), response.reports().begin(), response.reports().end());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return reports;
}

}  // namespace fazhi::gateway
