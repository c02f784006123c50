#include "tools/fazhictl/import_file_reader.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace fazhi::ctl {
namespace {

// Turns the parser's 0-based positions into "path:line:column: message".
class FileErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  FileErrorCollector(std::string path, std::vector<std::string>* errors)
      : path_(std::move(path)), errors_(errors) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_->push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message));
  }

 private:
  std::string path_;
  std::vector<std::string>* errors_;
};

}  // namespace

ImportDirectory ReadImportDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  ImportDirectory result;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    result.errors.push_back(absl::StrCat(dir, ": not a directory"));
    return result;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (absl::EndsWith(name, ".textproto") && it->is_regular_file(ec)) names.push_back(name);
  }
  if (ec) {
    result.errors.push_back(absl::StrCat(dir, ": ", ec.message()));
    return result;
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) {
    result.errors.push_back(absl::StrCat(dir, ": no *.textproto files"));
    return result;
  }
  for (const auto& name : names) {
    const std::string path = (fs::path(dir) / name).string();
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) {
      result.errors.push_back(absl::StrCat(path, ": cannot open"));
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
      result.errors.push_back(absl::StrCat(path, ": cannot read"));
      continue;
    }
    FileErrorCollector collector(path, &result.errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    fazhi::ctl::v1::ImportFile file;
    const size_t errors_before = result.errors.size();
    if (!parser.ParseFromString(text.str(), &file)) {
      if (result.errors.size() == errors_before) {
        result.errors.push_back(absl::StrCat(path, ": not a valid fazhi.ctl.v1.ImportFile"));
      }
      continue;
    }
    result.files.push_back(path);
    result.merged.MergeFrom(file);
  }
  return result;
}

}  // namespace fazhi::ctl
