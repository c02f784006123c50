// The inputs of a project dossier (project_dossier.h), fetched: the
// catalogue names the project, then its details, the metrics of its units
// and region, and the report passages that mention it are asked at once.
//
// Backend calls carry the deadline and cancellation of the gateway call
// they answer (`context`, may be null). Dossiers are never cached.
#ifndef FAZHI_SERVICES_GATEWAY_DOSSIER_SOURCE_H_
#define FAZHI_SERVICES_GATEWAY_DOSSIER_SOURCE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/backend_clients.h"
#include "services/gateway/project_dossier.h"

namespace fazhi::gateway {

class DossierSource {
 public:
  // `clients` must outlive this object; `clock` dates the dossier (its day
  // in Beijing).
  DossierSource(BackendClients* clients, std::function<absl::Time()> clock)
      : clients_(*clients), clock_(std::move(clock)) {}

  // The dossier's inputs for `project` ("projects/{id}"), with at most
  // `max_passages` report passages per search. NOT_FOUND when the catalogue
  // has no such project; a backend that did not answer is described in the
  // inputs, not returned as an error.
  absl::StatusOr<DossierInputs> FetchInputs(const grpc::ServerContextBase* context,
                                            const std::string& project, int max_passages);

 private:
  BackendClients& clients_;
  const std::function<absl::Time()> clock_;
};

}  // namespace fazhi::gateway

#endif  // FAZHI_SERVICES_GATEWAY_DOSSIER_SOURCE_H_
