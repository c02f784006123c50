#include "services/gateway/backend_clients.h"

#include <algorithm>
#include <chrono>
#include <future>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/api/limits.h"
#include "common/api/resource_names.h"
#include "common/server/call_identity.h"
#include "common/server/tls.h"
#include "common/status/grpc_status.h"

namespace fazhi::gateway {
namespace {

namespace cv1 = fazhi::catalogue::v1;
namespace mv1 = fazhi::metrics::v1;
namespace rv1 = fazhi::report::v1;

// Retries UNAVAILABLE (a backend restarting, a connection reset) for every
// method of `service`: the gateway only reads, and reads are idempotent.
// Attempts stay within the call's deadline.
std::string RetryingServiceConfig(const std::string& service) {
  return absl::StrFormat(R"json({
  "methodConfig": [{
    "name": [{"service": "%s"}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.05s",
      "maxBackoff": "0.5s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json",
                         service);
}

std::shared_ptr<grpc::Channel> Dial(const std::string& target, const std::string& service,
                                    const server::ChannelSecurity& security) {
  grpc::ChannelArguments args = server::MakeChannelArguments();
  args.SetServiceConfigJSON(RetryingServiceConfig(service));
  // A restarted backend is found again within a fraction of a second rather
  // than after gRPC's default backoff (1 s growing to 120 s).
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return server::Dial(target, security, std::move(args));
}

constexpr int kPageSize = 1000;

}  // namespace

std::string DescribeError(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
}

template <typename Service>
BackendClients::Client<Service>::Client(const std::string& name, const BackendConfig& config,
                                        const server::ChannelSecurity& security)
    : timeout(config.timeout),
      limit(name, config.max_in_flight),
      stub(Service::NewStub(Dial(config.address, Service::service_full_name(), security))) {}

BackendClients::BackendClients(const BackendsConfig& config)
    : catalogue_("catalogue", config.catalogue, config.security),
      metrics_("metrics", config.metrics, config.security),
      report_("report", config.report, config.security) {}

InFlightLimit& BackendClients::limit(Backend backend) {
  switch (backend) {
    case Backend::kCatalogue:
      return catalogue_.limit;
    case Backend::kMetrics:
      return metrics_.limit;
    case Backend::kReport:
      break;
  }
  return report_.limit;
}

template <typename Service, typename Request, typename Response>
absl::Status BackendClients::Call(Client<Service>& backend, const grpc::ServerContextBase* parent,
                                  grpc::Status (Service::Stub::*method)(grpc::ClientContext*,
                                                                        const Request&, Response*),
                                  const Request& request, Response* response) {
  std::unique_ptr<grpc::ClientContext> context;
  auto deadline = std::chrono::system_clock::now() + absl::ToChronoMilliseconds(backend.timeout);
  if (parent != nullptr) {
    // Propagates the caller's deadline and cancellation; gRPC gives the call
    // the earlier of the caller's deadline and the one set below.
    context = grpc::ClientContext::FromServerContext(*parent);
    deadline = std::min(deadline, parent->deadline());
    if (caller_of_) server::ActFor(*context, caller_of_(*parent));
  } else {
    context = std::make_unique<grpc::ClientContext>();
  }
  context->set_deadline(deadline);
  InFlightSlot slot;
  if (absl::Status s = slot.Acquire(backend.limit, absl::FromChrono(deadline)); !s.ok()) {
    return s;
  }
  return FromGrpcStatus(((*backend.stub).*method)(context.get(), request, response));
}

template <typename Item, typename Service, typename Request, typename Response>
absl::StatusOr<std::vector<Item>> BackendClients::ListAll(
    Client<Service>& backend, const grpc::ServerContextBase* parent,
    grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    Request request, const google::protobuf::RepeatedPtrField<Item>& (Response::*items)() const) {
  std::vector<Item> all;
  request.set_page_size(kPageSize);
  do {
    Response response;
    if (absl::Status s = Call(backend, parent, method, request, &response); !s.ok()) return s;
    const auto& page = (response.*items)();
    all.insert(all.end(), page.begin(), page.end());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return all;
}

absl::StatusOr<CatalogueFacts> BackendClients::FetchCatalogueFacts(
    const grpc::ServerContextBase* parent, const std::string& region_code, int year) {
  // The three lists at once: the region's name is known from its code.
  const std::string region = api::RegionName(region_code);
  auto units = std::async(std::launch::async, [&] {
    cv1::ListUnitsRequest request;
    request.set_region(region);
    return ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListUnits, request,
                   &cv1::ListUnitsResponse::units);
  });
  auto projects = std::async(std::launch::async, [&] {
    cv1::ListProjectsRequest request;
    request.set_region(region);
    request.set_year(year);
    return ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListProjects, request,
                   &cv1::ListProjectsResponse::projects);
  });
  auto found = FetchRegion(parent, region_code);
  auto unit_list = units.get();
  auto project_list = projects.get();
  // The region's own answer first: NOT_FOUND says the region does not exist.
  if (!found.ok()) return found.status();
  if (!unit_list.ok()) return unit_list.status();
  if (!project_list.ok()) return project_list.status();
  CatalogueFacts facts;
  facts.region = *std::move(found);
  facts.units = *std::move(unit_list);
  facts.projects = *std::move(project_list);
  return facts;
}

absl::StatusOr<std::vector<cv1::Region>> BackendClients::FetchChildRegions(
    const grpc::ServerContextBase* parent, const std::string& region_code) {
  cv1::ListRegionsRequest request;
  request.set_parent(api::RegionName(region_code));
  return ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListRegions, request,
                 &cv1::ListRegionsResponse::regions);
}

absl::StatusOr<std::vector<cv1::Region>> BackendClients::FetchAllRegions(
    const grpc::ServerContextBase* parent) {
  return ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListRegions,
                 cv1::ListRegionsRequest(), &cv1::ListRegionsResponse::regions);
}

absl::StatusOr<cv1::Region> BackendClients::FetchRegion(const grpc::ServerContextBase* parent,
                                                        const std::string& region_code) {
  cv1::GetRegionRequest request;
  request.set_name(api::RegionName(region_code));
  cv1::Region region;
  absl::Status s =
      Call(catalogue_, parent, &cv1::CatalogueService::Stub::GetRegion, request, &region);
  if (!s.ok()) return s;
  return region;
}

absl::StatusOr<mv1::Snapshot> BackendClients::FetchSnapshot(const grpc::ServerContextBase* parent,
                                                            const std::string& region_code,
                                                            int year) {
  mv1::GetSnapshotRequest request;
  request.set_subject(api::RegionName(region_code));
  request.set_year(year);
  mv1::Snapshot snapshot;
  absl::Status s =
      Call(metrics_, parent, &mv1::MetricsService::Stub::GetSnapshot, request, &snapshot);
  if (!s.ok()) return s;
  return snapshot;
}

absl::StatusOr<std::vector<rv1::Report>> BackendClients::FetchReports(
    const grpc::ServerContextBase* parent, const std::string& region_code, int year) {
  rv1::ListReportsRequest request;
  request.set_region(api::RegionName(region_code));
  request.set_year(year);
  return ListAll(report_, parent, &rv1::ReportService::Stub::ListReports, request,
                 &rv1::ListReportsResponse::reports);
}

absl::StatusOr<std::map<std::string, CatalogueFacts>> BackendClients::FetchCatalogueFactsOf(
    const grpc::ServerContextBase* parent, const std::vector<cv1::Region>& regions, int year) {
  auto units = std::async(std::launch::async, [&] {
    return ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListUnits,
                   cv1::ListUnitsRequest(), &cv1::ListUnitsResponse::units);
  });
  cv1::ListProjectsRequest request;
  request.set_year(year);
  auto projects = ListAll(catalogue_, parent, &cv1::CatalogueService::Stub::ListProjects, request,
                          &cv1::ListProjectsResponse::projects);
  auto unit_list = units.get();
  if (!unit_list.ok()) return unit_list.status();
  if (!projects.ok()) return projects.status();
  std::map<std::string, CatalogueFacts> facts;
  std::map<std::string, CatalogueFacts*> by_name;
  for (const auto& region : regions) {
    CatalogueFacts& f = facts[region.code()];
    f.region = region;
    by_name[region.name()] = &f;
  }
  for (auto& unit : *unit_list) {
    auto it = by_name.find(unit.region());
    if (it != by_name.end()) it->second->units.push_back(std::move(unit));
  }
  for (auto& project : *projects) {
    auto it = by_name.find(project.region());
    if (it != by_name.end()) it->second->projects.push_back(std::move(project));
  }
  return facts;
}

absl::StatusOr<std::map<std::string, mv1::Snapshot>> BackendClients::FetchSnapshotsOf(
    const grpc::ServerContextBase* parent, const std::vector<std::string>& region_codes, int year) {
  // BatchGetSnapshots' limit, from the one place limits are kept: a batch
  // over it is refused whole, which left every line of a ranking of more
  // regions partial.
  constexpr size_t kBatch = limits::kMaxSnapshotSubjects;
  std::vector<std::future<absl::StatusOr<mv1::BatchGetSnapshotsResponse>>> batches;
  for (size_t begin = 0; begin < region_codes.size(); begin += kBatch) {
    mv1::BatchGetSnapshotsRequest request;
    request.set_year(year);
    for (size_t i = begin; i < std::min(region_codes.size(), begin + kBatch); ++i) {
      request.add_subjects(api::RegionName(region_codes[i]));
    }
    batches.push_back(std::async(
        std::launch::async,
        [this, parent,
         request = std::move(request)]() -> absl::StatusOr<mv1::BatchGetSnapshotsResponse> {
          mv1::BatchGetSnapshotsResponse response;
          absl::Status s = Call(metrics_, parent, &mv1::MetricsService::Stub::BatchGetSnapshots,
                                request, &response);
          if (!s.ok()) return s;
          return response;
        }));
  }
  std::map<std::string, mv1::Snapshot> snapshots;
  absl::Status first_error;
  size_t at = 0;
  for (auto& batch : batches) {
    auto response = batch.get();
    if (!response.ok()) {
      if (first_error.ok()) first_error = response.status();
      continue;
    }
    for (auto& snapshot : *response->mutable_snapshots()) {
      snapshots[region_codes[at++]] = std::move(snapshot);
    }
  }
  if (!first_error.ok()) return first_error;
  return snapshots;
}

absl::StatusOr<std::map<std::string, std::vector<rv1::Report>>> BackendClients::FetchReportsOf(
    const grpc::ServerContextBase* parent, const std::vector<std::string>& region_codes, int year) {
  rv1::ListReportsRequest request;
  request.set_year(year);
  auto all = ListAll(report_, parent, &rv1::ReportService::Stub::ListReports, request,
                     &rv1::ListReportsResponse::reports);
  if (!all.ok()) return all.status();
  std::map<std::string, std::vector<rv1::Report>> reports;
  for (const auto& code : region_codes) reports[code];
  for (auto& report : *all) {
    auto it = reports.find(api::RegionCodeOf(report.region()));
    if (it != reports.end()) it->second.push_back(std::move(report));
  }
  return reports;
}

absl::StatusOr<cv1::Project> BackendClients::FetchProject(const grpc::ServerContextBase* parent,
                                                          const std::string& project) {
  cv1::GetProjectRequest request;
  request.set_name(project);
  cv1::Project answer;
  absl::Status s =
      Call(catalogue_, parent, &cv1::CatalogueService::Stub::GetProject, request, &answer);
  if (!s.ok()) return s;
  return answer;
}

absl::StatusOr<cv1::Unit> BackendClients::FetchUnit(const grpc::ServerContextBase* parent,
                                                    const std::string& unit) {
  cv1::GetUnitRequest request;
  request.set_name(unit);
  cv1::Unit answer;
  absl::Status s =
      Call(catalogue_, parent, &cv1::CatalogueService::Stub::GetUnit, request, &answer);
  if (!s.ok()) return s;
  return answer;
}

absl::StatusOr<std::vector<mv1::Observation>> BackendClients::FetchObservations(
    const grpc::ServerContextBase* parent, const std::string& subject, int year) {
  mv1::ListObservationsRequest request;
  request.set_subject(subject);
  request.set_year(year);
  return ListAll(metrics_, parent, &mv1::MetricsService::Stub::ListObservations, request,
                 &mv1::ListObservationsResponse::observations);
}

absl::StatusOr<std::vector<mv1::Indicator>> BackendClients::FetchIndicators(
    const grpc::ServerContextBase* parent) {
  return ListAll(metrics_, parent, &mv1::MetricsService::Stub::ListIndicators,
                 mv1::ListIndicatorsRequest(), &mv1::ListIndicatorsResponse::indicators);
}

absl::StatusOr<rv1::SearchReportsResponse> BackendClients::SearchReports(
    const grpc::ServerContextBase* parent, const rv1::SearchReportsRequest& request) {
  rv1::SearchReportsResponse response;
  absl::Status s =
      Call(report_, parent, &rv1::ReportService::Stub::SearchReports, request, &response);
  if (!s.ok()) return s;
  return response;
}

}  // namespace fazhi::gateway
