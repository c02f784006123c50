#include "common/server/request_parse_errors.h"

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/stubs/logging.h"

namespace fazhi::server {
namespace {

namespace gx = grpc::experimental;

// The field the last failed parse on this thread complained about.
thread_local std::string last_bad_field;

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename, int line,
                        const std::string& message) {
  // "String field 'fazhi.catalogue.v1.Project.title' contains invalid UTF-8
  // data when parsing a protocol buffer. ..."
  static constexpr char kPrefix[] = "String field '";
  if (message.rfind(kPrefix, 0) == 0) {
    const size_t begin = sizeof(kPrefix) - 1;
    const size_t end = message.find('\'', begin);
    if (end != std::string::npos && message.find("invalid UTF-8", end) != std::string::npos) {
      last_bad_field = message.substr(begin, end - begin);
      return;  // answered to the caller instead
    }
  }
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n", kLevels[level], filename, line,
               message.c_str());
}

// The caller's error for a request that did not parse; `bad_field` is the
// field the runtime complained about, if it named one.
grpc::Status UnparsableRequest(const std::string& bad_field) {
  return ToGrpcStatus(
      bad_field.empty()
          ? errors::InvalidField("(request)",
                                 "is not a well-formed message of this method's request type")
          : errors::InvalidField(bad_field,
                                 absl::StrCat("holds bytes that are not valid UTF-8; text "
                                              "fields must be UTF-8 (convert GBK/GB18030 "
                                              "first, or send raw files where a bytes field "
                                              "takes them)")));
}

class RequestParseInterceptor : public gx::Interceptor {
 public:
  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(gx::InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The complaint, if any, is taken (and cleared) whether or not this
      // message parsed, so that none outlives the parse that made it.
      std::string complaint;
      complaint.swap(last_bad_field);
      if (methods->GetRecvMessage() == nullptr && !parse_failed_) {
        parse_failed_ = true;
        bad_field_ = std::move(complaint);
      }
    }
    if (methods->QueryInterceptionHookPoint(gx::InterceptionHookPoints::PRE_SEND_STATUS) &&
        parse_failed_ && methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(UnparsableRequest(bad_field_));
    }
    methods->Proceed();
  }

 private:
  bool parse_failed_ = false;
  std::string bad_field_;
};

class RequestParseInterceptorFactory : public gx::ServerInterceptorFactoryInterface {
 public:
  gx::Interceptor* CreateServerInterceptor(gx::ServerRpcInfo*) override {
    return new RequestParseInterceptor();
  }
};

}  // namespace

void CaptureProtobufParseComplaints() {
  static std::once_flag once;
  std::call_once(once, [] { google::protobuf::SetLogHandler(&ProtobufLogHandler); });
}

std::unique_ptr<gx::ServerInterceptorFactoryInterface> NewRequestParseInterceptorFactory() {
  CaptureProtobufParseComplaints();
  return std::make_unique<RequestParseInterceptorFactory>();
}

grpc::Status ParseRawRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message* out) {
  CaptureProtobufParseComplaints();
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (!bytes.Dump(&slices).ok()) return UnparsableRequest("");
  for (const auto& slice : slices) {
    flat.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  last_bad_field.clear();
  const bool parsed = out->ParseFromString(flat);
  std::string complaint;
  complaint.swap(last_bad_field);
  return parsed ? grpc::Status::OK : UnparsableRequest(complaint);
}

}  // namespace fazhi::server
