// Unit tests of services/report/report_analysis.h with the shipped rules
// file: what the service reads out of the real seed documents (kind, parts,
// timeliness), the deadlines the rules set, and the checks on a submitted
// report. No gRPC, no disk beyond reading the seeds and the rules file.
#include "services/report/report_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "common/api/limits.h"
#include "common/text/utf8.h"
#include "tests/testing/test_env.h"

namespace fazhi::report {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;

constexpr char kBaoshan2023[] = "002_4f28ee6da608f1e8.txt";
constexpr char kPutuo2020[] = "004_e0cd47a7b08ce18d.txt";
constexpr char kYangpuCase[] = "001_e4eb8e5b584018fc.txt";

std::vector<std::string> Fields(const errors::FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations.bad_request().field_violations()) fields.push_back(v.field());
  return fields;
}

google::type::Date MakeDate(int year, int month, int day) {
  google::type::Date d;
  d.set_year(year);
  d.set_month(month);
  d.set_day(day);
  return d;
}

std::string DateString(const google::type::Date& d) {
  return std::to_string(d.year()) + "-" + std::to_string(d.month()) + "-" + std::to_string(d.day());
}

v1::Report MakeReport(const std::string& filer, const std::string& region, int year,
                      const std::string& text) {
  v1::Report report;
  report.set_filer(filer);
  report.set_region(region);
  report.set_year(year);
  report.set_text(text);
  return report;
}

std::vector<v1::ReportPart> Parts(const google::protobuf::RepeatedField<int>& parts) {
  std::vector<v1::ReportPart> out;
  for (int p : parts) out.push_back(static_cast<v1::ReportPart>(p));
  return out;
}

// A short annual report with all four required parts, for deadline tests.
constexpr char kShortAnnualReport[] =
    "2020年度某区司法局法治政府建设情况报告\n"
    "一、主要举措和成效\n今年共办结行政复议340件。\n"
    "二、存在的不足和原因\n队伍建设仍需加强。\n"
    "三、主要负责人履行推进法治建设第一责任人职责情况\n局长带头学法。\n"
    "四、下一年度主要安排\n继续推进。\n";

class ReportAnalysisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = testing::ShippedRules();
    ASSERT_FALSE(rules_.version().empty()) << "the shipped rules file did not load";
    part_rules_ = PartRulesFrom(rules_);
  }

  v1::Report Analyze(v1::Report report) {
    AnalyzeReport(rules_, part_rules_, report);
    return report;
  }

  // A department or government report for 2020 with the given dates.
  v1::Report Dated(v1::ReportKind kind, const google::type::Date* submitted,
                   const google::type::Date* published) {
    v1::Report report =
        MakeReport("units/310107-justice", "regions/310107", 2020, kShortAnnualReport);
    report.set_kind(kind);
    if (submitted != nullptr) *report.mutable_submitted_date() = *submitted;
    if (published != nullptr) *report.mutable_published_date() = *published;
    return Analyze(report);
  }

  fazhi::rules::v1::RuleSet rules_;
  std::vector<PartRule> part_rules_;
};

// ------------------------------------------------------------- the seeds

TEST_F(ReportAnalysisTest, Baoshan2023IsAGovernmentReportWithEveryRequiredPart) {
  const v1::Report report = Analyze(MakeReport("units/310113-government", "regions/310113", 2023,
                                               testing::ReadSeed(kBaoshan2023)));
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_THAT(report.title(), HasSubstr("宝山区人民政府"));
  EXPECT_THAT(Parts(report.parts_present()),
              IsSupersetOf({v1::REPORT_PART_MEASURES_AND_RESULTS, v1::REPORT_PART_SHORTCOMINGS,
                            v1::REPORT_PART_LEADERS_DUTY, v1::REPORT_PART_NEXT_YEAR_PLANS}));
  EXPECT_THAT(Parts(report.parts_missing()), IsEmpty());

  // The four top-level headings, each standing for its part, in order.
  std::vector<v1::ReportPart> top_level;
  for (const auto& section : report.sections()) {
    if (section.level() == 1) top_level.push_back(section.part());
    EXPECT_LT(section.begin(), section.end()) << section.title();
  }
  EXPECT_THAT(top_level,
              ElementsAre(v1::REPORT_PART_MEASURES_AND_RESULTS, v1::REPORT_PART_SHORTCOMINGS,
                          v1::REPORT_PART_LEADERS_DUTY, v1::REPORT_PART_NEXT_YEAR_PLANS));
  EXPECT_EQ(report.rules_version(), rules_.version());
}

TEST_F(ReportAnalysisTest, Putuo2020IsADepartmentReportMissingTheLeadersDuty) {
  const v1::Report report = Analyze(
      MakeReport("units/310107-justice", "regions/310107", 2020, testing::ReadSeed(kPutuo2020)));
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  EXPECT_THAT(report.title(), HasSubstr("普陀区司法局"));
  // 一、基本情况及主要做法 / 二、存在的困难和问题 / 三、2021年重点工作.
  EXPECT_THAT(Parts(report.parts_present()),
              ElementsAre(v1::REPORT_PART_MEASURES_AND_RESULTS, v1::REPORT_PART_SHORTCOMINGS,
                          v1::REPORT_PART_NEXT_YEAR_PLANS));
  EXPECT_THAT(Parts(report.parts_missing()), ElementsAre(v1::REPORT_PART_LEADERS_DUTY));

  // The leaders' duty is missing and says what was looked for; its passing
  // mention inside a paragraph (全面落实…第一责任人职责) is not the part.
  ASSERT_EQ(report.part_findings_size(), 5);
  const v1::PartFinding& leaders = report.part_findings(2);
  EXPECT_EQ(leaders.part(), v1::REPORT_PART_LEADERS_DUTY);
  EXPECT_TRUE(leaders.required());
  EXPECT_FALSE(leaders.present());
  EXPECT_THAT(leaders.looked_for(), Contains("第一责任人"));
  EXPECT_THAT(leaders.looked_for(), Contains("主要负责人+职责"));
  const v1::PartFinding& plans = report.part_findings(3);
  EXPECT_TRUE(plans.present());
  EXPECT_EQ(plans.shown_by(), "三、2021年重点工作");
}

TEST_F(ReportAnalysisTest, YangpuIsACaseStudyOwingNoPartsAndNoDeadline) {
  v1::Report in =
      MakeReport("units/310110-government", "regions/310110", 2023, testing::ReadSeed(kYangpuCase));
  *in.mutable_submitted_date() = MakeDate(2024, 6, 30);
  const v1::Report report = Analyze(in);
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_CASE_STUDY);
  EXPECT_THAT(Parts(report.parts_missing()), IsEmpty());
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_NOT_APPLICABLE);
  EXPECT_EQ(report.publication_timeliness(), v1::TIMELINESS_NOT_APPLICABLE);
  EXPECT_FALSE(report.has_submission_deadline());
  EXPECT_FALSE(report.has_publication_deadline());
  // Its 【…】 headings are still read.
  int bracketed = 0;
  for (const auto& section : report.sections()) bracketed += section.marker() == "【】";
  EXPECT_GE(bracketed, 3);
}

TEST_F(ReportAnalysisTest, AKindGivenByTheFilerIsKept) {
  v1::Report in = MakeReport("units/310113-government", "regions/310113", 2023,
                             testing::ReadSeed(kBaoshan2023));
  in.set_kind(v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  in.set_title("给定标题");
  const v1::Report report = Analyze(in);
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  EXPECT_EQ(report.title(), "给定标题");
  EXPECT_EQ(DateString(report.submission_deadline()), "2024-3-1");
}

// ------------------------------------------------------------- deadlines

TEST_F(ReportAnalysisTest, DepartmentReportIsDueBeforeTheFirstOfMarch) {
  const auto last_february = MakeDate(2021, 2, 28);
  v1::Report report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, &last_february, nullptr);
  EXPECT_EQ(DateString(report.submission_deadline()), "2021-3-1");
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_ON_TIME);

  // "Before 1 March": 1 March itself is late.
  const auto first_march = MakeDate(2021, 3, 1);
  report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, &first_march, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_LATE);

  // Filed in the year it covers is early, not late.
  const auto december = MakeDate(2020, 12, 31);
  report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, &december, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_ON_TIME);

  // A year late, on an earlier day of the year, is late.
  const auto next_year = MakeDate(2022, 1, 15);
  report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, &next_year, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_LATE);
}

TEST_F(ReportAnalysisTest, GovernmentReportIsDueBeforeTheFirstOfApril) {
  const auto first_march = MakeDate(2021, 3, 1);
  v1::Report report = Dated(v1::REPORT_KIND_GOVERNMENT_ANNUAL, &first_march, nullptr);
  EXPECT_EQ(DateString(report.submission_deadline()), "2021-4-1");
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_ON_TIME)
      << "the department deadline does not apply to a government";

  const auto last_march = MakeDate(2021, 3, 31);
  report = Dated(v1::REPORT_KIND_GOVERNMENT_ANNUAL, &last_march, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_ON_TIME);
  const auto first_april = MakeDate(2021, 4, 1);
  report = Dated(v1::REPORT_KIND_GOVERNMENT_ANNUAL, &first_april, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_LATE);
}

TEST_F(ReportAnalysisTest, DeadlinesComeFromTheRulesFile) {
  // An operator sets an earlier government date.
  rules_.mutable_report()->mutable_government_submission()->set_month(3);
  rules_.mutable_report()->mutable_government_submission()->set_day(15);
  rules_.set_version("test-earlier-government-date");
  const auto march_20 = MakeDate(2021, 3, 20);
  const v1::Report report = Dated(v1::REPORT_KIND_GOVERNMENT_ANNUAL, &march_20, nullptr);
  EXPECT_EQ(DateString(report.submission_deadline()), "2021-3-15");
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_LATE);
  EXPECT_EQ(report.rules_version(), "test-earlier-government-date");
}

TEST_F(ReportAnalysisTest, EveryAnnualReportIsPublishedBeforeTheFirstOfApril) {
  for (v1::ReportKind kind : {v1::REPORT_KIND_DEPARTMENT_ANNUAL, v1::REPORT_KIND_GOVERNMENT_ANNUAL,
                              v1::REPORT_KIND_STREET_TOWN_ANNUAL}) {
    const auto last_march = MakeDate(2021, 3, 31);
    v1::Report report = Dated(kind, nullptr, &last_march);
    EXPECT_EQ(DateString(report.publication_deadline()), "2021-4-1") << kind;
    EXPECT_EQ(report.publication_timeliness(), v1::TIMELINESS_ON_TIME) << kind;
    const auto first_april = MakeDate(2021, 4, 1);
    report = Dated(kind, nullptr, &first_april);
    EXPECT_EQ(report.publication_timeliness(), v1::TIMELINESS_LATE) << kind;
  }
}

TEST_F(ReportAnalysisTest, NoDatesMeansUnknown) {
  const v1::Report report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, nullptr, nullptr);
  EXPECT_EQ(report.submission_timeliness(), v1::TIMELINESS_UNKNOWN);
  EXPECT_EQ(report.publication_timeliness(), v1::TIMELINESS_UNKNOWN);
  EXPECT_TRUE(report.has_submission_deadline()) << "the deadline is known even so";
}

// Findings, sections and parts tell one story: each part judged present is
// in parts_present, and a heading that shows it is a section standing for it
// with the same span, whose text is `shown_by`.
TEST_F(ReportAnalysisTest, FindingsAgreeWithSectionsAndParts) {
  const v1::Report report = Analyze(MakeReport("units/310113-government", "regions/310113", 2023,
                                               testing::ReadSeed(kBaoshan2023)));
  ASSERT_EQ(report.part_findings_size(), 5);
  const std::u32string text = text::DecodeUtf8Lenient(report.text()).chars;
  const std::vector<std::string> shown = {"一、2023年法治政府建设主要举措和成效",
                                          "二、2023年推进法治政府建设存在的不足和原因", "",
                                          "四、2024年推进法治政府建设的主要安排", ""};
  for (int i = 0; i < report.part_findings_size(); ++i) {
    const v1::PartFinding& finding = report.part_findings(i);
    SCOPED_TRACE(v1::ReportPart_Name(finding.part()));
    EXPECT_EQ(finding.part(), static_cast<v1::ReportPart>(i + 1));
    EXPECT_EQ(finding.required(), i < 4);
    EXPECT_EQ(finding.present(), i < 4);
    EXPECT_EQ(absl::c_linear_search(report.parts_present(), finding.part()), finding.present());
    if (!finding.present()) {
      EXPECT_THAT(finding.looked_for(), Contains("其他需要报告"));
      continue;
    }
    EXPECT_THAT(finding.looked_for(), IsEmpty());
    EXPECT_EQ(finding.evidence(), v1::PartFinding::EVIDENCE_HEADING);
    ASSERT_LT(finding.begin(), finding.end());
    ASSERT_LE(static_cast<size_t>(finding.end()), text.size());
    const std::u32string span = text.substr(finding.begin(), finding.end() - finding.begin());
    EXPECT_EQ(span.find(U'\n'), std::u32string::npos);
    EXPECT_EQ(text::EncodeUtf8(span), finding.shown_by());
    if (!shown[i].empty()) {
      EXPECT_EQ(finding.shown_by(), shown[i]);
    }
    const auto section = absl::c_find_if(report.sections(), [&](const v1::ReportSection& s) {
      return s.begin() == finding.begin() && s.end() == finding.end();
    });
    ASSERT_NE(section, report.sections().end());
    EXPECT_EQ(section->part(), finding.part());
  }
}

// A report laid out by the areas of the 纲要, read with the shipped rules
// file: the areas are the measures, and a leaders' duty stated as the
// sentence opening a paragraph is the leaders' part.
TEST_F(ReportAnalysisTest, AThematicReportHasEveryPart) {
  const v1::Report report = Analyze(MakeReport(
      "units/310107-government", "regions/310107", 2023,
      "某区人民政府关于2023年法治政府建设情况的报告\n"
      "一、依法全面履行政府职能\n全年取消审批事项12项。\n"
      "二、健全依法行政制度体系\n制定规范性文件8件。\n"
      "三、严格规范公正文明执法\n区长认真履行推进法治建设第一责任人职责。全年专题学法4次。\n"
      "四、存在的不足和原因\n五、2024年工作安排\n"));
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_THAT(Parts(report.parts_missing()), IsEmpty());
  ASSERT_EQ(report.part_findings_size(), 5);
  EXPECT_EQ(report.part_findings(0).evidence(), v1::PartFinding::EVIDENCE_THEMATIC_HEADINGS);
  EXPECT_EQ(report.part_findings(0).shown_by(), "一、依法全面履行政府职能");
  EXPECT_EQ(report.part_findings(2).evidence(), v1::PartFinding::EVIDENCE_SENTENCE);
  EXPECT_EQ(report.part_findings(2).shown_by(), "区长认真履行推进法治建设第一责任人职责。");
}

TEST_F(ReportAnalysisTest, ShortAnnualReportHasEveryPart) {
  const v1::Report report = Dated(v1::REPORT_KIND_DEPARTMENT_ANNUAL, nullptr, nullptr);
  EXPECT_THAT(Parts(report.parts_present()),
              ElementsAre(v1::REPORT_PART_MEASURES_AND_RESULTS, v1::REPORT_PART_SHORTCOMINGS,
                          v1::REPORT_PART_LEADERS_DUTY, v1::REPORT_PART_NEXT_YEAR_PLANS));
  EXPECT_THAT(Parts(report.parts_missing()), IsEmpty());
}

// -------------------------------------------------------- ValidateReport

class ValidateReportTest : public ::testing::Test {
 protected:
  static v1::Report Valid() {
    v1::Report report = MakeReport("units/310107-justice", "regions/310107", 2020,
                                   "2020年度普陀区司法局法治政府建设情况报告\n一、主要做法\n");
    *report.mutable_submitted_date() = MakeDate(2021, 2, 28);
    *report.mutable_published_date() = MakeDate(2021, 3, 31);
    return report;
  }
  static std::vector<std::string> Check(const v1::Report& report) {
    errors::FieldViolations violations;
    ValidateReport(report, violations);
    return Fields(violations);
  }
};

TEST_F(ValidateReportTest, AWellFormedReportPasses) { EXPECT_THAT(Check(Valid()), IsEmpty()); }

TEST_F(ValidateReportTest, EmptyOrBlankTextIsRequired) {
  v1::Report report = Valid();
  report.clear_text();
  EXPECT_THAT(Check(report), ElementsAre("report.text"));
  report.set_text(" \n\t\r\n");
  EXPECT_THAT(Check(report), ElementsAre("report.text"));
}

TEST_F(ValidateReportTest, InvalidUtf8TextIsRejected) {
  v1::Report report = Valid();
  report.set_text("法治政府建设\xb7\xa8\xd6\xce");  // GBK bytes after UTF-8.
  EXPECT_THAT(Check(report), ElementsAre("report.text"));
}

TEST_F(ValidateReportTest, TextOverTheLimitIsRejected) {
  v1::Report report = Valid();
  report.set_text(std::string(limits::kMaxReportTextBytes + 1, 'a'));
  EXPECT_THAT(Check(report), ElementsAre("report.text"));
  report.set_text(std::string(limits::kMaxReportTextBytes, 'a'));
  EXPECT_THAT(Check(report), IsEmpty()) << "exactly the limit is allowed";
}

TEST_F(ValidateReportTest, ImpossibleDatesAreRejected) {
  v1::Report report = Valid();
  *report.mutable_submitted_date() = MakeDate(2021, 2, 30);
  EXPECT_THAT(Check(report), ElementsAre("report.submitted_date"));

  report = Valid();
  *report.mutable_published_date() = MakeDate(2021, 2, 29);
  EXPECT_THAT(Check(report), ElementsAre("report.published_date")) << "2021 is no leap year";
  *report.mutable_published_date() = MakeDate(2020, 2, 29);
  EXPECT_THAT(Check(report), IsEmpty()) << "2020 is a leap year";
  *report.mutable_published_date() = MakeDate(2021, 13, 1);
  EXPECT_THAT(Check(report), ElementsAre("report.published_date"));
  *report.mutable_published_date() = MakeDate(2021, 4, 31);
  EXPECT_THAT(Check(report), ElementsAre("report.published_date"));
}

TEST_F(ValidateReportTest, BadFilerRegionAndYearAreNamed) {
  v1::Report report = Valid();
  report.set_filer("310107-justice");
  EXPECT_THAT(Check(report), ElementsAre("report.filer"));
  report.set_filer("units/Putuo_Justice");
  EXPECT_THAT(Check(report), ElementsAre("report.filer"));
  report.clear_filer();
  EXPECT_THAT(Check(report), ElementsAre("report.filer"));

  report = Valid();
  report.set_region("regions/31010");
  report.set_year(1800);
  EXPECT_THAT(Check(report), ::testing::UnorderedElementsAre("report.region", "report.year"));
}

// ------------------------------------------- the rules file vs. defaults

// The rules file ships the built-in defaults; if they drift apart, a server
// run with the file judges reports differently from the documented rules.
TEST(PartRulesTest, ShippedRulesFileMatchesTheBuiltInDefaults) {
  const std::vector<PartRule> shipped = PartRulesFrom(testing::ShippedRules());
  const std::vector<PartRule> defaults = DefaultPartRules();
  ASSERT_EQ(shipped.size(), defaults.size());
  for (size_t r = 0; r < defaults.size(); ++r) {
    SCOPED_TRACE(::testing::Message() << "part rule " << r + 1);
    EXPECT_EQ(shipped[r].part, defaults[r].part);
    EXPECT_EQ(shipped[r].required, defaults[r].required);
    std::vector<std::vector<std::string>> shipped_patterns, default_patterns;
    for (const auto& p : shipped[r].patterns) shipped_patterns.push_back(p.all_of);
    for (const auto& p : defaults[r].patterns) default_patterns.push_back(p.all_of);
    EXPECT_EQ(shipped_patterns, default_patterns);
    std::vector<std::vector<std::string>> shipped_sentences, default_sentences;
    for (const auto& p : shipped[r].sentence_patterns) shipped_sentences.push_back(p.all_of);
    for (const auto& p : defaults[r].sentence_patterns) default_sentences.push_back(p.all_of);
    EXPECT_EQ(shipped_sentences, default_sentences);
    ASSERT_EQ(shipped[r].subject_clauses.size(), defaults[r].subject_clauses.size());
    for (size_t c = 0; c < shipped[r].subject_clauses.size(); ++c) {
      const SubjectClause& a = shipped[r].subject_clauses[c];
      const SubjectClause& b = defaults[r].subject_clauses[c];
      EXPECT_EQ(a.subject_ends_with, b.subject_ends_with);
      EXPECT_EQ(a.max_subject_length, b.max_subject_length);
      EXPECT_EQ(a.verbs, b.verbs);
      EXPECT_EQ(a.contains_all_of, b.contains_all_of);
      EXPECT_EQ(a.subject_none_of, b.subject_none_of);
    }
  }
  EXPECT_TRUE(ValidatePartRules(shipped).ok());
  EXPECT_TRUE(ValidateReportRules(testing::ShippedRules()).ok());
  // A rules file whose part rules the reader cannot use stops the server.
  fazhi::rules::v1::RuleSet broken = testing::ShippedRules();
  for (auto& part : *broken.mutable_report()->mutable_parts()) {
    for (auto& clause : *part.mutable_subject_clauses()) clause.clear_verbs();
  }
  EXPECT_FALSE(ValidateReportRules(broken).ok());

  const ThematicLayoutRule shipped_layout = ThematicLayoutFrom(testing::ShippedRules());
  const ThematicLayoutRule default_layout = DefaultThematicLayout();
  EXPECT_EQ(shipped_layout.part, default_layout.part);
  EXPECT_EQ(shipped_layout.min_headings, default_layout.min_headings);
  std::vector<std::vector<std::string>> shipped_areas, default_areas;
  for (const auto& p : shipped_layout.patterns) shipped_areas.push_back(p.all_of);
  for (const auto& p : default_layout.patterns) default_areas.push_back(p.all_of);
  EXPECT_EQ(shipped_areas, default_areas);
  EXPECT_TRUE(ValidateThematicLayout(shipped_layout).ok());
}

TEST(PartRulesTest, AnEmptyThematicLayoutTurnsItOff) {
  fazhi::rules::v1::RuleSet rules;
  EXPECT_EQ(ThematicLayoutFrom(rules).part, v1::REPORT_PART_MEASURES_AND_RESULTS);
  rules.mutable_report()->mutable_thematic_layout();
  const ThematicLayoutRule off = ThematicLayoutFrom(rules);
  EXPECT_EQ(off.part, v1::REPORT_PART_UNSPECIFIED);
  EXPECT_TRUE(off.patterns.empty());
}

TEST(PartRulesTest, ARuleSetWithoutPartsUsesTheDefaults) {
  fazhi::rules::v1::RuleSet rules;
  rules.set_version("empty");
  const std::vector<PartRule> from = PartRulesFrom(rules);
  const std::vector<PartRule> defaults = DefaultPartRules();
  ASSERT_EQ(from.size(), defaults.size());
  for (size_t r = 0; r < defaults.size(); ++r) {
    EXPECT_EQ(from[r].part, defaults[r].part);
    EXPECT_EQ(from[r].patterns.size(), defaults[r].patterns.size());
  }
}

TEST(IsAnnualReportTest, OnlyTheThreeAnnualKinds) {
  EXPECT_TRUE(IsAnnualReport(v1::REPORT_KIND_GOVERNMENT_ANNUAL));
  EXPECT_TRUE(IsAnnualReport(v1::REPORT_KIND_DEPARTMENT_ANNUAL));
  EXPECT_TRUE(IsAnnualReport(v1::REPORT_KIND_STREET_TOWN_ANNUAL));
  EXPECT_FALSE(IsAnnualReport(v1::REPORT_KIND_CASE_STUDY));
  EXPECT_FALSE(IsAnnualReport(v1::REPORT_KIND_OTHER));
  EXPECT_FALSE(IsAnnualReport(v1::REPORT_KIND_UNSPECIFIED));
}

}  // namespace
}  // namespace fazhi::report
