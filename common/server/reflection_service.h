// The server reflection protocol (grpcurl's list and describe, and how it
// learns the error-detail types), served by the project itself from the
// descriptors compiled into the binary.
//
// Why not the one Debian's gRPC 1.51 ships (libgrpc++_reflection): it
// remembers, per stream, the files it has already sent and puts them first
// in later replies (grpc/grpc#18009). Clients in the grpcurl family take the
// first file of a reply as the answer, so the second `describe` of a stream
// and the decoding of error details fail. Here every request of a stream is
// answered on its own, from nothing but the request:
//
//   - a file reply holds the asked file first, then every file it imports,
//     directly or not, each once, and nothing else;
//   - list_services names what the runner registered, health and reflection;
//   - a name the pool does not know is an error_response with NOT_FOUND, a
//     request naming nothing is INVALID_ARGUMENT, and the stream goes on.
//
// Both grpc.reflection.v1 (what current grpcurl asks first) and
// grpc.reflection.v1alpha (what older clients ask) are served, with the same
// answers: the two contracts have the same messages and field numbers.
#ifndef FAZHI_COMMON_SERVER_REFLECTION_SERVICE_H_
#define FAZHI_COMMON_SERVER_REFLECTION_SERVICE_H_

#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace fazhi::server {

// The full names of the two reflection services, for list_services and
// health.
inline constexpr char kReflectionV1Name[] = "grpc.reflection.v1.ServerReflection";
inline constexpr char kReflectionV1AlphaName[] = "grpc.reflection.v1alpha.ServerReflection";

// Answers one request as described above. `service_names` is what
// list_services returns, in that order. The pool must outlive the call.
grpc::reflection::v1::ServerReflectionResponse AnswerReflectionRequest(
    const google::protobuf::DescriptorPool& pool, const std::vector<std::string>& service_names,
    const grpc::reflection::v1::ServerReflectionRequest& request);

// One version of the service over `pool` (the generated pool by default,
// which knows every contract linked into the binary); the two below.
template <typename Generated, typename Request, typename Response>
class ReflectionServiceOf final : public Generated {
 public:
  explicit ReflectionServiceOf(std::vector<std::string> service_names,
                               const google::protobuf::DescriptorPool* pool =
                                   google::protobuf::DescriptorPool::generated_pool())
      : service_names_(std::move(service_names)), pool_(pool) {}

  grpc::Status ServerReflectionInfo(grpc::ServerContext* context,
                                    grpc::ServerReaderWriter<Response, Request>* stream) override;

 private:
  const std::vector<std::string> service_names_;
  const google::protobuf::DescriptorPool* const pool_;
};

using ReflectionV1Service = ReflectionServiceOf<grpc::reflection::v1::ServerReflection::Service,
                                                grpc::reflection::v1::ServerReflectionRequest,
                                                grpc::reflection::v1::ServerReflectionResponse>;
using ReflectionV1AlphaService =
    ReflectionServiceOf<grpc::reflection::v1alpha::ServerReflection::Service,
                        grpc::reflection::v1alpha::ServerReflectionRequest,
                        grpc::reflection::v1alpha::ServerReflectionResponse>;

}  // namespace fazhi::server

#endif  // FAZHI_COMMON_SERVER_REFLECTION_SERVICE_H_
