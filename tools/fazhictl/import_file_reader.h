// Reads an import directory: every regular file whose name ends in
// ".textproto", in byte order of file name, each parsed as one
// fazhi.ctl.v1.ImportFile in protobuf text format, merged into one message
// (repeated fields concatenated in file order). Nothing is sent anywhere.
#ifndef FAZHI_TOOLS_FAZHICTL_IMPORT_FILE_READER_H_
#define FAZHI_TOOLS_FAZHICTL_IMPORT_FILE_READER_H_

#include <string>
#include <vector>

#include "fazhi/ctl/v1/import_file.pb.h"

namespace fazhi::ctl {

struct ImportDirectory {
  // The files read, in the order they were merged.
  std::vector<std::string> files;
  fazhi::ctl::v1::ImportFile merged;
  // One line per problem: "path:line:column: message" for a parse error
  // (1-based line and column), or "path: message" for a file or directory
  // that cannot be read. Empty when everything parsed. Every file is tried,
  // so all broken files are reported at once.
  std::vector<std::string> errors;
};

ImportDirectory ReadImportDirectory(const std::string& dir);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_IMPORT_FILE_READER_H_
