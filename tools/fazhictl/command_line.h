// A small argument parser for fazhictl's subcommands.
//
// Accepts "--name=value" and "--name value" for flags that take a value,
// "--name" (or "--name=true" / "--name=false") for boolean flags, "-h" and
// "--help" anywhere, and "--" to end the flags. Everything else is a
// positional argument, kept in order. Unknown flags, a missing value and a
// bad boolean are errors; a flag given twice keeps its last value.
#ifndef FAZHI_TOOLS_FAZHICTL_COMMAND_LINE_H_
#define FAZHI_TOOLS_FAZHICTL_COMMAND_LINE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace fazhi::ctl {

struct FlagSpec {
  // Without the leading "--", e.g. "region".
  std::string name;
  // False for a boolean flag such as "--json".
  bool takes_value = true;
};

struct CommandLine {
  std::vector<std::string> positional;
  // Flag name -> value; a boolean flag maps to "true" or "false".
  std::map<std::string, std::string> flags;
  bool help = false;

  bool Has(const std::string& name) const { return flags.count(name) > 0; }
  // The flag's value, or `fallback` when it was not given.
  std::string Get(const std::string& name, const std::string& fallback) const;
  bool GetBool(const std::string& name) const;
};

// Parses `args` (the arguments after the subcommand). Returns
// InvalidArgument with a message for the user on a malformed command line.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::vector<FlagSpec>& specs);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_COMMAND_LINE_H_
