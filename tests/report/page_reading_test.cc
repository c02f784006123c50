// Unit tests of the portal page reader (page_reader.h, page_text.h), the
// title choice (title_and_kind.h) and how TakeTextIn/AnalyzeReport use them,
// on small pages written for each behaviour.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/rules/rule_set.h"
#include "common/text/utf8.h"
#include "services/report/page_reader.h"
#include "services/report/page_text.h"
#include "services/report/report_analysis.h"
#include "services/report/text_intake.h"
#include "services/report/text_lines.h"
#include "services/report/title_and_kind.h"

namespace fazhi::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PageText Html(const std::string& body) {
  return PageTextOf(ReadHtmlPage("<html><body>" + body + "</body></html>"));
}

v1::Report Analyzed(const std::string& raw_text,
                    v1::TextFormat format = v1::TEXT_FORMAT_UNSPECIFIED) {
  static const auto* const rules = new rules::v1::RuleSet(
      *rules::LoadRuleSet(std::string(FAZHI_SOURCE_DIR) + "/data/rules.textproto"));
  v1::Report report;
  report.set_year(2023);
  report.set_raw_text(raw_text);
  report.set_text_format(format);
  errors::FieldViolations violations;
  EXPECT_TRUE(TakeTextIn(report, violations)) << violations.ToStatus();
  AnalyzeReport(*rules, PartRulesFrom(*rules), report);
  return report;
}

TEST(PageTablesTest, CellsAreTabSeparatedAndNeverReadAsOneNumber) {
  const v1::Report report = Analyzed(
      "<html><body><p>2023年行政复议情况如下。</p><p>表1 行政复议案件情况</p>"
      "<table><thead><tr><th>序号</th><th>类别</th><th>件数</th></tr></thead>"
      "<tr><td>1</td><td>收案</td><td>35件</td></tr>"
      "<tr><td rowspan=\"2\">2</td><td colspan=\"2\">办结 31件</td></tr></table>"
      "<p>完</p></body></html>");
  ASSERT_EQ(report.tables_size(), 1);
  const v1::ReportTable& table = report.tables(0);
  EXPECT_EQ(table.caption(), "表1 行政复议案件情况");
  EXPECT_EQ(table.header_rows(), 1);
  ASSERT_EQ(table.rows_size(), 3);
  EXPECT_EQ(table.rows(1).cells(2).text(), "35件");
  EXPECT_EQ(table.rows(2).cells(0).row_span(), 2);
  EXPECT_EQ(table.rows(2).cells(1).col_span(), 2);
  EXPECT_THAT(report.text(), HasSubstr("1\t收案\t35件\n"));
  EXPECT_EQ(text::SubstrByCodePoints(report.text(), table.begin(), table.end()),
            "序号\t类别\t件数\n1\t收案\t35件\n2\t办结 31件");
  for (const auto& q : report.quantities()) {
    EXPECT_NE(q.quantity().decimal(), "135") << "two cells read as one number";
  }
}

TEST(PageTablesTest, LayoutTablesAreReadAsText) {
  const PageText page = Html("<table><tr><td><p>" + std::string(120, 'x') + "</p><p>" +
                             std::string(120, 'y') + "</p></td></tr></table>");
  EXPECT_TRUE(page.tables.empty());
  EXPECT_THAT(page.text, HasSubstr(std::string(120, 'x') + "\n"));
}

TEST(PageTablesTest, PlainTextTabRunsBecomeTables) {
  const PageText page =
      PlainPageText("说明\n序号\t类别\t件数\n1\t收案\t35件\n单独\t一行\n正文。\n");
  ASSERT_EQ(page.tables.size(), 1u);
  EXPECT_EQ(page.tables[0].rows_size(), 2);
  EXPECT_EQ(page.tables[0].header_rows(), 1);
  EXPECT_EQ(page.text, "说明\n序号\t类别\t件数\n1\t收案\t35件\n单独\t一行\n正文。\n");
}

TEST(PageTablesTest, AFirstRowOfLabelsAboveFiguresIsAHeader) {
  // Copied out of a browser: no <th> to say so.
  PageText page = PlainPageText("执法领域\t处罚案件数\t罚没金额（万元）\n城市管理\t6,012\t1,548\n");
  ASSERT_EQ(page.tables.size(), 1u);
  EXPECT_EQ(page.tables[0].header_rows(), 1);

  // Years are labels of columns, not figures.
  page = Html(
      "<table><tr><td>类别</td><td>2022年</td><td>2023年度</td></tr>"
      "<tr><td>行政复议收案</td><td>48件</td><td>41件</td></tr></table>");
  ASSERT_EQ(page.tables.size(), 1u);
  EXPECT_EQ(page.tables[0].header_rows(), 1);

  // A first row with a figure is data; so is a table with no figures at all.
  page = PlainPageText("城市管理\t6,012\n市场监管\t2,305\n");
  EXPECT_EQ(page.tables[0].header_rows(), 0);
  page = PlainPageText("城市管理\t区城管执法局\n市场监管\t区市场监管局\n");
  EXPECT_EQ(page.tables[0].header_rows(), 0);

  // Header rows a page marks are kept as marked.
  page = Html(
      "<table><tr><th>年度</th><th>收案</th></tr><tr><th>单位</th><th>件</th></tr>"
      "<tr><td>2021年</td><td>455件</td></tr></table>");
  EXPECT_EQ(page.tables[0].header_rows(), 2);
}

TEST(PageMetadataTest, SpacedColonlessAndGluedLabels) {
  const PageText spaced = Html(
      "<ul><li><span>索 引 号：</span>SHEE-2024-00038</li></ul>"
      "<table><tr><td>文　　号：</td><td>松府（2022）11号</td></tr>"
      "<tr><td>发文机关：</td><td>上海市松江区人民政府</td></tr></table><p>正文。</p>");
  EXPECT_EQ(spaced.metadata.index_number(), "SHEE-2024-00038");
  EXPECT_EQ(spaced.metadata.document_number(), "松府（2022）11号");
  EXPECT_EQ(spaced.text, "正文。\n");

  // A grid of <span>s with no colons: one line, label, value, label, value.
  const PageText grid = Html(
      "<div><span>索引号</span><span>PT0011-0101-2022-000007</span><span>发文机关</span>"
      "<span>上海市普陀区人民政府</span></div><div><span>成文日期</span>"
      "<span>2022-03-04</span><span>发文字号</span><span>普府〔2022〕5号</span></div>"
      "<p>索引号的编制规则另行公布。</p>");
  EXPECT_EQ(grid.metadata.index_number(), "PT0011-0101-2022-000007");
  EXPECT_EQ(grid.metadata.issuing_authority(), "上海市普陀区人民政府");
  EXPECT_EQ(grid.metadata.document_number(), "普府〔2022〕5号");
  EXPECT_EQ(grid.metadata.written_date().day(), 4);
  EXPECT_EQ(grid.text, "索引号的编制规则另行公布。\n");

  // Page tools glued after a value are no part of it.
  const PageText glued = PlainPageText(
      "发布日期：2023-02-21　　发布机构：青浦区人民政府　　【字体：大 中 小】\n正文。\n");
  EXPECT_EQ(glued.metadata.issuing_authority(), "青浦区人民政府");
  EXPECT_EQ(glued.metadata.release_date().day(), 21);
}

TEST(PageMetadataTest, LabelValueCellsListsAndPlainLines) {
  const v1::DocumentMetadata from_cells =
      Html(
          "<table><tr><td>索引号：</td><td>SY-2024-01</td><td>主题分类：</td><td>政务公开</td></tr>"
          "<tr><td>发文机关：</td><td>上海市宝山区人民政府</td><td>成文日期：</td>"
          "<td>2024年03月22日</td></tr></table><p>正文。</p>")
          .metadata;
  EXPECT_EQ(from_cells.index_number(), "SY-2024-01");
  EXPECT_EQ(from_cells.subject_category(), "政务公开");
  EXPECT_EQ(from_cells.issuing_authority(), "上海市宝山区人民政府");
  EXPECT_EQ(from_cells.written_date().month(), 3);

  const PageText from_list = Html(
      "<ul><li>发文字号：宝府〔2024〕9号</li><li>发布日期：2024.03.28</li></ul>"
      "<dl><dt>发布机构</dt><dd>宝山区司法局</dd></dl><p>正文。</p>");
  EXPECT_EQ(from_list.metadata.document_number(), "宝府〔2024〕9号");
  EXPECT_EQ(from_list.metadata.release_date().day(), 28);
  EXPECT_EQ(from_list.metadata.issuing_authority(), "宝山区司法局");
  EXPECT_EQ(from_list.text, "正文。\n");

  const PageText plain = PlainPageText(
      "索引号：000012345/2024-00017 主题分类：法治\n发布时间：2024-3-5\n原标题：某某\n正文。\n");
  EXPECT_EQ(plain.metadata.index_number(), "000012345/2024-00017");
  EXPECT_EQ(plain.metadata.subject_category(), "法治");
  EXPECT_EQ(plain.metadata.release_date().month(), 3);
  EXPECT_EQ(plain.text, "原标题：某某\n正文。\n");
}

TEST(PageMetadataTest, DatesInEveryForm) {
  google::type::Date d;
  for (const char* text :
       {"2024年3月22日", "2024-03-22", "2024.03.22", "2024/3/22", "２０２４年３月２２日"}) {
    ASSERT_TRUE(ReadDate(text, &d)) << text;
    EXPECT_EQ(d.year(), 2024);
    EXPECT_EQ(d.month(), 3);
    EXPECT_EQ(d.day(), 22);
  }
  EXPECT_FALSE(ReadDate("2024年13月1日", &d));
  EXPECT_FALSE(ReadDate("24-3-22", &d));
}

TEST(PageMetadataTest, AddresseeIsReadAndKeptButNeverTheTitle) {
  const v1::Report report = Analyzed(
      "市委、市政府：\n2023年，本区全面推进法治政府建设，取得明显成效，现将有关情况报告如下：\n");
  EXPECT_EQ(report.metadata().addressee(), "市委、市政府");
  EXPECT_THAT(report.text(), HasSubstr("市委、市政府："));
  EXPECT_NE(report.title(), "市委、市政府：");
  EXPECT_EQ(report.title_source(), v1::TITLE_SOURCE_NONE);
}

TEST(PageChromeTest, ChromeGoesAndTheReportStays) {
  const std::string long_paragraph =
      "区政府主要负责人带头学法，打印并关闭了一批过时的文件，当前位置上的工作稳步推进，全年主持专题"
      "学法4次。";
  const PageText page = Html(
      "<nav>首页 政务公开</nav><div class=\"breadcrumb\">当前位置：首页 &gt; 法治</div>"
      "<div>当前位置：首页 &gt; 政务公开</div><div>字号：大 中 小</div><div>【打印】【关闭】</div>"
      "<p>" +
      long_paragraph +
      "</p><div>扫一扫在手机打开当前页</div><div>上一篇：某某</div>"
      "<div>责任编辑：张三</div><div>来源：区司法局 浏览次数：12</div><div>网站地图 | "
      "联系我们</div>"
      "<div id=\"footer\">主办：某区人民政府办公室</div><p>沪ICP备00000000号</p>"
      "<form><label>站内搜索</label></form><script>var a='正文';</script>");
  EXPECT_EQ(page.text, long_paragraph + "\n");
  for (const char* chrome : {"当前位置：首页", "字号：大中小", "上一篇", "扫一扫", "打印"}) {
    EXPECT_TRUE(IsChromeLine(chrome)) << chrome;
  }
  EXPECT_FALSE(IsChromeLine(long_paragraph));
  EXPECT_FALSE(IsChromeLine("一、主要举措和成效"));
}

TEST(PageChromeTest, AccessibilityBarsToolsRelatedLinksAndPrevNext) {
  const std::string paragraph = "全年办理行政复议案件352件，行政诉讼一审应诉149件。";
  const PageText page = Html(
      "<div class=\"skip\"><a href=\"#main\">跳到主要内容</a></div>"
      "<div class=\"g-top\"><a>某区人民政府门户网站</a><span>欢迎您！</span><a>意见反馈</a></div>"
      "<div class=\"wza-bar\"><a>无障碍</a><a>关怀版</a></div>"
      "<div>无障碍浏览 | 长者模式 | English</div><div>请输入搜索内容 "
      "搜索</div><div>热门搜索：复议</div>"
      "<div class=\"doc-tool\">字号 <a>A+</a> <a>A-</a> | <a>打印</a></div><p>" +
      paragraph +
      "</p><div><a>上一篇：某区2022年政府信息公开工作要点</a> "
      "<a>下一篇：某区2021年政府信息公开工作年度报告</a></div>"
      "<p>相关链接：</p><p>某区2022年政府信息公开工作年度报告</p><p>中国政府网</p>");
  EXPECT_EQ(page.text, paragraph + "\n");
  // A sentence after the list of links is the page's again.
  const PageText after = PlainPageText("相关文件：\n某文件\n" + paragraph + "\n");
  EXPECT_EQ(after.text, paragraph + "\n");
  for (const char* line : {"无障碍 | 长者版 | English", "A+ A- 打印", "请输入搜索内容\t搜索"}) {
    EXPECT_TRUE(IsChromeLine(line)) << line;
  }
  EXPECT_FALSE(IsChromeLine("首页面向长者的服务"));
}

TEST(PageChromeTest, MastheadAboveTheTitleGoes) {
  v1::Report report = Analyzed(
      "上海某区\n首页\t政务公开\t走进某区\n某区2023年法治政府建设情况报告\n"
      "全年办理行政复议案件352件。\n类别\t件数\n复议\t352件\n");
  EXPECT_EQ(report.title(), "某区2023年法治政府建设情况报告");
  EXPECT_EQ(report.text().rfind("某区2023年法治政府建设情况报告\n", 0), 0u) << report.text();
  ASSERT_EQ(report.tables_size(), 1);
  EXPECT_EQ(
      text::SubstrByCodePoints(report.text(), report.tables(0).begin(), report.tables(0).end()),
      "类别\t件数\n复议\t352件");

  // A sentence above the title is the report's: nothing goes.
  report = Analyzed("本报告经区政府常务会议审议通过。\n某区2023年法治政府建设情况报告\n正文。\n");
  EXPECT_THAT(report.text(), HasSubstr("本报告经区政府常务会议审议通过。"));
}

TEST(PageChromeTest, NavBarsAboveTheBodyAreChromeNotARowBelowIt) {
  // Short items set apart by | or wide gaps above the first paragraph are
  // the site's navigation; the same shape in the body is a table's row
  // copied without its tabs, and stays.
  const PageText page = PlainPageText(
      "上海某区 | 司法行政\n走进某区　政务公开　互动交流\n某区司法局2023年度工作情况\n"
      "全年共办理法律援助案件120件。\n街镇　受理　成功\n某街道　35　33\n");
  EXPECT_THAT(page.text, Not(HasSubstr("司法行政")));
  EXPECT_THAT(page.text, Not(HasSubstr("走进某区")));
  EXPECT_EQ(page.text.rfind("某区司法局2023年度工作情况\n", 0), 0u) << page.text;
  EXPECT_THAT(page.text, HasSubstr("街镇　受理　成功\n某街道　35　33\n"));

  // A joint signature is two names set apart by a gap: no nav bar.
  EXPECT_FALSE(lines::IsNavBar(U"中共某区委　某区人民政府"));
  EXPECT_TRUE(lines::IsNavBar(U"首页\t政务公开\t政务服务"));
  EXPECT_FALSE(lines::IsNavBar(U"某区人民政府　关于2023年法治政府建设情况的报告"));
}

TEST(PageChromeTest, TheMastheadAboveTheNavigationIsNeverTheTitle) {
  // The site's name stands above its nav bar and breadcrumb; the headline
  // below them is the title, and the site's name is not glued onto it.
  const PageText page = PlainPageText(
      "某区人民政府\n首页\t政务公开\t走进某区\n当前位置：首页 > 新闻中心\n"
      "区委依法治区委员会召开会议 听取2023年度法治政府建设情况汇报\n"
      "发布时间：2024-02-06\n会议指出，全区依法行政水平稳步提升。\n");
  EXPECT_EQ(page.titles.masthead_lines, 1u);
  const TitleChoice choice = ChooseTitle(page.titles, page.text);
  EXPECT_EQ(choice.title, "区委依法治区委员会召开会议 听取2023年度法治政府建设情况汇报");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_TEXT);

  const v1::Report report = Analyzed(
      "某区人民政府\n首页\t政务公开\t走进某区\n截至11月底某区行政复议收案同比增长\n"
      "发布时间：2023-12-06\n截至11月底，区行政复议机构今年已收到申请574件。\n");
  EXPECT_EQ(report.title(), "截至11月底某区行政复议收案同比增长");
  EXPECT_EQ(report.text().rfind("截至11月底某区行政复议收案同比增长\n", 0), 0u) << report.text();
}

TEST(PageChromeTest, ABadlyNamedContainerDoesNotTakeTheReport) {
  std::string body;
  for (int i = 0; i < 20; ++i) body += "<p>本区全面推进依法行政，各项工作取得明显成效。</p>";
  const PageText page = Html("<div class=\"main-nav-content\">" + body + "</div>");
  EXPECT_THAT(page.text, HasSubstr("本区全面推进依法行政"));
}

TEST(TitleChoiceTest, SourcesInOrder) {
  PageTitles page;
  page.title_element = "上海市宝山区人民政府关于2023年法治政府建设情况的报告_宝山区人民政府";
  TitleChoice choice = ChooseTitle(page, "当前位置：首页\n正文。\n");
  EXPECT_EQ(choice.title, "上海市宝山区人民政府关于2023年法治政府建设情况的报告");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_PAGE_HEADING);

  page.first_h1 = "政务公开";
  page.metadata_title = "某区司法局2023年法治政府建设情况报告";
  choice = ChooseTitle(page, "");
  EXPECT_EQ(choice.title, "某区司法局2023年法治政府建设情况报告");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_METADATA);

  choice =
      ChooseTitle(PageTitles{}, "2024年3月22日\n区政府：\n某区2023年法治政府建设情况报告\n正文。");
  EXPECT_EQ(choice.title, "某区2023年法治政府建设情况报告");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_TEXT);

  choice = ChooseTitle(PageTitles{}, "上海市第二中级人民法院\n行政审判白皮书（2023年）\n正文。");
  EXPECT_EQ(choice.title, "上海市第二中级人民法院行政审判白皮书（2023年）");

  const std::string paragraph = "本区坚持依法行政，全面推进法治政府建设，取得明显成效";
  choice = ChooseTitle(PageTitles{}, paragraph + "报告\n");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_NONE);
  EXPECT_EQ(choice.title, "");
}

TEST(TitleChoiceTest, SiteNamesAroundTheTitleAreLeftOut) {
  // The <title> in <head> is read; its site name may come first.
  PageModel model = ReadHtmlPage(
      "<html><head><title>某区人民政府 | 某区2021年法治政府建设情况报告</title></head>"
      "<body><p>正文。</p></body></html>");
  EXPECT_EQ(model.title_element, "某区人民政府 | 某区2021年法治政府建设情况报告");
  PageTitles page;
  page.title_element = model.title_element;
  EXPECT_EQ(ChooseTitle(page, "正文。").title, "某区2021年法治政府建设情况报告");

  // A range of years is no separator.
  page.title_element = "落实法治政府建设实施纲要（2021—2025年）情况报告_某区";
  EXPECT_EQ(ChooseTitle(page, "").title, "落实法治政府建设实施纲要（2021—2025年）情况报告");

  // A site name or nav bar on the lines above a title is never glued to it.
  for (const char* masthead :
       {"上海某区", "某区人民政府门户网站", "无障碍 | 长者版 | English", "上海某区 | 地方志"}) {
    const TitleChoice choice = ChooseTitle(
        PageTitles{}, std::string(masthead) + "\n某区人民政府2023年法治政府建设情况报告\n正文。");
    EXPECT_EQ(choice.title, "某区人民政府2023年法治政府建设情况报告") << masthead;
  }
}

TEST(TitleChoiceTest, CoverLetterGivesTheEnclosedReportsTitle) {
  TitleChoice choice = ChooseTitle(
      PageTitles{},
      "关于报送《宝山区2023年法治政府建设情况报告》的报告\n市委、市政府：\n现将报告报送。\n");
  EXPECT_EQ(choice.title, "宝山区2023年法治政府建设情况报告");
  EXPECT_EQ(choice.cover_letter_title, "关于报送《宝山区2023年法治政府建设情况报告》的报告");
  EXPECT_EQ(choice.source, v1::TITLE_SOURCE_ENCLOSED_BY_COVER_LETTER);

  choice = ChooseTitle(PageTitles{},
                       "关于报送2023年法治政府建设情况报告的报告\n市司法局：\n现将报告报送。\n"
                       "上海市宝山区人民政府2023年法治政府建设情况报告\n一、主要举措和成效\n");
  EXPECT_EQ(choice.title, "上海市宝山区人民政府2023年法治政府建设情况报告");

  const v1::Report report = Analyzed(
      "关于报送2023年法治政府建设情况报告的报告\n区委：\n现报送如下。\n", v1::TEXT_FORMAT_PLAIN);
  EXPECT_EQ(report.title(), "2023年法治政府建设情况报告");
  EXPECT_EQ(report.metadata().cover_letter_title(), "关于报送2023年法治政府建设情况报告的报告");
}

TEST(TitleChoiceTest, CallersTitleIsKept) {
  v1::Report report;
  report.set_text("某区司法局2023年法治政府建设情况报告\n正文。");
  report.set_title("我的标题");
  ReadPage(report);
  EXPECT_EQ(report.title(), "我的标题");
  EXPECT_EQ(report.title_source(), v1::TITLE_SOURCE_CALLER);
}

TEST(PageEncodingTest, Gb18030PageWithMetaCharset) {
  // "<meta charset=gbk><title>普陀区司法局</title><p>普陀区司法局</p>" in GBK.
  const std::string putuo = "\xc6\xd5\xcd\xd3\xc7\xf8\xcb\xbe\xb7\xa8\xbe\xd6";
  const v1::Report report =
      Analyzed("<html><head><meta charset=\"gbk\"><title>" + putuo + "</title></head><body><p>" +
               putuo + "</p><div>" + putuo + "</div></body></html>");
  EXPECT_EQ(report.encoding(), "GBK");
  EXPECT_EQ(report.text(), "普陀区司法局\n普陀区司法局\n");
  EXPECT_EQ(report.text_format(), v1::TEXT_FORMAT_HTML);
}

TEST(PageEncodingTest, BytesThatAreNoTextAreRefusedAsSuch) {
  std::string detected;
  auto out = ToUtf8(std::string("%PDF-1.7\n\x00\x01\x02", 13), "", &detected);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("not text in any encoding"));
  EXPECT_THAT(std::string(out.status().message()), Not(HasSubstr("declare")));
  out = ToUtf8("ok\x81", "", &detected);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), Not(HasSubstr("declare")));
}

}  // namespace
}  // namespace fazhi::report
