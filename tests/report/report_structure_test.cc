#include "services/report/report_structure.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "services/report/title_and_kind.h"

#ifndef FAZHI_SEEDS_DIR
#error "FAZHI_SEEDS_DIR must name the directory of the seed documents"
#endif

namespace fazhi::report {
namespace {

using Parts = std::vector<ReportPart>;

constexpr ReportPart kP1 = v1::REPORT_PART_MEASURES_AND_RESULTS;
constexpr ReportPart kP2 = v1::REPORT_PART_SHORTCOMINGS;
constexpr ReportPart kP3 = v1::REPORT_PART_LEADERS_DUTY;
constexpr ReportPart kP4 = v1::REPORT_PART_NEXT_YEAR_PLANS;
constexpr ReportPart kP5 = v1::REPORT_PART_OTHER_MATTERS;
constexpr ReportPart kNone = v1::REPORT_PART_UNSPECIFIED;

constexpr char kBaoshan2023[] = "002_4f28ee6da608f1e8.txt";
constexpr char kPutuo2020[] = "004_e0cd47a7b08ce18d.txt";
constexpr char kYangpuCase[] = "001_e4eb8e5b584018fc.txt";
constexpr char kNews2022[] = "000_f329534fe2bcaa38.txt";
constexpr char kNewsPage[] = "003_92cfcdd43605dda8.txt";

std::string ReadSeed(const std::string& name) {
  const std::string path = std::string(FAZHI_SEEDS_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Strict UTF-8 check, written independently of the code under test.
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    } else {
      return false;
    }
    uint32_t cp = b & (0x7F >> len);
    if (s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

// Code points in valid UTF-8 `s`.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Code-point offset of the start of 0-based line `line` of valid UTF-8 `s`
// whose lines end in "\n".
size_t LineStart(std::string_view s, size_t line) {
  size_t pos = 0;
  for (size_t i = 0; i < line; ++i) pos = s.find('\n', pos) + 1;
  return CodePoints(s.substr(0, pos));
}

const Heading* HeadingOnLine(const ReportStructure& s, size_t line) {
  for (const Heading& h : s.headings) {
    if (h.line == line) return &h;
  }
  return nullptr;
}

std::vector<const Heading*> HeadingsOfLevel(const ReportStructure& s, int level) {
  std::vector<const Heading*> out;
  for (const Heading& h : s.headings) {
    if (h.level == level) out.push_back(&h);
  }
  return out;
}

ReportStructure Parse(std::string_view text, int year) {
  return ParseReportStructure(text, year, DefaultPartRules());
}

// `j` is present, shown as `evidence` by `shown_by`.
void ExpectShown(const PartJudgement& j, PartEvidence evidence, const std::string& shown_by) {
  EXPECT_TRUE(j.present) << j.part;
  EXPECT_EQ(j.evidence, evidence) << j.part;
  EXPECT_EQ(j.shown_by, shown_by) << j.part;
  EXPECT_EQ(j.end - j.begin, CodePoints(shown_by)) << j.part;
  EXPECT_TRUE(j.looked_for.empty()) << j.part;
}

// ---------------------------------------------------------------------------
// Golden tests on the seed documents.

TEST(SeedTest, BaoshanGovernmentReport2023) {
  const std::string text = ReadSeed(kBaoshan2023);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(DetectReportKind(text), v1::REPORT_KIND_GOVERNMENT_ANNUAL);
  EXPECT_EQ(ExtractTitle(text), "上海市宝山区人民政府关于法治政府建设情况报告");

  const ReportStructure s = Parse(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  EXPECT_TRUE(s.required_missing.empty());

  const std::vector<const Heading*> top = HeadingsOfLevel(s, 1);
  ASSERT_EQ(top.size(), 4u);
  const std::vector<size_t> lines = {3, 16, 24, 31};
  const std::vector<std::string> markers = {"一、", "二、", "三、", "四、"};
  const Parts parts = {kP1, kP2, kP3, kP4};
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i]->line, lines[i]);
    EXPECT_EQ(top[i]->marker, markers[i]);
    EXPECT_EQ(top[i]->part, parts[i]) << top[i]->title;
  }
  EXPECT_EQ(top[0]->title.rfind("2023年", 0), 0u);
  EXPECT_EQ(top[3]->title.rfind("2024年", 0), 0u);

  // The leaders' heading also mentions 工作情况 (a part-1 phrase).
  EXPECT_NE(top[2]->title.find("工作情况"), std::string::npos);
  EXPECT_EQ(top[2]->part, kP3);

  EXPECT_EQ(HeadingsOfLevel(s, 2).size(), 17u);
  EXPECT_TRUE(HeadingsOfLevel(s, 3).empty());
  const Heading* sub = HeadingOnLine(s, 4);
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->level, 2);
  EXPECT_EQ(sub->marker, "(一)");
  EXPECT_EQ(sub->part, kNone);
  const Heading* leaders_sub = HeadingOnLine(s, 27);
  ASSERT_NE(leaders_sub, nullptr);
  EXPECT_EQ(leaders_sub->marker, "(二)");
  EXPECT_EQ(leaders_sub->part, kNone);

  // Title lines and the opening paragraph ("2023年,…") are not headings.
  EXPECT_EQ(HeadingOnLine(s, 0), nullptr);
  EXPECT_EQ(HeadingOnLine(s, 1), nullptr);
  EXPECT_EQ(HeadingOnLine(s, 2), nullptr);

  // Offsets are in code points; the heading lines carry no indentation.
  EXPECT_EQ(top[0]->begin, LineStart(text, 3));
  EXPECT_EQ(top[0]->end - top[0]->begin, CodePoints(top[0]->marker) + CodePoints(top[0]->title));
  EXPECT_EQ(sub->begin, LineStart(text, 4));
}

TEST(SeedTest, BaoshanReadAsTheWrongYearLosesNextYearPlans) {
  const ReportStructure s = Parse(ReadSeed(kBaoshan2023), 2022);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3}));
  EXPECT_EQ(s.required_missing, (Parts{kP4}));
}

TEST(SeedTest, PutuoJusticeBureauReport2020) {
  const std::string text = ReadSeed(kPutuo2020);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(DetectReportKind(text), v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  EXPECT_EQ(ExtractTitle(text), "2020年度普陀区司法局法治政府建设情况报告");

  const ReportStructure s = Parse(text, 2020);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP4}));
  EXPECT_EQ(s.required_missing, (Parts{kP3}));

  const std::vector<const Heading*> top = HeadingsOfLevel(s, 1);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0]->line, 10u);
  EXPECT_EQ(top[0]->marker, "一、");
  EXPECT_EQ(top[0]->title, "基本情况及主要做法");
  EXPECT_EQ(top[0]->part, kP1);
  EXPECT_EQ(top[1]->line, 48u);
  EXPECT_EQ(top[1]->title, "存在的困难和问题");
  EXPECT_EQ(top[1]->part, kP2);
  EXPECT_EQ(top[2]->line, 52u);
  EXPECT_EQ(top[2]->marker, "三、");
  EXPECT_EQ(top[2]->title, "2021年重点工作");
  EXPECT_EQ(top[2]->part, kP4);

  EXPECT_EQ(HeadingsOfLevel(s, 2).size(), 18u);
  const Heading* sub = HeadingOnLine(s, 12);
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->level, 2);
  EXPECT_EQ(sub->marker, "(一)");
  EXPECT_EQ(sub->begin, LineStart(text, 12));
  // The addressee, the opening paragraph, the signature and the date.
  for (size_t line : {6u, 8u, 94u, 96u}) {
    EXPECT_EQ(HeadingOnLine(s, line), nullptr) << "line " << line;
  }
}

TEST(SeedTest, PutuoReadAsTheWrongYearLosesNextYearPlans) {
  const ReportStructure s = Parse(ReadSeed(kPutuo2020), 2021);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2}));
  EXPECT_EQ(s.required_missing, (Parts{kP3, kP4}));
}

TEST(SeedTest, YangpuCaseStudy) {
  const std::string text = ReadSeed(kYangpuCase);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(DetectReportKind(text), v1::REPORT_KIND_CASE_STUDY);

  const ReportStructure s = Parse(text, 0);
  const std::vector<const Heading*> top = HeadingsOfLevel(s, 1);
  ASSERT_EQ(top.size(), 3u);
  for (const Heading* h : top) EXPECT_EQ(h->marker, "【】");
  EXPECT_EQ(top[0]->line, 1u);
  EXPECT_EQ(top[0]->title, "基本情况");
  EXPECT_EQ(top[0]->begin, LineStart(text, 1));
  EXPECT_EQ(top[0]->end, LineStart(text, 1) + 6);

  const Heading* h2 = HeadingOnLine(s, 9);
  ASSERT_NE(h2, nullptr);
  EXPECT_EQ(h2->level, 2);
  EXPECT_EQ(h2->marker, "(一)");

  // A run-in heading: the title stops at the first 。.
  const Heading* h3 = HeadingOnLine(s, 11);
  ASSERT_NE(h3, nullptr);
  EXPECT_EQ(h3->level, 3);
  EXPECT_EQ(h3->marker, "1.");
  EXPECT_EQ(h3->title.find("。"), std::string::npos);
  EXPECT_LT(CodePoints(h3->title), 20u);
  EXPECT_TRUE(h3->run_in);
  // The span is the heading's marker and title, not the paragraph after it.
  EXPECT_EQ(h3->end - h3->begin, CodePoints(h3->marker) + CodePoints(h3->title));

  EXPECT_EQ(HeadingsOfLevel(s, 2).size(), 5u);
  EXPECT_EQ(HeadingsOfLevel(s, 3).size(), 17u);
  // "一是…" enumerates, it does not head.
  EXPECT_EQ(HeadingOnLine(s, 55), nullptr);
}

TEST(SeedTest, NewsPagesAreOther) {
  const std::string news = ReadSeed(kNews2022);
  ASSERT_FALSE(news.empty());
  EXPECT_EQ(DetectReportKind(news), v1::REPORT_KIND_OTHER);

  const std::string page = ReadSeed(kNewsPage);
  ASSERT_FALSE(page.empty());
  EXPECT_EQ(DetectReportKind(page), v1::REPORT_KIND_OTHER);
  const std::string title = ExtractTitle(page);
  EXPECT_NE(title.find("法治为民办实事项目"), std::string::npos) << title;
  EXPECT_EQ(title.find("title:"), std::string::npos);
  EXPECT_EQ(title.find('\''), std::string::npos);
}

// ---------------------------------------------------------------------------
// Heading forms.

struct HeadingCase {
  std::string line;
  std::string marker;
  std::string title;
};

// Each form alone in a text: the first form seen is level 1.
TEST(HeadingTest, RecognisesMarkerForms) {
  const std::vector<HeadingCase> cases = {
      {"一、总体情况", "一、", "总体情况"},
      {"十一、其他", "十一、", "其他"},
      {"三．全角句点", "三．", "全角句点"},
      {"二.半角句点", "二.", "半角句点"},
      {"【基本情况】", "【】", "基本情况"},
      {"【 经验做法 】后接正文", "【】", "经验做法"},
      {"（一）全角括号", "（一）", "全角括号"},
      {"(二)半角括号", "(二)", "半角括号"},
      {"(三）混合括号", "(三）", "混合括号"},
      {"（十二） 标记后有空格", "（十二）", "标记后有空格"},
      {"1.半角句点", "1.", "半角句点"},
      {"2、顿号", "2、", "顿号"},
      {"3．全角句点", "3．", "全角句点"},
      {"１２．全角数字", "１２．", "全角数字"},
      {"10. ASCII space", "10.", "ASCII space"},
      {"（1）全角括号", "（1）", "全角括号"},
      {"(2)半角括号", "(2)", "半角括号"},
      {"⑶带括号数字", "⑶", "带括号数字"},
      {"①圆圈数字", "①", "圆圈数字"},
      {"⑳第二十个", "⑳", "第二十个"},
      {"第一部分 主要举措和成效", "第一部分", "主要举措和成效"},
      {"第二部分：存在的不足", "第二部分", "存在的不足"},
      {"第十二部分、其他", "第十二部分", "其他"},
      {"第三章 法治保障", "第三章", "法治保障"},
      {"第一节　依法决策", "第一节", "依法决策"},
      {"\u3000\u3000四、全角空格缩进", "四、", "全角空格缩进"},
      {"\t 5、制表符缩进  ", "5、", "制表符缩进"},
  };
  for (const HeadingCase& c : cases) {
    const ReportStructure s = ParseReportStructure(c.line, 2023, {});
    ASSERT_EQ(s.headings.size(), 1u) << c.line;
    EXPECT_EQ(s.headings[0].level, 1) << c.line;
    EXPECT_EQ(s.headings[0].marker, c.marker) << c.line;
    EXPECT_EQ(s.headings[0].title, c.title) << c.line;
    EXPECT_EQ(s.headings[0].line, 0u) << c.line;
    EXPECT_EQ(s.headings[0].run_in, c.line.find("后接正文") != std::string::npos) << c.line;
  }
}

TEST(HeadingTest, LevelsFollowTheOrderInWhichFormsAppear) {
  const std::string text =
      "第一部分 2023年工作\n一、依法履职\n（一）健全制度\n1.出台规定\n（1）细则\n"
      "①第一项\n二、规范执法\n（二）执法监督\n【典型案例】\n第二部分 存在的不足\n"
      "三、队伍建设\n";
  const ReportStructure s = ParseReportStructure(text, 2023, {});
  std::vector<int> levels;
  for (const Heading& h : s.headings) levels.push_back(h.level);
  EXPECT_EQ(levels, (std::vector<int>{1, 2, 3, 4, 5, 6, 2, 3, 7, 1, 2}));

  // The same forms in another order take other levels.
  const ReportStructure flipped =
      ParseReportStructure("（一）主要举措\n1.制度\n一、细项\n（二）存在的不足\n", 2023, {});
  levels.clear();
  for (const Heading& h : flipped.headings) levels.push_back(h.level);
  EXPECT_EQ(levels, (std::vector<int>{1, 2, 3, 1}));
}

TEST(HeadingTest, TopHeadingsMayBeOfAnyForm) {
  const std::string parenthesized =
      "（一）2023年主要举措和成效\n1.健全制度\n（二）存在的不足和原因\n"
      "（三）主要负责人履行第一责任人职责情况\n（四）2024年工作安排\n";
  const ReportStructure s = Parse(parenthesized, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  EXPECT_TRUE(s.required_missing.empty());
  ASSERT_EQ(s.headings.size(), 5u);
  EXPECT_EQ(s.headings[0].level, 1);
  EXPECT_EQ(s.headings[0].part, kP1);
  EXPECT_EQ(s.headings[1].level, 2);
  EXPECT_EQ(s.headings[1].part, kNone);

  const std::string in_parts =
      "第一部分 法治政府建设主要举措和成效\n一、健全制度\n二、规范执法\n"
      "第二部分 存在的不足\n第三部分 第一责任人履职情况\n第四部分 2024年工作计划\n";
  const ReportStructure p = Parse(in_parts, 2023);
  EXPECT_EQ(p.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  EXPECT_EQ(p.headings[0].marker, "第一部分");
  EXPECT_EQ(p.headings[1].level, 2);
}

TEST(HeadingTest, TableRowsAreNeverHeadings) {
  const std::vector<std::string> rows = {
      "1\t收案\t35件", "一、行政复议\t35件", "（一）\t收案",
      "1.\t合计\t2",   "【表1】\t数据",      "第一部分\t主要举措和成效",
  };
  for (const std::string& row : rows) {
    EXPECT_TRUE(Parse(row, 2023).headings.empty()) << row;
  }
  // Among headings: the table's rows count neither as headings nor for a form's level.
  const ReportStructure s = Parse("1\t收案\t35件\n一、主要举措和成效\n（一）存在的不足\n", 2023);
  ASSERT_EQ(s.headings.size(), 2u);
  EXPECT_EQ(s.headings[0].level, 1);
  EXPECT_EQ(s.headings[0].line, 1u);
}

TEST(HeadingTest, RejectsBodyLines) {
  const std::vector<std::string> lines = {
      "2023年,本区持续推进依法行政。",
      "2.8万件案件全部办结。",
      "1、2号楼已完成改造。",
      "１０％的增幅",
      "2020年12月24日",
      "1234.四位数不是编号",
      "一是加强组织领导。",
      "十大市级项目",
      "(排名不分先后)",
      "(2021-2025)规划",
      "（）空括号",
      "【未闭合的括号",
      "【】",
      "一、",
      "（一）",
      "1.。",
      "区政府:",
      "<p>一、网页标记</p>",
      "第一部分",
      "第三条规定了程序。",
      "第一次全体会议召开。",
      "①",
      "第一部分：",
  };
  for (const std::string& line : lines) {
    EXPECT_TRUE(Parse(line, 2023).headings.empty()) << line;
  }
}

TEST(HeadingTest, RunInTitleStopsAtSentenceEnd) {
  const std::vector<HeadingCase> cases = {
      {"1.强化统筹,健全机制。全年召开会议三次。", "1.", "强化统筹,健全机制"},
      {"（二）加强监督：具体内容如下", "（二）", "加强监督"},
      {"(三)规范执法:具体内容", "(三)", "规范执法"},
      {"（1）做好宣传！正文", "（1）", "做好宣传"},
      {"二、存在的不足。一是统筹不够", "二、", "存在的不足"},
      {"一、主要举措和成效；2023年，本区……", "一、", "主要举措和成效"},
      {"①压实责任;逐级签订责任书", "①", "压实责任"},
      {"（4）为什么要改革?因为", "（4）", "为什么要改革"},
      {"第一部分：主要举措。2023年……", "第一部分", "主要举措"},
      {"【基本情况】本区位于……", "【】", "基本情况"},
      // A page that joins a bold heading and its paragraph with a space.
      {"一、主要举措和成效\u30002023年，本区……。", "一、", "主要举措和成效"},
      {"（二）加强监督 全年开展检查12次，发现问题3个", "（二）", "加强监督"},
  };
  for (const HeadingCase& c : cases) {
    const ReportStructure s = Parse(c.line, 2023);
    ASSERT_EQ(s.headings.size(), 1u) << c.line;
    const Heading& h = s.headings[0];
    EXPECT_EQ(h.marker, c.marker) << c.line;
    EXPECT_EQ(h.title, c.title) << c.line;
    EXPECT_TRUE(h.run_in) << c.line;
    // The span is the heading text only: it ends with the title (or 】).
    EXPECT_EQ(h.begin, 0u) << c.line;
    const size_t title_at = c.line.find(c.title);
    const size_t end =
        CodePoints(c.line.substr(0, title_at + c.title.size())) + (c.marker == "【】" ? 1 : 0);
    EXPECT_EQ(h.end, end) << c.line;
  }
  EXPECT_EQ(Parse("二、存在的不足。一是统筹不够", 2023).parts_present, (Parts{kP2}));
  // A heading ending in a stop with nothing after it is not run in.
  const ReportStructure plain = Parse("一、主要举措和成效：", 2023);
  ASSERT_EQ(plain.headings.size(), 1u);
  EXPECT_FALSE(plain.headings[0].run_in);
  EXPECT_EQ(plain.headings[0].end, 9u);
  // A space inside a title with no clause after it is the title's.
  EXPECT_EQ(Parse("1.做好 宣传工作", 2023).headings[0].title, "做好 宣传工作");
  EXPECT_EQ(Parse("1.强化统筹，健全机制 提升质效，推进改革", 2023).headings[0].title,
            "强化统筹，健全机制 提升质效，推进改革");
}

TEST(HeadingTest, OffsetsAreCodePointsOfTheTrimmedLine) {
  const std::string text = "前言\n\u3000\u3000二、存在的不足 \n正文";
  const ReportStructure s = Parse(text, 2023);
  ASSERT_EQ(s.headings.size(), 1u);
  EXPECT_EQ(s.headings[0].line, 1u);
  EXPECT_EQ(s.headings[0].begin, 5u);
  EXPECT_EQ(s.headings[0].end, 12u);
}

TEST(HeadingTest, HandlesCrLfAndLoneCr) {
  const std::string text = "一、主要举措和成效\r\n二、存在的不足和原因\r三、2024年主要安排\n";
  const ReportStructure s = Parse(text, 2023);
  ASSERT_EQ(s.headings.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.headings[i].line, i);
    EXPECT_EQ(s.headings[i].title.find('\r'), std::string::npos);
  }
  EXPECT_EQ(s.headings[0].title, "主要举措和成效");
  EXPECT_EQ(s.headings[1].begin, 11u);
  EXPECT_EQ(s.headings[2].begin, 22u);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP4}));
}

// ---------------------------------------------------------------------------
// Parts.

struct PartCase {
  int year;
  std::string heading;
  ReportPart part;
};

TEST(PartTest, DefaultRulesMapHeadingsToParts) {
  const std::vector<PartCase> cases = {
      {2023, "一、2023年法治政府建设主要举措和成效", kP1},
      {2020, "一、基本情况及主要做法", kP1},
      {2023, "一、2023年度工作情况", kP1},
      {2023, "二、存在的不足和原因", kP2},
      {2020, "二、存在的困难和问题", kP2},
      {2023, "二、2023年推进法治政府建设存在的不足和原因", kP2},
      {2023, "三、党政主要负责人履行推进法治建设第一责任人职责情况", kP3},
      {2023, "三、主要负责人履行第一责任人职责、加强法治政府建设的工作情况", kP3},
      {2020, "三、2021年重点工作", kP4},
      {2023, "四、2024年推进法治政府建设的主要安排", kP4},
      {2023, "四、２０２４年 工作安排", kP4},
      {2023, "四、下一年度主要安排", kP4},
      {2023, "四、下一步主要工作", kP4},
      {2023, "五、其他需要报告的情况", kP5},
      {2023, "六、附件", kNone},
      {2023, "三、2023年重点工作", kNone},
  };
  for (const PartCase& c : cases) {
    const ReportStructure s = Parse(c.heading, c.year);
    ASSERT_EQ(s.headings.size(), 1u) << c.heading;
    EXPECT_EQ(s.headings[0].part, c.part) << c.heading << " in " << c.year;
  }
}

TEST(PartTest, SameYearMeasuresAreNotNextYearPlans) {
  const ReportStructure s = Parse("一、2023年法治政府建设主要举措和成效", 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1}));
  EXPECT_EQ(s.required_missing, (Parts{kP2, kP3, kP4}));
}

TEST(PartTest, NestedHeadingShowsAPartNoTopHeadingShows) {
  const std::string text =
      "一、2023年主要举措和成效\n（一）健全制度\n"
      "（二）党政主要负责人履行推进法治建设第一责任人职责情况。区长带头学法。\n"
      "二、存在的不足和原因\n三、2024年工作安排\n";
  const ReportStructure s = Parse(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  EXPECT_TRUE(s.required_missing.empty());
  const Heading* nested = HeadingOnLine(s, 2);
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->level, 2);
  EXPECT_EQ(nested->part, kP3);
  const PartJudgement& leaders = s.findings[2];
  EXPECT_EQ(leaders.part, kP3);
  EXPECT_TRUE(leaders.present);
  EXPECT_EQ(leaders.evidence, v1::PartFinding::EVIDENCE_RUN_IN_HEADING);
  EXPECT_EQ(leaders.begin, nested->begin);
  EXPECT_EQ(leaders.end, nested->end);
  EXPECT_EQ(leaders.shown_by, "（二）党政主要负责人履行推进法治建设第一责任人职责情况");
}

TEST(PartTest, TheHighestLevelHeadingShowsAPart) {
  // The 2024 section's sub-heading mentions 存在的不足 too; the top-level
  // heading is the one that shows the part, and the sub-heading stands for
  // nothing.
  const std::string text = "一、主要举措\n（一）整改存在的不足\n二、不足和原因\n（一）剖析不足\n";
  const ReportStructure s = Parse(text, 2023);
  const PartJudgement& shortcomings = s.findings[1];
  ExpectShown(shortcomings, v1::PartFinding::EVIDENCE_HEADING, "二、不足和原因");
  EXPECT_EQ(s.headings[1].part, kNone);
  EXPECT_EQ(s.headings[3].part, kNone);

  // With no top-level heading for it, the earliest of the highest level.
  const ReportStructure deep = Parse("一、主要举措\n（一）甲\n1.不足之一\n（二）不足之二\n", 2023);
  ASSERT_TRUE(deep.findings[1].present);
  EXPECT_EQ(deep.findings[1].shown_by, "（二）不足之二");
  EXPECT_EQ(deep.headings[2].part, kNone);
  EXPECT_EQ(deep.headings[3].part, kP2);
}

TEST(PartTest, AnUmbrellaHeadingStandsForNoPart) {
  // "工作情况" matches the measures, but beneath it the sub-headings show the
  // measures and the shortcomings: they show the parts, the umbrella none.
  const std::string text =
      "一、2021年法治政府建设工作情况\n（1）主要举措和成效\n①依法决策\n"
      "（2）存在的不足和原因\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
      "三、2022年工作打算\n";
  const ReportStructure s = Parse(text, 2021);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  ExpectShown(s.findings[0], v1::PartFinding::EVIDENCE_HEADING, "（1）主要举措和成效");
  ExpectShown(s.findings[1], v1::PartFinding::EVIDENCE_HEADING, "（2）存在的不足和原因");
  EXPECT_EQ(HeadingOnLine(s, 0)->part, kNone);
  EXPECT_EQ(HeadingOnLine(s, 1)->part, kP1);
  EXPECT_EQ(HeadingOnLine(s, 3)->part, kP2);
  EXPECT_EQ(HeadingOnLine(s, 4)->part, kP3);

  // Three levels down: the circled headings are the parts.
  const ReportStructure circled = Parse(
      "一、2021年法治政府建设工作情况\n①主要举措和成效\n（1）依法决策\n②存在的不足和原因\n"
      "③党政主要负责人履行推进法治建设第一责任人职责情况\n二、2022年工作安排\n",
      2021);
  EXPECT_EQ(circled.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  ExpectShown(circled.findings[0], v1::PartFinding::EVIDENCE_HEADING, "①主要举措和成效");
  ExpectShown(circled.findings[2], v1::PartFinding::EVIDENCE_HEADING,
              "③党政主要负责人履行推进法治建设第一责任人职责情况");
  EXPECT_EQ(circled.headings[0].part, kNone);
}

TEST(PartTest, ASectionDividedInItsOwnWordsIsNoUmbrella) {
  // The sub-heading restates the section's part in the section's words, and
  // the duty is nested beside it: the section heading shows the measures.
  const std::string text =
      "一、2022年推进法治政府建设的主要举措和成效\n（一）主要举措和成效\n"
      "（二）党政主要负责人履行推进法治建设第一责任人职责情况\n二、存在的不足和原因\n";
  const ReportStructure s = Parse(text, 2022);
  ExpectShown(s.findings[0], v1::PartFinding::EVIDENCE_HEADING,
              "一、2022年推进法治政府建设的主要举措和成效");
  EXPECT_EQ(s.headings[0].part, kP1);
  ExpectShown(s.findings[2], v1::PartFinding::EVIDENCE_HEADING,
              "（二）党政主要负责人履行推进法治建设第一责任人职责情况");

  // Sub-headings of one other part only do not make an umbrella either.
  const ReportStructure one =
      Parse("一、2021年工作情况\n（一）整改存在的问题\n（二）剖析存在的问题\n", 2021);
  ExpectShown(one.findings[0], v1::PartFinding::EVIDENCE_HEADING, "一、2021年工作情况");
  // Nor do sub-headings naming other parts when none restates the section's.
  const ReportStructure others =
      Parse("一、主要举措和成效\n（一）落实第一责任人职责\n（二）整改存在的问题\n", 2021);
  ExpectShown(others.findings[0], v1::PartFinding::EVIDENCE_HEADING, "一、主要举措和成效");
}

TEST(PartTest, ACombinedHeadingShowsEveryPartItMatches) {
  const std::string text =
      "一、主要举措和成效\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
      "三、存在的不足和下一步工作安排\n（一）存在的不足\n";
  const ReportStructure s = Parse(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  // The most specific match keeps the heading; the other part cites it too.
  EXPECT_EQ(s.headings[2].part, kP4);
  ExpectShown(s.findings[3], v1::PartFinding::EVIDENCE_HEADING, "三、存在的不足和下一步工作安排");
  ExpectShown(s.findings[1], v1::PartFinding::EVIDENCE_HEADING, "（一）存在的不足");

  // Without a heading of its own, the shortcomings are shown by the combined one.
  const ReportStructure combined =
      Parse("一、主要举措和成效\n二、存在的不足和下一步工作安排\n", 2023);
  EXPECT_EQ(combined.parts_present, (Parts{kP1, kP2, kP4}));
  ExpectShown(combined.findings[1], v1::PartFinding::EVIDENCE_HEADING,
              "二、存在的不足和下一步工作安排");
  EXPECT_EQ(combined.findings[1].begin, combined.findings[3].begin);
  EXPECT_EQ(combined.headings[1].part, kP4);
}

TEST(PartTest, OtherMattersAreOptional) {
  const std::string four =
      "一、主要举措和成效\n二、存在的不足和原因\n"
      "三、主要负责人履行第一责任人职责情况\n四、2024年工作计划\n";
  EXPECT_EQ(Parse(four, 2023).parts_present, (Parts{kP1, kP2, kP3, kP4}));
  EXPECT_TRUE(Parse(four, 2023).required_missing.empty());
  const ReportStructure five = Parse(four + "五、其他需要报告的情况\n", 2023);
  EXPECT_EQ(five.parts_present, (Parts{kP1, kP2, kP3, kP4, kP5}));
  EXPECT_TRUE(five.required_missing.empty());
}

TEST(PartTest, UnknownYearDisablesPlaceholderPatterns) {
  EXPECT_EQ(Parse("三、2021年重点工作", 0).headings[0].part, kNone);
  EXPECT_EQ(Parse("三、下一步工作安排", 0).headings[0].part, kP4);
}

TEST(PartTest, DefaultRules) {
  const std::vector<PartRule> rules = DefaultPartRules();
  ASSERT_EQ(rules.size(), 5u);
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(rules[i].part, static_cast<ReportPart>(i + 1));
    EXPECT_EQ(rules[i].required, i < 4) << i;
    EXPECT_FALSE(rules[i].patterns.empty());
  }
  EXPECT_TRUE(ValidatePartRules(rules).ok());
}

TEST(PartTest, CustomRulesReplaceDefaults) {
  const std::vector<PartRule> rules = {
      {kP1, true, {PartPattern{{"甲", "乙"}}}},
      {kP5, false, {PartPattern{{"{year}年度总结"}}}},
  };
  const std::string text = "一、甲和乙\n二、只有甲\n三、2019年度总结\n四、主要举措";
  ReportStructure s = ParseReportStructure(text, 2019, rules);
  ASSERT_EQ(s.headings.size(), 4u);
  EXPECT_EQ(s.headings[0].part, kP1);
  EXPECT_EQ(s.headings[1].part, kNone);
  EXPECT_EQ(s.headings[2].part, kP5);
  EXPECT_EQ(s.headings[3].part, kNone);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP5}));
  EXPECT_TRUE(s.required_missing.empty());

  s = ParseReportStructure(text, 2018, rules);
  EXPECT_EQ(s.headings[2].part, kNone);
  EXPECT_EQ(s.parts_present, (Parts{kP1}));

  s = ParseReportStructure("二、只有甲", 2019, rules);
  EXPECT_EQ(s.required_missing, (Parts{kP1}));
}

TEST(PartTest, NoRulesMeansNoParts) {
  const ReportStructure s = ParseReportStructure("一、主要举措和成效", 2023, {});
  ASSERT_EQ(s.headings.size(), 1u);
  EXPECT_EQ(s.headings[0].part, kNone);
  EXPECT_TRUE(s.parts_present.empty());
  EXPECT_TRUE(s.required_missing.empty());
}

TEST(PartTest, EmptyPhrasesNeverMatchEverything) {
  const std::vector<PartRule> rules = {
      {kP1, true, {PartPattern{{""}}, PartPattern{{" ", "\u3000"}}}}};
  const ReportStructure s = ParseReportStructure("一、任何标题", 2023, rules);
  EXPECT_EQ(s.headings[0].part, kNone);
  EXPECT_EQ(s.required_missing, (Parts{kP1}));
}

TEST(PartTest, LongestPatternWinsAndTiesGoToTheEarlierRule) {
  const std::vector<PartRule> problems_first = {
      {kP2, true, {PartPattern{{"问题"}}}},
      {kP1, true, {PartPattern{{"情况"}}}},
  };
  const std::vector<PartRule> situation_first = {problems_first[1], problems_first[0]};
  EXPECT_EQ(ParseReportStructure("一、情况和问题", 2023, problems_first).headings[0].part, kP2);
  EXPECT_EQ(ParseReportStructure("一、情况和问题", 2023, situation_first).headings[0].part, kP1);
  const std::vector<PartRule> longer_later = {
      {kP2, true, {PartPattern{{"问题"}}}},
      {kP1, true, {PartPattern{{"基本情况"}}}},
  };
  EXPECT_EQ(ParseReportStructure("一、基本情况和问题", 2023, longer_later).headings[0].part, kP1);
}

TEST(PartTest, ValidateRejectsBadRules) {
  const PartPattern ok{{"举措"}};
  const std::vector<std::vector<PartRule>> bad = {
      {{kNone, true, {ok}}},
      {{static_cast<ReportPart>(6), true, {ok}}},
      {{kP1, true, {ok}}, {kP1, false, {ok}}},
      {{kP1, true, {}}},
      {{kP1, true, {PartPattern{}}}},
      {{kP1, true, {PartPattern{{""}}}}},
      {{kP1, true, {PartPattern{{"\u3000 "}}}}},
      {{kP1, true, {PartPattern{{"{month}安排"}}}}},
      {{kP1, true, {PartPattern{{"{year"}}}}},
      {{kP1, true, {PartPattern{{"\xff举措"}}}}},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    const absl::Status status = ValidatePartRules(bad[i]);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << i;
    EXPECT_FALSE(status.message().empty()) << i;
  }
  EXPECT_TRUE(ValidatePartRules({}).ok());
  EXPECT_TRUE(ValidatePartRules({{kP4, true, {PartPattern{{"{next_year}年", "{year}"}}}}}).ok());
}

// ---------------------------------------------------------------------------
// Thematic layouts.

ReportStructure ParseWithLayout(std::string_view text, int year) {
  return ParseReportStructure(text, year, DefaultPartRules(), DefaultThematicLayout());
}

TEST(ThematicTest, AreasOfTheOutlineTogetherAreTheMeasures) {
  const std::string text =
      "某区2023年法治政府建设情况报告\n"
      "一、依法全面履行政府职能\n（一）深化放管服改革\n"
      "二、完善依法行政制度体系\n"
      "三、推进严格规范公正文明执法\n"
      "四、强化对行政权力的制约和监督\n"
      "五、存在的不足\n六、2024年工作安排\n";
  const ReportStructure s = ParseWithLayout(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP4}));
  const PartJudgement& measures = s.findings[0];
  ExpectShown(measures, v1::PartFinding::EVIDENCE_THEMATIC_HEADINGS, "一、依法全面履行政府职能");
  EXPECT_EQ(measures.begin, LineStart(text, 1));
  for (size_t line : {1u, 3u, 4u, 5u}) {
    ASSERT_NE(HeadingOnLine(s, line), nullptr) << line;
    EXPECT_EQ(HeadingOnLine(s, line)->part, kP1) << line;
  }
  EXPECT_EQ(HeadingOnLine(s, 2)->part, kNone);

  // Without the layout, the same text has no measures part.
  EXPECT_EQ(Parse(text, 2023).parts_present, (Parts{kP2, kP4}));
}

TEST(ThematicTest, FewerThanTheMinimumIsNoLayout) {
  const std::string text = "一、依法全面履行政府职能\n二、完善依法行政制度体系\n三、存在的不足\n";
  EXPECT_EQ(ParseWithLayout(text, 2023).parts_present, (Parts{kP2}));
  ThematicLayoutRule two = DefaultThematicLayout();
  two.min_headings = 2;
  EXPECT_EQ(ParseReportStructure(text, 2023, DefaultPartRules(), two).parts_present,
            (Parts{kP1, kP2}));
  ThematicLayoutRule off;
  EXPECT_TRUE(ValidateThematicLayout(off).ok());
  EXPECT_EQ(ParseReportStructure(text, 2023, DefaultPartRules(), off).parts_present, (Parts{kP2}));
}

TEST(ThematicTest, AreasUnderATopHeadingForNoPartCount) {
  const std::string text =
      "一、2023年法治政府建设情况\n（一）依法全面履行政府职能\n（二）健全依法行政制度体系\n"
      "（三）严格规范公正文明执法\n（四）依法有效化解社会矛盾纠纷\n"
      "二、存在的不足\n";
  const ReportStructure s = ParseWithLayout(text, 2023);
  const PartJudgement& measures = s.findings[0];
  ExpectShown(measures, v1::PartFinding::EVIDENCE_THEMATIC_HEADINGS, "（一）依法全面履行政府职能");
}

TEST(ThematicTest, AreasUnderAnotherPartDoNotCount) {
  // Next year's plans laid out by the same areas are not this year's measures.
  const std::string text =
      "一、存在的不足\n二、2024年工作安排\n（一）依法全面履行政府职能\n"
      "（二）健全依法行政制度体系\n（三）严格规范公正文明执法\n";
  const ReportStructure s = ParseWithLayout(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP2, kP4}));
  EXPECT_FALSE(s.findings[0].present);
}

TEST(ThematicTest, ATopHeadingForThePartComesFirst) {
  const std::string text =
      "一、主要举措和成效\n（一）依法全面履行政府职能\n（二）健全依法行政制度体系\n"
      "（三）严格规范公正文明执法\n";
  const ReportStructure s = ParseWithLayout(text, 2023);
  ExpectShown(s.findings[0], v1::PartFinding::EVIDENCE_HEADING, "一、主要举措和成效");
  EXPECT_EQ(HeadingOnLine(s, 1)->part, kNone);
}

// ---------------------------------------------------------------------------
// Sentences.

TEST(SentenceTest, AParagraphOpeningSentenceShowsTheLeadersDuty) {
  const std::string text =
      "一、主要举措和成效\n"
      "区政府主要负责人认真履行推进法治建设第一责任人职责。全年专题学法四次。\n"
      "二、存在的不足\n三、2024年工作安排\n";
  const ReportStructure s = Parse(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  const PartJudgement& leaders = s.findings[2];
  ExpectShown(leaders, v1::PartFinding::EVIDENCE_SENTENCE,
              "区政府主要负责人认真履行推进法治建设第一责任人职责。");
  EXPECT_EQ(leaders.begin, LineStart(text, 1));
  EXPECT_EQ(leaders.end - leaders.begin, CodePoints(leaders.shown_by));
}

TEST(SentenceTest, TheBodyOfARunInHeadingOpensItsParagraph) {
  const std::string text =
      "一、主要举措和成效\n"
      "（五）加强组织领导。区长切实履行法治建设第一责任人职责，带头学法。\n";
  const ReportStructure s = Parse(text, 2023);
  const PartJudgement& leaders = s.findings[2];
  ExpectShown(leaders, v1::PartFinding::EVIDENCE_SENTENCE,
              "区长切实履行法治建设第一责任人职责，带头学法。");
}

TEST(SentenceTest, AMentionInsideAParagraphDoesNot) {
  // As in the Putuo report: the bureau promotes the duty across the district.
  const std::string text =
      "一、主要举措和成效\n"
      "召开全体会议。全面落实党政主要负责人履行推进法治建设第一责任人职责。\n"
      "二、存在的不足\n";
  const ReportStructure s = Parse(text, 2023);
  EXPECT_FALSE(s.findings[2].present);
  EXPECT_EQ(s.required_missing, (Parts{kP3, kP4}));
  // Nor does a table row.
  EXPECT_FALSE(Parse("第一责任人职责\t落实\n", 2023).findings[2].present);
}

TEST(SentenceTest, AClauseWhoseSubjectIsTheFilersLeaderShowsTheDuty) {
  // As in the Fengxian report: the duty is told mid-paragraph, the district
  // government's own leader its subject.
  const std::string text =
      "一、主要举措和成效\n"
      "（一）加强党对法治政府建设的领导。区委、区政府把法治政府建设纳入年度工作计划。"
      "区政府主要负责人切实履行推进法治建设第一责任人职责，全年主持召开常务会议4次。\n"
      "二、存在的不足\n三、2024年工作安排\n";
  const ReportStructure s = Parse(text, 2023);
  EXPECT_EQ(s.parts_present, (Parts{kP1, kP2, kP3, kP4}));
  const std::string clause = "区政府主要负责人切实履行推进法治建设第一责任人职责";
  ExpectShown(s.findings[2], v1::PartFinding::EVIDENCE_SENTENCE, clause);
  const std::string line =
      "（一）加强党对法治政府建设的领导。区委、区政府把法治政府建设纳入年度工作计划。";
  EXPECT_EQ(s.findings[2].begin, LineStart(text, 1) + CodePoints(line));

  for (const std::string subject : {"局党组", "我局", "党政", "镇", "区委区政府"}) {
    for (const std::string verb : {"履行", "认真履行", "带头履行", "全面履行"}) {
      const std::string said = subject + "主要负责人" + verb + "法治建设第一责任人职责";
      const ReportStructure one =
          Parse("一、主要举措和成效\n全年召开会议3次；" + said + "；专题学法4次。\n", 2023);
      ExpectShown(one.findings[2], v1::PartFinding::EVIDENCE_SENTENCE, said);
    }
  }
}

TEST(SentenceTest, AClauseActingOnOthersLeadersDoesNot) {
  for (const std::string clause : {
           // A verb before the leaders: the filer pushes the duty onto others.
           "全面落实党政主要负责人履行推进法治建设第一责任人职责",
           "督促各街镇主要负责人履行第一责任人职责",
           "推动各部门主要负责人切实履行第一责任人职责",
           "制定《党政主要负责人履行第一责任人职责清单》",
           // More than ten code points before 主要负责人.
           "区司法局会同区城管执法局主要负责人履行第一责任人职责",
           // Not followed at once by a verb of fulfilling the duty.
           "区政府主要负责人带头学法并履行第一责任人职责",
           // Not the 第一责任人 duty.
           "区政府主要负责人切实履行法治建设职责",
       }) {
    const ReportStructure s =
        Parse("一、主要举措和成效\n全年召开会议3次。" + clause + "，专题学法4次。\n", 2023);
    EXPECT_FALSE(s.findings[2].present) << clause;
  }
}

TEST(SentenceTest, AHeadingComesBeforeASentence) {
  const std::string text = "区长履行第一责任人职责。\n一、主要举措\n二、第一责任人履职情况\n";
  const ReportStructure s = Parse(text, 2023);
  ExpectShown(s.findings[2], v1::PartFinding::EVIDENCE_HEADING, "二、第一责任人履职情况");
}

// ---------------------------------------------------------------------------
// Findings.

TEST(FindingTest, OnePerPartInPartOrderWithWhatWasLookedFor) {
  const std::vector<PartRule> rules = {
      {kP4, true, {PartPattern{{"{next_year}年", "安排"}}, PartPattern{{"下一步"}}}},
      {kP1, true, {PartPattern{{"举措"}}}},
      {kP3, false, {PartPattern{{"第一责任人"}}}, {PartPattern{{"主要负责人", "职责"}}}},
  };
  const ReportStructure s = ParseReportStructure("一、主要举措\n二、别的\n", 2023, rules);
  ASSERT_EQ(s.findings.size(), 3u);
  EXPECT_EQ(s.findings[0].part, kP1);
  EXPECT_TRUE(s.findings[0].present);
  EXPECT_TRUE(s.findings[0].required);
  EXPECT_TRUE(s.findings[0].looked_for.empty());
  EXPECT_EQ(s.findings[0].evidence, v1::PartFinding::EVIDENCE_HEADING);
  EXPECT_EQ(s.findings[0].begin, 0u);
  EXPECT_EQ(s.findings[0].end, 6u);

  EXPECT_EQ(s.findings[1].part, kP3);
  EXPECT_FALSE(s.findings[1].present);
  EXPECT_FALSE(s.findings[1].required);
  EXPECT_EQ(s.findings[1].evidence, v1::PartFinding::EVIDENCE_UNSPECIFIED);
  EXPECT_TRUE(s.findings[1].shown_by.empty());
  EXPECT_EQ(s.findings[1].looked_for, (std::vector<std::string>{"第一责任人", "主要负责人+职责"}));

  EXPECT_EQ(s.findings[2].part, kP4);
  EXPECT_EQ(s.findings[2].looked_for, (std::vector<std::string>{"2024年+安排", "下一步"}));
  EXPECT_EQ(s.required_missing, (Parts{kP4}));

  // With the year unknown, patterns with a placeholder were not looked for.
  const ReportStructure unknown = ParseReportStructure("一、主要举措\n", 0, rules);
  EXPECT_EQ(unknown.findings[2].looked_for, (std::vector<std::string>{"下一步"}));
}

TEST(FindingTest, MissingMeasuresListTheOutlinesAreasToo) {
  const ReportStructure s = ParseWithLayout("一、别的\n", 2023);
  const std::vector<std::string>& looked_for = s.findings[0].looked_for;
  EXPECT_NE(std::find(looked_for.begin(), looked_for.end(), "主要举措"), looked_for.end());
  EXPECT_NE(std::find(looked_for.begin(), looked_for.end(), "行政权力+制约"), looked_for.end());
}

TEST(FindingTest, ShownByIsCappedAt200CodePoints) {
  std::string long_title = "一、主要举措";
  for (int i = 0; i < 300; ++i) long_title += "和";
  const ReportStructure s = Parse(long_title, 2023);
  ASSERT_TRUE(s.findings[0].present);
  EXPECT_EQ(CodePoints(s.findings[0].shown_by), 200u);
  EXPECT_EQ(s.findings[0].end - s.findings[0].begin, CodePoints(long_title));
}

TEST(FindingTest, ValidateRejectsBadSentencePatternsAndLayouts) {
  const PartPattern ok{{"举措"}};
  EXPECT_EQ(ValidatePartRules({{kP3, true, {ok}, {PartPattern{{"\u3000"}}}}}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidatePartRules({{kP3, true, {ok}, {PartPattern{}}}}).code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<ThematicLayoutRule> bad = {
      {kNone, 3, {ok}}, {static_cast<ReportPart>(7), 3, {ok}}, {kP1, 0, {ok}},
      {kP1, 3, {}},     {kP1, 3, {PartPattern{{"{month}"}}}},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(ValidateThematicLayout(bad[i]).code(), absl::StatusCode::kInvalidArgument) << i;
  }
  EXPECT_TRUE(ValidateThematicLayout(DefaultThematicLayout()).ok());
}

// ---------------------------------------------------------------------------
// Degenerate and hostile input.

TEST(RobustnessTest, EmptyAndBlankText) {
  for (const std::string text : {"", "\n\n", " \u3000\r\n\t"}) {
    const ReportStructure s = Parse(text, 2023);
    EXPECT_TRUE(s.headings.empty());
    EXPECT_TRUE(s.parts_present.empty());
    EXPECT_EQ(s.required_missing, (Parts{kP1, kP2, kP3, kP4}));
    EXPECT_EQ(ExtractTitle(text), "");
    EXPECT_EQ(DetectReportKind(text), v1::REPORT_KIND_UNSPECIFIED);
  }
}

TEST(RobustnessTest, InvalidUtf8IsReadAsReplacementCharacters) {
  const std::string text = "一、主要举措和成效\x80\n\xff\xfe\n（一）测试\xe4\xb8";
  const ReportStructure s = Parse(text, 2023);
  ASSERT_EQ(s.headings.size(), 2u);
  EXPECT_EQ(s.headings[0].title, "主要举措和成效\uFFFD");
  EXPECT_EQ(s.headings[0].part, kP1);
  EXPECT_EQ(s.headings[1].line, 2u);
  EXPECT_EQ(s.headings[1].title, "测试\uFFFD\uFFFD");
  // Each invalid byte is one code point: 10 + "\n" + 2 + "\n".
  EXPECT_EQ(s.headings[1].begin, 14u);

  // An overlong form and an encoded surrogate are invalid byte by byte.
  const ReportStructure t = Parse("\xc0\xaf\xed\xa0\x80\n一、标题", 2023);
  ASSERT_EQ(t.headings.size(), 1u);
  EXPECT_EQ(t.headings[0].begin, 6u);
  EXPECT_EQ(t.headings[0].end, 10u);

  const std::string title = ExtractTitle("\xff标题\xc3");
  EXPECT_EQ(title, "\uFFFD标题\uFFFD");
  EXPECT_EQ(DetectReportKind("\xff\xfe\xfd"), v1::REPORT_KIND_OTHER);
}

TEST(RobustnessTest, RandomBytesNeverBreakTheContracts) {
  const std::vector<std::string> pieces = {"一、",
                                           "（",
                                           "）",
                                           "(",
                                           ")",
                                           "【",
                                           "】",
                                           "\n",
                                           "\r",
                                           "\r\n",
                                           "1.",
                                           "２．",
                                           "报告",
                                           "法治政府建设",
                                           "关于",
                                           "人民政府",
                                           "街道",
                                           "局",
                                           "案例",
                                           "{year}",
                                           "2024年",
                                           "。",
                                           "：",
                                           "\u3000",
                                           "---",
                                           "title: ",
                                           "\xe4",
                                           "\xe4\xb8",
                                           "\xf0\x9f",
                                           "\xc0",
                                           "\xff",
                                           "\xed\xa0\x80",
                                           "安排",
                                           "第一部分",
                                           "①",
                                           "\t",
                                           "第一责任人职责",
                                           "依法全面履行政府职能",
                                           "；"};
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&state]() {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<uint32_t>(state >> 33);
  };
  const std::vector<PartRule> rules = DefaultPartRules();
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const uint32_t len = next() % 60;
    for (uint32_t i = 0; i < len; ++i) {
      if (next() % 3 == 0) {
        text.push_back(static_cast<char>(next() & 0xFF));
      } else {
        text += pieces[next() % pieces.size()];
      }
    }
    const ReportStructure s = ParseReportStructure(text, 2023, rules, DefaultThematicLayout());
    size_t previous_line = 0;
    for (size_t i = 0; i < s.headings.size(); ++i) {
      const Heading& h = s.headings[i];
      ASSERT_TRUE(IsValidUtf8(h.title)) << round;
      ASSERT_TRUE(IsValidUtf8(h.marker)) << round;
      ASSERT_FALSE(h.title.empty()) << round;
      ASSERT_GE(h.level, 1) << round;
      ASSERT_LE(h.level, 9) << round;  // one level per numbering form
      ASSERT_LT(h.begin, h.end) << round;
      ASSERT_LE(h.end, text.size()) << round;
      if (i > 0) {
        ASSERT_GT(h.line, previous_line) << round;
      }
      previous_line = h.line;
      if (h.part != kNone) {
        ASSERT_TRUE(std::binary_search(s.parts_present.begin(), s.parts_present.end(), h.part))
            << round;
      }
    }
    ASSERT_EQ(s.findings.size(), rules.size()) << round;
    for (size_t f = 0; f < s.findings.size(); ++f) {
      const PartJudgement& j = s.findings[f];
      ASSERT_EQ(j.part, rules[f].part) << round;
      ASSERT_EQ(std::binary_search(s.parts_present.begin(), s.parts_present.end(), j.part),
                j.present)
          << round;
      ASSERT_EQ(std::binary_search(s.required_missing.begin(), s.required_missing.end(), j.part),
                j.required && !j.present)
          << round;
      ASSERT_TRUE(IsValidUtf8(j.shown_by)) << round;
      ASSERT_LE(CodePoints(j.shown_by), 200u) << round;
      if (j.present) {
        ASSERT_LT(j.begin, j.end) << round;
        ASSERT_LE(j.end, text.size()) << round;
        ASSERT_EQ(j.shown_by.find_first_of("\r\n"), std::string::npos) << round;
        ASSERT_TRUE(j.looked_for.empty()) << round;
      } else {
        ASSERT_FALSE(j.looked_for.empty()) << round;
      }
    }
    const std::string title = ExtractTitle(text);
    ASSERT_TRUE(IsValidUtf8(title)) << round;
    ASSERT_LE(CodePoints(title), 200u) << round;
    const ReportKind kind = DetectReportKind(text);
    ASSERT_GE(static_cast<int>(kind), 0) << round;
    ASSERT_LE(static_cast<int>(kind), 5) << round;
  }
}

TEST(RobustnessTest, LargeInputsStayLinear) {
  std::string one_line;
  for (int i = 0; i < 200000; ++i) one_line += "（一";
  EXPECT_TRUE(Parse(one_line, 2023).headings.empty());
  EXPECT_EQ(CodePoints(ExtractTitle(one_line)), 200u);

  std::string many_lines;
  for (int i = 0; i < 50000; ++i) many_lines += "一、存在的不足\n";
  const ReportStructure s = Parse(many_lines, 2023);
  EXPECT_EQ(s.headings.size(), 50000u);
  EXPECT_EQ(s.parts_present, (Parts{kP2}));
  EXPECT_EQ(DetectReportKind(many_lines), v1::REPORT_KIND_OTHER);

  // Every form nested under the one before, each naming two parts: every
  // heading is beneath all the open ones above it.
  std::string nested;
  for (int i = 0; i < 10000; ++i) {
    nested += "一、工作情况\n（一）主要举措\n1.存在问题\n（1）不足\n①下一步\n第一部分 成效\n";
  }
  EXPECT_EQ(Parse(nested, 2023).headings.size(), 60000u);

  // One paragraph of clauses each opening like the leader's duty.
  std::string clauses = "一、主要举措和成效\n开会。";
  for (int i = 0; i < 50000; ++i) clauses += "区政府主要负责人切实履行职责，";
  clauses += "区政府主要负责人履行第一责任人职责。";
  const ReportStructure leader = Parse(clauses, 2023);
  EXPECT_EQ(leader.findings[2].shown_by, "区政府主要负责人履行第一责任人职责");
}

}  // namespace
}  // namespace fazhi::report
