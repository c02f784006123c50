#include "common/server/reflection_service.h"

#include <set>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"

namespace fazhi::server {
namespace {

namespace v1 = grpc::reflection::v1;
namespace v1alpha = grpc::reflection::v1alpha;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

void SetError(grpc::StatusCode code, std::string message, v1::ServerReflectionResponse* response) {
  auto* error = response->mutable_error_response();
  error->set_error_code(static_cast<int>(code));
  error->set_error_message(std::move(message));
}

// `asked` serialized first, then each file it imports, directly or through
// another import, once.
void SetFileWithImports(const FileDescriptor* asked, v1::ServerReflectionResponse* response) {
  auto* files = response->mutable_file_descriptor_response();
  std::set<const FileDescriptor*> added = {asked};
  std::vector<const FileDescriptor*> order = {asked};
  for (size_t i = 0; i < order.size(); ++i) {
    for (int d = 0; d < order[i]->dependency_count(); ++d) {
      const FileDescriptor* import = order[i]->dependency(d);
      if (added.insert(import).second) order.push_back(import);
    }
  }
  for (const FileDescriptor* file : order) {
    google::protobuf::FileDescriptorProto proto;
    file->CopyTo(&proto);
    proto.SerializeToString(files->add_file_descriptor_proto());
  }
}

// `file` with its imports, or NOT_FOUND saying `what` is not known.
void SetFileOrNotFound(const FileDescriptor* file, const std::string& what,
                       v1::ServerReflectionResponse* response) {
  if (file == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND, absl::StrCat(what, " is not known here"), response);
  } else {
    SetFileWithImports(file, response);
  }
}

// The message type an extension request names, or an error in `response`.
const Descriptor* FindExtendedType(const DescriptorPool& pool, const std::string& name,
                                   v1::ServerReflectionResponse* response) {
  const Descriptor* type = pool.FindMessageTypeByName(name);
  if (type == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND, absl::StrCat("message type ", name, " is not known here"),
             response);
  }
  return type;
}

}  // namespace

v1::ServerReflectionResponse AnswerReflectionRequest(const DescriptorPool& pool,
                                                     const std::vector<std::string>& service_names,
                                                     const v1::ServerReflectionRequest& request) {
  v1::ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  switch (request.message_request_case()) {
    case v1::ServerReflectionRequest::kFileByFilename:
      SetFileOrNotFound(pool.FindFileByName(request.file_by_filename()),
                        absl::StrCat("file ", request.file_by_filename()), &response);
      break;
    case v1::ServerReflectionRequest::kFileContainingSymbol:
      SetFileOrNotFound(pool.FindFileContainingSymbol(request.file_containing_symbol()),
                        absl::StrCat("symbol ", request.file_containing_symbol()), &response);
      break;
    case v1::ServerReflectionRequest::kFileContainingExtension: {
      const auto& asked = request.file_containing_extension();
      const Descriptor* type = FindExtendedType(pool, asked.containing_type(), &response);
      if (type == nullptr) break;
      const FieldDescriptor* extension = pool.FindExtensionByNumber(type, asked.extension_number());
      SetFileOrNotFound(
          extension == nullptr ? nullptr : extension->file(),
          absl::StrCat("extension ", asked.extension_number(), " of ", asked.containing_type()),
          &response);
      break;
    }
    case v1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const Descriptor* type =
          FindExtendedType(pool, request.all_extension_numbers_of_type(), &response);
      if (type == nullptr) break;
      std::vector<const FieldDescriptor*> extensions;
      pool.FindAllExtensions(type, &extensions);
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const FieldDescriptor* extension : extensions) {
        numbers->add_extension_number(extension->number());
      }
      break;
    }
    case v1::ServerReflectionRequest::kListServices: {
      auto* list = response.mutable_list_services_response();
      for (const std::string& name : service_names) list->add_service()->set_name(name);
      break;
    }
    case v1::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
      SetError(grpc::StatusCode::INVALID_ARGUMENT,
               "the request names nothing: set file_by_filename, file_containing_symbol, "
               "file_containing_extension, all_extension_numbers_of_type or list_services",
               &response);
      break;
  }
  return response;
}

// v1alpha messages cross to v1 and back as bytes: the two contracts have the
// same fields under the same numbers.
template <typename Generated, typename Request, typename Response>
grpc::Status ReflectionServiceOf<Generated, Request, Response>::ServerReflectionInfo(
    grpc::ServerContext*, grpc::ServerReaderWriter<Response, Request>* stream) {
  Request request;
  while (stream->Read(&request)) {
    v1::ServerReflectionResponse answer;
    if constexpr (std::is_same_v<Request, v1::ServerReflectionRequest>) {
      answer = AnswerReflectionRequest(*pool_, service_names_, request);
    } else {
      v1::ServerReflectionRequest as_v1;
      as_v1.ParseFromString(request.SerializeAsString());
      answer = AnswerReflectionRequest(*pool_, service_names_, as_v1);
    }
    Response response;
    if constexpr (std::is_same_v<Response, v1::ServerReflectionResponse>) {
      response = std::move(answer);
    } else {
      response.ParseFromString(answer.SerializeAsString());
    }
    if (!stream->Write(response)) break;
  }
  return grpc::Status::OK;
}

template class ReflectionServiceOf<v1::ServerReflection::Service, v1::ServerReflectionRequest,
                                   v1::ServerReflectionResponse>;
template class ReflectionServiceOf<v1alpha::ServerReflection::Service,
                                   v1alpha::ServerReflectionRequest,
                                   v1alpha::ServerReflectionResponse>;

}  // namespace fazhi::server
