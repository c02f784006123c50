#include "tools/fazhictl/check_printer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/api/domain_names.h"
#include "tools/fazhictl/display_width.h"
#include "tools/fazhictl/summary_printer.h"

namespace fazhi::ctl {
namespace {

namespace rv1 = fazhi::report::v1;

constexpr char kIndent[] = "  ";
constexpr char kNotStated[] = "（未注明）";

std::string KindName(rv1::ReportKind kind) {
  switch (kind) {
    case rv1::REPORT_KIND_GOVERNMENT_ANNUAL:
      return "政府法治政府建设年度报告";
    case rv1::REPORT_KIND_DEPARTMENT_ANNUAL:
      return "部门法治政府建设年度报告";
    case rv1::REPORT_KIND_STREET_TOWN_ANNUAL:
      return "街镇法治政府建设年度报告";
    case rv1::REPORT_KIND_CASE_STUDY:
      return "案例材料（非年度报告）";
    case rv1::REPORT_KIND_OTHER:
      return "其他材料（非年度报告）";
    default:
      return "未识别";
  }
}

std::string TitleSourceName(rv1::TitleSource source) {
  switch (source) {
    case rv1::TITLE_SOURCE_CALLER:
      return "报送时填写";
    case rv1::TITLE_SOURCE_METADATA:
      return "页面元数据";
    case rv1::TITLE_SOURCE_PAGE_HEADING:
      return "网页标题";
    case rv1::TITLE_SOURCE_TEXT:
      return "正文首个报告标题行";
    case rv1::TITLE_SOURCE_ENCLOSED_BY_COVER_LETTER:
      return "报送函所附报告";
    case rv1::TITLE_SOURCE_NONE:
      return "未找到";
    default:
      return "未注明";
  }
}

std::string EvidenceName(rv1::PartFinding::Evidence evidence) {
  switch (evidence) {
    case rv1::PartFinding::EVIDENCE_HEADING:
      return "标题";
    case rv1::PartFinding::EVIDENCE_RUN_IN_HEADING:
      return "段首标题";
    case rv1::PartFinding::EVIDENCE_THEMATIC_HEADINGS:
      return "按实施纲要领域分列的标题";
    case rv1::PartFinding::EVIDENCE_SENTENCE:
      return "正文语句";
    default:
      return "依据";
  }
}

std::string DateText(const google::type::Date& date) {
  if (date.year() == 0) return kNotStated;
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

std::string OrNotStated(const std::string& value) { return value.empty() ? kNotStated : value; }

void AppendMetadata(const rv1::Report& r, std::string& out) {
  const rv1::DocumentMetadata& m = r.metadata();
  absl::StrAppend(&out, "元数据\n");
  absl::StrAppend(&out, kIndent, "索引号：", OrNotStated(m.index_number()), "\n");
  absl::StrAppend(&out, kIndent, "发文机关：", OrNotStated(m.issuing_authority()), "\n");
  absl::StrAppend(&out, kIndent, "发文字号：", OrNotStated(m.document_number()), "\n");
  absl::StrAppend(&out, kIndent, "成文日期：", DateText(m.written_date()), "\n");
  absl::StrAppend(&out, kIndent, "发布日期：", DateText(m.release_date()), "\n");
  absl::StrAppend(&out, kIndent, "主送：", OrNotStated(m.addressee()), "\n");
  if (!m.cover_letter_title().empty()) {
    absl::StrAppend(&out, kIndent, "报送函：", m.cover_letter_title(), "\n");
  }
}

// One line per part: from the findings when the service gives them, else
// from the parts present and missing.
void AppendParts(const rv1::Report& r, std::string& out) {
  const bool annual = r.kind() == rv1::REPORT_KIND_GOVERNMENT_ANNUAL ||
                      r.kind() == rv1::REPORT_KIND_DEPARTMENT_ANNUAL ||
                      r.kind() == rv1::REPORT_KIND_STREET_TOWN_ANNUAL;
  absl::StrAppend(&out, "各部分", annual ? "" : "（非年度报告，不要求）", "\n");
  for (const rv1::PartFinding& f : r.part_findings()) {
    const std::string name =
        absl::StrCat(api::ReportPartName(f.part()), f.required() ? "" : "（选报）");
    if (f.present()) {
      absl::StrAppend(&out, kIndent, "✓ ", name, "：", EvidenceName(f.evidence()), "「",
                      f.shown_by(), "」\n");
    } else {
      absl::StrAppend(&out, kIndent, f.required() && annual ? "✗ " : "－ ", name,
                      "：未找到，查找了 ",
                      f.looked_for().empty() ? "—" : absl::StrJoin(f.looked_for(), "；"), "\n");
    }
  }
  if (!r.part_findings().empty()) return;
  for (int part : r.parts_present()) {
    absl::StrAppend(&out, kIndent, "✓ ", api::ReportPartName(static_cast<rv1::ReportPart>(part)),
                    "\n");
  }
  for (int part : r.parts_missing()) {
    absl::StrAppend(&out, kIndent, "✗ ", api::ReportPartName(static_cast<rv1::ReportPart>(part)),
                    "：未找到\n");
  }
}

// Each table as the page has it, aligned, a rule under its header rows; a
// merged cell is shown once, where it starts.
void AppendTables(const rv1::Report& r, std::string& out) {
  absl::StrAppend(&out, "表格：", r.tables_size(), " 个\n");
  for (int t = 0; t < r.tables_size(); ++t) {
    const rv1::ReportTable& table = r.tables(t);
    absl::StrAppend(&out, kIndent, "表格 ", t + 1,
                    table.caption().empty() ? "" : absl::StrCat("（", table.caption(), "）"),
                    "：\n");
    TextTable text(std::string(kIndent) + "  ");
    for (int i = 0; i < table.rows_size(); ++i) {
      std::vector<std::string> cells;
      for (const auto& cell : table.rows(i).cells()) cells.push_back(cell.text());
      text.AddRow(std::move(cells));
      if (i + 1 == table.header_rows()) text.AddRule();
    }
    out += text.Render();
  }
}

void AppendFigures(const rv1::Report& r, std::string& out) {
  int accepted = 0;
  for (const auto& f : r.figures()) accepted += f.confidence() == rv1::FIGURE_CONFIDENCE_ACCEPTED;
  absl::StrAppend(&out, "数据：采用 ", accepted, " 项，待人工确认 ", r.figures_size() - accepted,
                  " 项\n");
  for (const auto& f : r.figures()) {
    const bool is_accepted = f.confidence() == rv1::FIGURE_CONFIDENCE_ACCEPTED;
    absl::StrAppend(&out, kIndent, is_accepted ? "✓ " : "? ", f.indicator(), " = ",
                    f.quantity().text(), "（", f.period().year(), "年）");
    if (!is_accepted) absl::StrAppend(&out, "：", f.reason());
    absl::StrAppend(&out, "\n");
  }
}

}  // namespace

bool LacksRequiredPart(const rv1::Report& checked) { return checked.parts_missing_size() > 0; }

std::string FormatCheckText(const rv1::Report& r) {
  std::string out;
  absl::StrAppend(&out, "标题：", r.title().empty() ? "（无）" : r.title(), "（来源：",
                  TitleSourceName(r.title_source()), "）\n");
  absl::StrAppend(&out, "类型：", KindName(r.kind()), "\n");
  AppendMetadata(r, out);
  absl::StrAppend(&out, "报送单位：", r.filer());
  if (!r.co_filers().empty()) {
    absl::StrAppend(&out, "（联合报送：", absl::StrJoin(r.co_filers(), "、"), "）");
  }
  absl::StrAppend(&out, "，", r.region(), "，", r.year(), "年度\n");
  AppendParts(r, out);
  absl::StrAppend(&out, "报送期限：", DateText(r.submission_deadline()), " 前，",
                  TimelinessName(r.submission_timeliness()), "\n");
  absl::StrAppend(&out, "公开期限：", DateText(r.publication_deadline()), " 前，",
                  TimelinessName(r.publication_timeliness()), "\n");
  AppendTables(r, out);
  AppendFigures(r, out);
  absl::StrAppend(
      &out, LacksRequiredPart(r) ? "结论：✗ 缺少必备部分，请补充后再报送\n" : "结论：✓ 可以报送\n");
  return out;
}

}  // namespace fazhi::ctl
