// How long the report reader takes on the largest text it accepts, when the
// text is built to be as costly as possible, next to a real report's
// reading speed (the anchor, from the same run): the time a hostile
// submission can cost is bounded by the text limit (common/api/limits.h)
// times the reader's cost per byte, which these figures show to be linear.
//
//   build/tests/report_intake_bench [--rounds=3]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "common/api/limits.h"
#include "common/rules/rule_set.h"
#include "common/status/errors.h"
#include "services/report/report_analysis.h"

ABSL_FLAG(int, rounds, 3, "readings of each text; the fastest is printed");

namespace fazhi::report {
namespace {

std::string ReadSeed(const std::string& name) {
  FILE* f = std::fopen((std::string(FAZHI_SEEDS_DIR) + "/" + name).c_str(), "rb");
  std::string text;
  if (f == nullptr) return text;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) text.append(buffer, n);
  std::fclose(f);
  return text;
}

// Text repeated up to just under the limit.
std::string Filled(const std::string& head, const std::string& unit) {
  std::string text = head;
  while (text.size() + unit.size() <= limits::kMaxReportTextBytes) text += unit;
  return text;
}

// The fastest of `rounds` readings of `text` (as SubmitReport reads it:
// intake, structure, figures), milliseconds.
double Read(const rules::v1::RuleSet& rules, const std::vector<PartRule>& parts,
            const std::string& text, bool html, int rounds) {
  double best = 1e18;
  for (int r = 0; r < rounds; ++r) {
    v1::Report report;
    report.set_year(2023);
    report.set_kind(v1::REPORT_KIND_GOVERNMENT_ANNUAL);
    if (html) {
      report.set_raw_text(text);
      report.set_text_format(v1::TEXT_FORMAT_HTML);
    } else {
      report.set_text(text);
    }
    const auto start = std::chrono::steady_clock::now();
    errors::FieldViolations violations;
    TakeTextIn(report, violations);
    AnalyzeReport(rules, parts, report);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms < best) best = ms;
  }
  return best;
}

int Main() {
  const int rounds = absl::GetFlag(FLAGS_rounds);
  auto rules = rules::LoadRuleSet(std::string(FAZHI_SOURCE_DIR) + "/data/rules.textproto");
  if (!rules.ok()) {
    std::fprintf(stderr, "rules: %s\n", rules.status().ToString().c_str());
    return 1;
  }
  const std::vector<PartRule> parts = PartRulesFrom(*rules);
  const std::string seed = ReadSeed("000_f329534fe2bcaa38.txt");
  if (seed.empty()) {
    std::fprintf(stderr, "cannot read the seed 000_f329534fe2bcaa38.txt\n");
    return 1;
  }
  const double seed_ms = Read(*rules, parts, seed, /*html=*/false, rounds);
  const double anchor = seed_ms / (static_cast<double>(seed.size()) / 1024.0);
  std::printf("anchor: a real report (seed 000, %zu bytes) read in %.2f ms: %.3f ms/KiB\n",
              seed.size(), seed_ms, anchor);
  struct Case {
    const char* name;
    std::string text;
    bool html;
  };
  const std::string head = "宝山区2023年法治政府建设情况报告\n";
  const std::vector<Case> cases = {
      {"a figure every 4 characters, no sentence break", Filled(head, "1件，"), false},
      {"figures in one endless clause", Filled(head, "办结12件"), false},
      {"the seed repeated to the limit", Filled("", seed), false},
      {"no break at all", Filled(head, "法治政府建设"), false},
      {"headings only", Filled(head, "\n一、法治\n"), false},
      {"HTML: nested tags", Filled("<html><body>", "<div><p><b>1件</b></p></div>"), true},
  };
  for (const auto& c : cases) {
    const double ms = Read(*rules, parts, c.text, c.html, rounds);
    std::printf("%-48s %7zu bytes  %9.1f ms  %.3f ms/KiB  (%.1f x anchor)\n", c.name, c.text.size(),
                ms, ms / (static_cast<double>(c.text.size()) / 1024.0),
                ms / (static_cast<double>(c.text.size()) / 1024.0) / anchor);
  }
  return 0;
}

}  // namespace
}  // namespace fazhi::report

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return fazhi::report::Main();
}
