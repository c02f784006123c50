// The catalogue's gRPC adapter: validate the request, call the store, map
// the status. No domain decisions are made here.
#ifndef FAZHI_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
#define FAZHI_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_

#include "common/server/authorizer.h"
#include "common/server/change_stream.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "services/catalogue/catalogue_store.h"

namespace fazhi::catalogue {

class CatalogueServiceImpl final
    : public v1::CatalogueService::WithCallbackMethod_WatchChanges<v1::CatalogueService::Service> {
 public:
  // `store` and `authorizer` must outlive the service. Who may call what:
  // the rules in catalogue_service.cc (kRules).
  CatalogueServiceImpl(CatalogueStore* store, server::Authorizer& authorizer);

  grpc::Status CreateRegion(grpc::ServerContext*, const v1::CreateRegionRequest*,
                            v1::Region*) override;
  grpc::Status GetRegion(grpc::ServerContext*, const v1::GetRegionRequest*, v1::Region*) override;
  grpc::Status ListRegions(grpc::ServerContext*, const v1::ListRegionsRequest*,
                           v1::ListRegionsResponse*) override;
  grpc::Status CreateUnit(grpc::ServerContext*, const v1::CreateUnitRequest*, v1::Unit*) override;
  grpc::Status UpdateRegion(grpc::ServerContext*, const v1::UpdateRegionRequest*,
                            v1::Region*) override;
  grpc::Status DeleteRegion(grpc::ServerContext*, const v1::DeleteRegionRequest*,
                            google::protobuf::Empty*) override;
  grpc::Status UpdateUnit(grpc::ServerContext*, const v1::UpdateUnitRequest*, v1::Unit*) override;
  grpc::Status DeleteUnit(grpc::ServerContext*, const v1::DeleteUnitRequest*,
                          google::protobuf::Empty*) override;
  grpc::Status GetUnit(grpc::ServerContext*, const v1::GetUnitRequest*, v1::Unit*) override;
  grpc::Status ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest*,
                         v1::ListUnitsResponse*) override;
  grpc::Status LookupUnit(grpc::ServerContext*, const v1::LookupUnitRequest*, v1::Unit*) override;
  grpc::Status CreateProject(grpc::ServerContext*, const v1::CreateProjectRequest*,
                             v1::Project*) override;
  grpc::Status GetProject(grpc::ServerContext*, const v1::GetProjectRequest*,
                          v1::Project*) override;
  grpc::Status ListProjects(grpc::ServerContext*, const v1::ListProjectsRequest*,
                            v1::ListProjectsResponse*) override;
  grpc::Status UpdateProject(grpc::ServerContext*, const v1::UpdateProjectRequest*,
                             v1::Project*) override;
  grpc::Status DeleteProject(grpc::ServerContext*, const v1::DeleteProjectRequest*,
                             google::protobuf::Empty*) override;
  grpc::Status TransitionProject(grpc::ServerContext*, const v1::TransitionProjectRequest*,
                                 v1::Project*) override;
  grpc::Status ReviewProject(grpc::ServerContext* context, const v1::ReviewProjectRequest* request,
                             v1::Project* response) override;
  grpc::Status ListChanges(grpc::ServerContext*, const v1::ListChangesRequest*,
                           v1::ListChangesResponse*) override;
  // On the callback API: an open watch holds no thread (change_stream.h).
  grpc::ServerWriteReactor<v1::Change>* WatchChanges(grpc::CallbackServerContext*,
                                                     const v1::WatchChangesRequest*) override;
  grpc::Status ImportProjects(grpc::ServerContext*, grpc::ServerReader<v1::ImportProjectRow>*,
                              v1::ImportProjectsResponse*) override;

  // Ends every open WatchChanges stream with UNAVAILABLE (the caller resumes
  // from its last sequence elsewhere or later). For shutdown.
  void StopWatches() { watches_.Stop(); }
  // WatchChanges streams open now.
  size_t OpenWatches() const { return watches_.open_streams(); }

 private:
  // Validates, normalizes and stores one project create; shared by
  // CreateProject and ImportProjects.
  absl::StatusOr<v1::Project> Create(const v1::CreateProjectRequest& request,
                                     const storage::Caller& caller);
  // Authorizes a call to `method` that writes projects of `regions` (codes),
  // for the reviewer too when it marks a project excellent.
  absl::StatusOr<storage::Caller> AuthorizeProjectWrite(const grpc::ServerContext& context,
                                                        absl::string_view method,
                                                        std::vector<std::string> regions,
                                                        bool marks_excellent,
                                                        absl::string_view request_id = "");
  // The region code of a stored project, for authorizing a write to it.
  absl::StatusOr<std::string> RegionOfProject(absl::string_view project_name);

  CatalogueStore* store_;
  server::Authorizer& authorizer_;
  const server::MethodRules& rules_;
  server::ChangeStreams<v1::Change> watches_{"the catalogue",
                                             server::ChangeSourceOf<v1::Change>(store_)};
};

}  // namespace fazhi::catalogue

#endif  // FAZHI_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
