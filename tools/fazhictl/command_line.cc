#include "tools/fazhictl/command_line.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace fazhi::ctl {

std::string CommandLine::Get(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : it->second;
}

bool CommandLine::GetBool(const std::string& name) const {
  auto it = flags.find(name);
  return it != flags.end() && it->second == "true";
}

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::vector<FlagSpec>& specs) {
  CommandLine result;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      result.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      result.help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      return errors::InvalidOption(arg, absl::StrCat("unknown option ", arg));
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const auto& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      return errors::InvalidOption(absl::StrCat("--", name), absl::StrCat("unknown flag --", name));
    }
    if (spec->takes_value) {
      if (!has_value) {
        if (i + 1 >= args.size()) {
          return errors::InvalidOption(absl::StrCat("--", name),
                                       absl::StrCat("flag --", name, " needs a value"));
        }
        value = args[++i];
      }
      result.flags[name] = value;
    } else {
      if (has_value && value != "true" && value != "false") {
        return errors::InvalidOption(
            absl::StrCat("--", name),
            absl::StrCat("flag --", name, " takes no value (or =true / =false), got \"", value,
                         "\""));
      }
      result.flags[name] = has_value ? value : "true";
    }
  }
  return result;
}

}  // namespace fazhi::ctl
