// How fazhictl tells a person that a call failed.
#ifndef FAZHI_TOOLS_FAZHICTL_RPC_ERROR_H_
#define FAZHI_TOOLS_FAZHICTL_RPC_ERROR_H_

#include <grpcpp/support/status.h>

#include <string>

namespace fazhi::ctl {

// The canonical name of a gRPC status code, e.g. "UNAVAILABLE".
std::string StatusCodeName(grpc::StatusCode code);

// Describes a failed call: "CODE: message" on the first line, then one line
// per google.rpc.BadRequest field violation ("field F: description") and one
// for a google.rpc.ResourceInfo ("resource T N: description") when the status
// carries them. Every line after the first starts with `indent`. No trailing
// newline. `status` must not be OK.
std::string DescribeRpcError(const grpc::Status& status, const std::string& indent = "  ");

// The resource a google.rpc.ResourceInfo detail of `status` names, or "".
std::string ResourceNameOf(const grpc::Status& status);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_RPC_ERROR_H_
