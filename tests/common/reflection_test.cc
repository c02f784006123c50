// The reflection every server answers, driven the way grpcurl drives it:
// one stream, list the services, then the file of each symbol in turn, and
// the error-detail types of a failed call looked up by name. Every reply is
// checked as a client that trusts a reply's first file would read it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/server/reflection_service.h"
#include "common/status/grpc_status.h"
#include "fazhi/catalogue/v1/catalogue_service.grpc.pb.h"
#include "fazhi/gateway/v1/gateway_service.grpc.pb.h"
#include "fazhi/metrics/v1/metrics_service.grpc.pb.h"
#include "fazhi/report/v1/report_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/rpc/status.pb.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "services/gateway/gateway_service.h"
#include "tests/gateway/backend_servers.h"
#include "tests/testing/test_env.h"

namespace fazhi {
namespace {

namespace v1 = grpc::reflection::v1;
namespace v1alpha = grpc::reflection::v1alpha;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptorProto;

// One reflection stream of either version. Requests and replies are handled
// as v1 messages: v1alpha has the same fields under the same numbers, so they
// cross as bytes.
class ReflectionStream {
 public:
  virtual ~ReflectionStream() = default;
  // Sends `request` and reads its reply; fails the test when the stream
  // breaks.
  virtual v1::ServerReflectionResponse Ask(const v1::ServerReflectionRequest& request) = 0;
};

template <typename Api, typename Request, typename Response>
class StreamOf final : public ReflectionStream {
 public:
  explicit StreamOf(const std::shared_ptr<grpc::Channel>& channel) : stub_(Api::NewStub(channel)) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    stream_ = stub_->ServerReflectionInfo(&context_);
  }
  ~StreamOf() override {
    stream_->WritesDone();
    EXPECT_TRUE(stream_->Finish().ok());
  }

  v1::ServerReflectionResponse Ask(const v1::ServerReflectionRequest& request) override {
    Request sent;
    sent.ParseFromString(request.SerializeAsString());
    EXPECT_TRUE(stream_->Write(sent));
    Response received;
    EXPECT_TRUE(stream_->Read(&received));
    v1::ServerReflectionResponse answer;
    answer.ParseFromString(received.SerializeAsString());
    return answer;
  }

 private:
  std::unique_ptr<typename Api::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<Request, Response>> stream_;
};

std::unique_ptr<ReflectionStream> OpenStream(const std::shared_ptr<grpc::Channel>& channel,
                                             const std::string& version) {
  if (version == "v1") {
    return std::make_unique<
        StreamOf<v1::ServerReflection, v1::ServerReflectionRequest, v1::ServerReflectionResponse>>(
        channel);
  }
  return std::make_unique<StreamOf<v1alpha::ServerReflection, v1alpha::ServerReflectionRequest,
                                   v1alpha::ServerReflectionResponse>>(channel);
}

v1::ServerReflectionRequest FileContainingSymbol(const std::string& symbol) {
  v1::ServerReflectionRequest request;
  request.set_file_containing_symbol(symbol);
  return request;
}

v1::ServerReflectionRequest FileByName(const std::string& name) {
  v1::ServerReflectionRequest request;
  request.set_file_by_filename(name);
  return request;
}

// The files of a file reply, in order.
std::vector<FileDescriptorProto> FilesOf(const v1::ServerReflectionResponse& reply) {
  std::vector<FileDescriptorProto> files;
  for (const auto& bytes : reply.file_descriptor_response().file_descriptor_proto()) {
    EXPECT_TRUE(files.emplace_back().ParseFromString(bytes));
  }
  return files;
}

// Builds `name` into `pool` from `files`, its imports first.
const google::protobuf::FileDescriptor* BuildWithImports(
    const std::string& name, const std::map<std::string, const FileDescriptorProto*>& files,
    DescriptorPool* pool) {
  if (const auto* built = pool->FindFileByName(name)) return built;
  const FileDescriptorProto& file = *files.at(name);
  for (const auto& import : file.dependency()) BuildWithImports(import, files, pool);
  return pool->BuildFile(file);
}

// Checks one file reply: it holds files, the first is what a grpcurl-style
// client takes as the answer, and the rest are exactly the files the first
// imports, directly or not, each once. Returns the files' pool (every file
// built from the reply alone), or null after failing the test.
std::unique_ptr<DescriptorPool> CheckFileReply(const v1::ServerReflectionResponse& reply,
                                               const std::string& asked) {
  if (!reply.has_file_descriptor_response()) {
    ADD_FAILURE() << asked << ": no file reply: " << reply.error_response().error_message();
    return nullptr;
  }
  const std::vector<FileDescriptorProto> files = FilesOf(reply);
  if (files.empty()) {
    ADD_FAILURE() << asked << ": an empty file reply";
    return nullptr;
  }
  std::map<std::string, const FileDescriptorProto*> by_name;
  for (const auto& f : files) {
    EXPECT_TRUE(by_name.emplace(f.name(), &f).second) << asked << ": " << f.name() << " twice";
  }
  // Everything the first file needs, walked from the reply itself.
  std::set<std::string> needed = {files[0].name()};
  std::vector<std::string> todo = {files[0].name()};
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      ADD_FAILURE() << asked << ": imports " << name << " but the reply does not hold it";
      return nullptr;
    }
    for (const auto& import : it->second->dependency()) {
      if (needed.insert(import).second) todo.push_back(import);
    }
  }
  std::set<std::string> held;
  for (const auto& [name, file] : by_name) held.insert(name);
  EXPECT_EQ(held, needed) << asked << ": the reply holds files " << files[0].name()
                          << " does not depend on";
  auto pool = std::make_unique<DescriptorPool>();
  EXPECT_NE(BuildWithImports(files[0].name(), by_name, pool.get()), nullptr) << asked;
  return pool;
}

// Asks for `symbol`'s file and checks that the reply's first file defines it.
std::unique_ptr<DescriptorPool> DescribeSymbol(ReflectionStream& stream,
                                               const std::string& symbol) {
  const v1::ServerReflectionResponse reply = stream.Ask(FileContainingSymbol(symbol));
  auto pool = CheckFileReply(reply, symbol);
  if (pool == nullptr) return nullptr;
  const auto* defining = pool->FindFileContainingSymbol(symbol);
  const std::string first = FilesOf(reply)[0].name();
  EXPECT_TRUE(defining != nullptr && defining->name() == first)
      << symbol << " is not in the reply's first file " << first;
  return pool;
}

struct Server {
  std::string name;
  std::string target;
  std::string service;
};

class ReflectionTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    backends_ = new testing::BackendServers(dir_->path());
    gateway_ = new gateway::GatewayServiceImpl(backends_->GatewayOptionsFor(),
                                               testing::TestAuthorizer(), testing::ShippedRules());
    gateway_runner_ =
        testing::StartInProcess(gateway_, "fazhi.gateway.v1.GatewayService").release();
  }
  static void TearDownTestSuite() {
    delete gateway_runner_;
    delete gateway_;
    delete backends_;
    delete dir_;
  }

  static std::vector<Server> Servers() {
    return {
        {"catalogue", backends_->target(gateway::Backend::kCatalogue),
         "fazhi.catalogue.v1.CatalogueService"},
        {"metrics", backends_->target(gateway::Backend::kMetrics),
         "fazhi.metrics.v1.MetricsService"},
        {"report", backends_->target(gateway::Backend::kReport), "fazhi.report.v1.ReportService"},
        {"gateway", gateway_runner_->target(), "fazhi.gateway.v1.GatewayService"},
    };
  }

  static testing::TempDir* dir_;
  static testing::BackendServers* backends_;
  static gateway::GatewayServiceImpl* gateway_;
  static server::ServerRunner* gateway_runner_;
};

testing::TempDir* ReflectionTest::dir_ = nullptr;
testing::BackendServers* ReflectionTest::backends_ = nullptr;
gateway::GatewayServiceImpl* ReflectionTest::gateway_ = nullptr;
server::ServerRunner* ReflectionTest::gateway_runner_ = nullptr;

// grpcurl's `describe` with no symbol, and then more: on one stream, every
// listed service, each of its methods and their message types, and each
// file those replies import by name. Whatever was sent before on the
// stream, each reply starts with the asked file and holds only its imports.
TEST_P(ReflectionTest, DescribeEverythingOnOneStream) {
  for (const Server& server : Servers()) {
    SCOPED_TRACE(server.name + " " + GetParam());
    auto stream = OpenStream(testing::Connect(server.target), GetParam());
    v1::ServerReflectionRequest list;
    list.set_list_services("*");
    const v1::ServerReflectionResponse listed = stream->Ask(list);
    std::vector<std::string> services;
    for (const auto& s : listed.list_services_response().service()) services.push_back(s.name());
    EXPECT_EQ(std::set<std::string>(services.begin(), services.end()),
              (std::set<std::string>{server.service, "grpc.health.v1.Health",
                                     server::kReflectionV1Name, server::kReflectionV1AlphaName}))
        << absl::StrJoin(services, ", ");

    int files_asked = 0;
    for (const std::string& service_name : services) {
      auto pool = DescribeSymbol(*stream, service_name);
      ASSERT_NE(pool, nullptr) << service_name;
      const auto* service = pool->FindServiceByName(service_name);
      ASSERT_NE(service, nullptr) << service_name;
      for (int m = 0; m < service->method_count(); ++m) {
        const auto* method = service->method(m);
        DescribeSymbol(*stream, method->full_name());
        DescribeSymbol(*stream, method->input_type()->full_name());
        DescribeSymbol(*stream, method->output_type()->full_name());
      }
      for (int d = 0; d < service->file()->dependency_count(); ++d) {
        const std::string import = service->file()->dependency(d)->name();
        const v1::ServerReflectionResponse reply = stream->Ask(FileByName(import));
        if (CheckFileReply(reply, import) != nullptr) {
          EXPECT_EQ(FilesOf(reply)[0].name(), import);
        }
        ++files_asked;
      }
    }
    EXPECT_GT(files_asked, 0);
  }
}

// A name the server does not know is NOT_FOUND, and the stream goes on.
TEST_P(ReflectionTest, UnknownNamesAreNotFoundAndTheStreamGoesOn) {
  const Server server = Servers()[0];
  auto stream = OpenStream(testing::Connect(server.target), GetParam());
  std::vector<v1::ServerReflectionRequest> unknown = {FileContainingSymbol("fazhi.no.Such"),
                                                      FileByName("fazhi/no/such.proto")};
  unknown.emplace_back().set_all_extension_numbers_of_type("fazhi.no.Such");
  auto* extension = unknown.emplace_back().mutable_file_containing_extension();
  extension->set_containing_type("google.protobuf.FieldOptions");
  extension->set_extension_number(536870911);
  for (const auto& request : unknown) {
    const v1::ServerReflectionResponse reply = stream->Ask(request);
    ASSERT_TRUE(reply.has_error_response()) << request.ShortDebugString();
    EXPECT_EQ(reply.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_FALSE(reply.error_response().error_message().empty());
    EXPECT_EQ(reply.original_request().SerializeAsString(), request.SerializeAsString());
  }
  const v1::ServerReflectionResponse empty = stream->Ask(v1::ServerReflectionRequest());
  ASSERT_TRUE(empty.has_error_response());
  EXPECT_EQ(empty.error_response().error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::ServerReflectionRequest extensions;
  extensions.set_all_extension_numbers_of_type("google.protobuf.FieldOptions");
  const v1::ServerReflectionResponse numbers = stream->Ask(extensions);
  ASSERT_TRUE(numbers.has_all_extension_numbers_response());
  EXPECT_EQ(numbers.all_extension_numbers_response().base_type_name(),
            "google.protobuf.FieldOptions");
  DescribeSymbol(*stream, server.service);
}

// The details of a failed call, each looked up by the type its Any names
// through the server's reflection alone (nothing compiled into the client),
// then decoded: what grpcurl does to print them.
void ExpectDetailsReadableThroughReflection(const std::string& target, const grpc::Status& failed,
                                            const std::string& version) {
  ASSERT_FALSE(failed.ok());
  google::rpc::Status sent;
  ASSERT_TRUE(sent.ParseFromString(failed.error_details()));
  ASSERT_GT(sent.details_size(), 0);
  auto stream = OpenStream(testing::Connect(target), version);
  for (const auto& any : sent.details()) {
    const std::string type_name = any.type_url().substr(any.type_url().rfind('/') + 1);
    auto pool = DescribeSymbol(*stream, type_name);
    ASSERT_NE(pool, nullptr) << type_name;
    const auto* type = pool->FindMessageTypeByName(type_name);
    ASSERT_NE(type, nullptr) << type_name;
    google::protobuf::DynamicMessageFactory factory(pool.get());
    std::unique_ptr<google::protobuf::Message> detail(factory.GetPrototype(type)->New());
    ASSERT_TRUE(detail->ParseFromString(any.value())) << type_name;
    EXPECT_NE(detail->ByteSizeLong(), 0u) << type_name;
    const auto* reflection = detail->GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> set_fields;
    reflection->ListFields(*detail, &set_fields);
    EXPECT_FALSE(set_fields.empty()) << type_name << " decodes to nothing";
  }
}

TEST_P(ReflectionTest, ErrorDetailsOfFailedCallsResolveThroughReflection) {
  {
    auto stub =
        fazhi::gateway::v1::GatewayService::NewStub(testing::Connect(gateway_runner_->target()));
    fazhi::gateway::v1::GetDistrictComplianceSummaryRequest request;
    request.set_region_code("31011x");
    request.set_year(1800);
    fazhi::gateway::v1::DistrictComplianceSummary reply;
    grpc::ClientContext context;
    const grpc::Status failed = stub->GetDistrictComplianceSummary(&context, request, &reply);
    EXPECT_EQ(failed.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    ExpectDetailsReadableThroughReflection(gateway_runner_->target(), failed, GetParam());
  }
  {
    const std::string target = backends_->target(gateway::Backend::kCatalogue);
    auto stub = fazhi::catalogue::v1::CatalogueService::NewStub(testing::Connect(target));
    fazhi::catalogue::v1::GetRegionRequest request;
    request.set_name("regions/310199");
    fazhi::catalogue::v1::Region reply;
    grpc::ClientContext context;
    const grpc::Status failed = stub->GetRegion(&context, request, &reply);
    EXPECT_EQ(failed.error_code(), grpc::StatusCode::NOT_FOUND);
    ExpectDetailsReadableThroughReflection(target, failed, GetParam());
  }
}

// Every detail type the suite may send (grpc_status.h), on every server,
// even those no call above happened to carry.
TEST_P(ReflectionTest, EveryDetailTypeResolvesOnEveryServer) {
  for (const Server& server : Servers()) {
    auto stream = OpenStream(testing::Connect(server.target), GetParam());
    for (absl::string_view type_name : kDetailOrder) {
      auto pool = DescribeSymbol(*stream, std::string(type_name));
      ASSERT_NE(pool, nullptr) << server.name << " " << type_name;
      EXPECT_NE(pool->FindMessageTypeByName(std::string(type_name)), nullptr);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothVersions, ReflectionTest, ::testing::Values("v1", "v1alpha"));

}  // namespace
}  // namespace fazhi
