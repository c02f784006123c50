#include "services/report/page_text.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/text/utf8.h"
#include "services/report/text_lines.h"

namespace fazhi::report {
namespace {

using lines::Contains;
using lines::ContainsAny;
using lines::Decode;
using lines::Encode;
using lines::EndsWith;
using lines::EndsWithAny;
using lines::StartsWith;
using lines::StartsWithAny;
using lines::Trim;

// Chrome has the shape of a short line; a report's sentences are longer.
constexpr size_t kMaxChromeLine = 40;
// Footer lines run on (主办… 承办… 地址… 电话… ICP备…).
constexpr size_t kMaxFooterLine = 160;
// A metadata line carries a few label: value pairs.
constexpr size_t kMaxMetadataLine = 200;
constexpr size_t kMaxAddresseeLine = 30;
// A link to another page is at most a title's length.
constexpr size_t kMaxLinkLine = 60;
// Site name, channel, nav bar, accessibility links: a few lines at most.
constexpr size_t kMaxMastheadLines = 6;
constexpr size_t kMaxCaptionLine = 40;
// The addressee opens the body: only lines before the first paragraph.
constexpr size_t kMaxHeadLine = 60;

enum class Field { kIndex, kAuthority, kNumber, kWritten, kRelease, kSubject, kTitle, kOther };

struct Label {
  std::u32string_view name;
  Field field;
};

// Longer names first, so 发文字号 is not read as 文号.
constexpr Label kLabels[] = {
    {U"索引号", Field::kIndex},       {U"发文机关", Field::kAuthority},
    {U"发布机构", Field::kAuthority}, {U"发文单位", Field::kAuthority},
    {U"发布单位", Field::kAuthority}, {U"发文字号", Field::kNumber},
    {U"文件编号", Field::kNumber},    {U"文号", Field::kNumber},
    {U"成文日期", Field::kWritten},   {U"成文时间", Field::kWritten},
    {U"生成日期", Field::kWritten},   {U"发布日期", Field::kRelease},
    {U"发布时间", Field::kRelease},   {U"公开日期", Field::kRelease},
    {U"公开时间", Field::kRelease},   {U"主题分类", Field::kSubject},
    {U"文件名称", Field::kTitle},     {U"标题", Field::kTitle},
    {U"名称", Field::kTitle},         {U"体裁分类", Field::kOther},
    {U"组配分类", Field::kOther},     {U"信息分类", Field::kOther},
    {U"公开方式", Field::kOther},     {U"公开范围", Field::kOther},
    {U"公开形式", Field::kOther},     {U"主题词", Field::kOther},
    {U"关键词", Field::kOther},       {U"有效性", Field::kOther},
    {U"效力状态", Field::kOther},     {U"时效", Field::kOther},
    {U"所属机构", Field::kOther},     {U"服务对象", Field::kOther},
};

bool IsColon(char32_t c) { return c == U'：' || c == ':'; }

struct FoundLabel {
  size_t begin = 0;
  size_t value_begin = 0;  // after the colon
  Field field = Field::kOther;
};

// The end of `label` matched at `at` in `line`, spaces allowed between its
// characters ("索 引 号", "标　　题"); npos if it does not match there.
size_t MatchLabel(std::u32string_view line, size_t at, std::u32string_view label) {
  for (size_t k = 0; k < label.size(); ++k) {
    if (k > 0) {
      while (at < line.size() && lines::IsSpace(line[at])) ++at;
    }
    if (at >= line.size() || line[at] != label[k]) return std::u32string_view::npos;
    ++at;
  }
  return at;
}

// Labels in `line`, in order, not overlapping. With `colon_required`, a
// label counts only when a colon follows it; without, only labels of at
// least three characters count (two-character ones are common words).
std::vector<FoundLabel> FindLabels(std::u32string_view line, bool colon_required = true) {
  std::vector<FoundLabel> found;
  for (size_t at = 0; at < line.size();) {
    bool matched = false;
    for (const Label& label : kLabels) {
      const size_t end = MatchLabel(line, at, label.name);
      if (end == std::u32string_view::npos) continue;
      size_t after = end;
      while (after < line.size() && lines::IsSpace(line[after])) ++after;
      if (after < line.size() && IsColon(line[after])) {
        found.push_back({at, after + 1, label.field});
        at = after + 1;
        matched = true;
      } else if (!colon_required && label.name.size() >= 3) {
        found.push_back({at, after, label.field});
        at = after;
        matched = true;
      }
      break;
    }
    if (!matched) ++at;
  }
  return found;
}

// The label a line (or cell) is made of alone ("索引号", "文　　号：");
// none if it holds more.
std::optional<Field> LabelOnly(std::u32string_view line) {
  std::u32string name = lines::NormalizeForMatch(line);
  if (!name.empty() && name.back() == ':') name.pop_back();
  for (const Label& label : kLabels) {
    if (name == label.name) return label.field;
  }
  return std::nullopt;
}

char32_t FoldDigit(char32_t c) { return c >= 0xFF10 && c <= 0xFF19 ? c - 0xFF10 + '0' : c; }

// Reads up to `max` digits at `*at`; -1 if none.
int ReadNumber(std::u32string_view s, size_t* at, size_t max) {
  int value = 0;
  size_t n = 0;
  while (*at < s.size() && n < max && lines::IsDigit(s[*at])) {
    value = value * 10 + static_cast<int>(FoldDigit(s[*at]) - '0');
    ++*at;
    ++n;
  }
  return n == 0 ? -1 : value;
}

bool ReadDate32(std::u32string_view s, google::type::Date* date) {
  s = Trim(s);
  size_t at = 0;
  const size_t year_begin = at;
  const int year = ReadNumber(s, &at, 4);
  if (year < 1900 || at - year_begin != 4 || at >= s.size()) return false;
  const char32_t separator = s[at];
  if (separator != U'年' && separator != '-' && separator != '.' && separator != '/' &&
      separator != U'－' && separator != U'．') {
    return false;
  }
  ++at;
  const int month = ReadNumber(s, &at, 2);
  if (month < 1 || month > 12 || at >= s.size()) return false;
  ++at;  // 月 or the separator again
  const int day = ReadNumber(s, &at, 2);
  if (day < 1 || day > 31) return false;
  date->set_year(year);
  date->set_month(month);
  date->set_day(day);
  return true;
}

// A value as far as the page chrome glued after it: values on a metadata
// line are set apart by wide gaps (two spaces or an ideographic space), and
// a 【…】 after a value is a page tool (【字体：大 中 小】), never the value.
std::u32string_view ValueBeforeChrome(std::u32string_view value) {
  value = Trim(value);
  for (size_t i = 0; i < value.size(); ++i) {
    const bool wide_gap =
        value[i] == U'\u3000' ||
        (lines::IsSpace(value[i]) && i + 1 < value.size() && lines::IsSpace(value[i + 1]));
    if (wide_gap || (value[i] == U'【' && i > 0)) return Trim(value.substr(0, i));
  }
  return value;
}

void SetField(Field field, std::u32string_view value, v1::DocumentMetadata* metadata,
              PageTitles* titles) {
  value = ValueBeforeChrome(value);
  if (value.empty()) return;
  const std::string utf8 = Encode(value);
  auto set = [&](std::string* target) {
    if (target->empty()) *target = utf8;
  };
  switch (field) {
    case Field::kIndex:
      return set(metadata->mutable_index_number());
    case Field::kAuthority:
      return set(metadata->mutable_issuing_authority());
    case Field::kNumber:
      return set(metadata->mutable_document_number());
    case Field::kSubject:
      return set(metadata->mutable_subject_category());
    case Field::kTitle:
      return set(&titles->metadata_title);
    case Field::kWritten:
      if (!metadata->has_written_date()) ReadDate32(value, metadata->mutable_written_date());
      return;
    case Field::kRelease:
      if (!metadata->has_release_date()) ReadDate32(value, metadata->mutable_release_date());
      return;
    case Field::kOther:
      return;
  }
}

// Reads a metadata line ("索引号：… 主题分类：…"); false when `line` is not
// one. A chrome line ("来源：… 发布时间：…") is read wherever its labels are.
bool ReadMetadataLine(std::u32string_view line, bool chrome, v1::DocumentMetadata* metadata,
                      PageTitles* titles) {
  if (line.size() > kMaxMetadataLine) return false;
  std::vector<FoundLabel> found = FindLabels(line);
  if (found.empty()) {
    // A grid row laid out without colons ("索引号 PT0011-… 发文机关 上海市…")
    // opens with a label and holds another.
    found = FindLabels(line, false);
    if (found.size() < 2 || found.front().begin != 0) return false;
  }
  const size_t lead = found.front().begin;
  // "原标题：…" is no 标题 label; a label may follow an opening bracket.
  if (!chrome && lead > 0 && !(lead == 1 && (line[0] == U'【' || line[0] == U'['))) return false;
  for (size_t i = 0; i < found.size(); ++i) {
    const size_t end = i + 1 < found.size() ? found[i + 1].begin : line.size();
    SetField(found[i].field, line.substr(found[i].value_begin, end - found[i].value_begin),
             metadata, titles);
  }
  return true;
}

// Reads label/value cells of a metadata table; false (nothing read) when
// fewer than two cells are labels.
bool ReadMetadataTable(const PageTable& table, v1::DocumentMetadata* metadata, PageTitles* titles) {
  std::vector<std::u32string> cells;
  for (const auto& row : table.rows) {
    for (const auto& cell : row) cells.push_back(Decode(cell.text));
  }
  size_t labels = 0;
  for (const auto& cell : cells) {
    if (LabelOnly(cell) || (!FindLabels(cell).empty() && FindLabels(cell).front().begin == 0)) {
      ++labels;
    }
  }
  if (labels < 2) return false;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (const std::optional<Field> field = LabelOnly(cells[i])) {
      if (i + 1 < cells.size() && !LabelOnly(cells[i + 1])) {
        SetField(*field, cells[i + 1], metadata, titles);
        ++i;
      }
    } else {
      ReadMetadataLine(cells[i], false, metadata, titles);
    }
  }
  return true;
}

// `line` (normalised: no spaces) is made only of tool words (打印 关闭 收藏
// 字号 大 中 小 …) and brackets.
bool IsToolWords(std::u32string_view line) {
  static constexpr std::u32string_view kWords[] = {
      U"打印本页", U"打印此页", U"关闭窗口", U"关闭本页", U"返回顶部", U"加入收藏", U"我要纠错",
      U"打印", U"关闭", U"收藏", U"分享", U"返回", U"字号", U"字体", U"纠错", U"默认", U"大", U"中",
      U"小", U"【", U"】", U"[", U"]", U"|", U"｜", U"/", U"(", U")", U"（", U"）", U"：", U":",
      U"·",
      // Accessibility and language switches, sign-in, search and feedback.
      U"无障碍浏览", U"无障碍阅读", U"无障碍", U"长者版", U"长者模式", U"关怀版", U"关怀模式",
      U"适老版", U"跳到主要内容", U"跳转到主要内容", U"English", U"ENGLISH", U"繁体", U"简体",
      U"手机版", U"登录", U"注册", U"意见反馈", U"欢迎您", U"搜索", U"检索", U"首页", U"A+", U"A-",
      U"!", U"！"};
  size_t at = 0;
  bool tool = false;
  while (at < line.size()) {
    bool matched = false;
    for (std::u32string_view word : kWords) {
      if (StartsWith(line.substr(at), word)) {
        at += word.size();
        matched = true;
        tool = tool || word.size() >= 2;
        break;
      }
    }
    if (!matched) return false;
  }
  return tool;
}

// `line` normalised (NormalizeForMatch).
bool IsBreadcrumb(std::u32string_view line) {
  return line.size() <= kMaxChromeLine &&
         StartsWithAny(line, {U"当前位置", U"您当前的位置", U"您现在的位置", U"您的位置",
                              U"当前所在位置", U"所在位置", U"首页>", U"首页»", U"首页/"});
}

bool IsChromeLine32(std::u32string_view trimmed) {
  const std::u32string line = lines::NormalizeForMatch(trimmed);
  if (line.empty()) return false;
  if (line.size() <= kMaxFooterLine &&
      ContainsAny(line, {U"ICP备", U"icp备", U"公网安备", U"网站标识码", U"版权所有", U"Copyright",
                         U"copyright", U"©"})) {
    return true;
  }
  // Footers, and links to the pages before and after (often on one line,
  // each with a page's title).
  if (line.size() <= kMaxFooterLine &&
      StartsWithAny(line, {U"主办:", U"主办单位", U"承办:", U"承办单位", U"技术支持", U"上一篇",
                           U"下一篇", U"上一条", U"下一条"})) {
    return true;
  }
  if (line.size() > kMaxChromeLine) return false;
  if (IsBreadcrumb(line)) return true;
  if (StartsWithAny(line, {U"扫一扫", U"微信扫一扫", U"扫描二维码", U"手机扫码", U"分享到",
                           U"分享至", U"责任编辑", U"来源:", U"信息来源:", U"浏览次数", U"点击数",
                           U"点击量", U"访问量", U"阅读次数", U"浏览量", U"【打印", U"[打印"})) {
    return true;
  }
  if (Contains(line, U"二维码") && line.size() <= 20) return true;
  if (ContainsAny(line, {U"联系我们", U"网站地图", U"站内搜索", U"请输入关键字", U"请输入关键词",
                         U"请输入搜索", U"热门搜索", U"高级搜索", U"全文检索", U"扫码关注"})) {
    return true;
  }
  if (line == U"搜索" || line == U"检索" || line == U"信息公开元数据" || line == U"元数据" ||
      line == U"首页") {
    return true;
  }
  if (Contains(line, U"字号") && ContainsAny(line, {U"大中小", U"大", U"小"})) return true;
  return IsToolWords(line);
}

// "相关链接：…", "相关新闻：" and the like: the page's list of other
// pages, which runs on in the lines below it.
bool IsRelatedLinksLine(std::u32string_view trimmed) {
  const std::u32string line = lines::NormalizeForMatch(trimmed);
  return line.size() <= kMaxFooterLine &&
         StartsWithAny(line, {U"相关链接", U"相关文件", U"相关新闻", U"相关阅读", U"相关文章",
                              U"相关信息", U"相关稿件", U"相关报道", U"延伸阅读", U"友情链接"});
}

// A line of a list of links: short, no sentence.
bool IsLinkLine(std::u32string_view trimmed) {
  return trimmed.size() <= kMaxLinkLine && !lines::HasSentencePunctuation(trimmed);
}

bool IsCaptionLine(std::u32string_view line) {
  line = Trim(line);
  if (line.empty() || line.size() > kMaxCaptionLine) return false;
  if (EndsWithAny(line, {U"。", U"，", U"；", U"：", U":"})) return false;
  if (StartsWith(line, U"附表")) return true;
  if (StartsWith(line, U"表") && line.size() > 1 &&
      (lines::IsDigit(line[1]) || lines::IsSpace(line[1]) || line[1] == U'一' || line[1] == U'二' ||
       line[1] == U'三')) {
    return true;
  }
  return EndsWithAny(line, {U"表", U"情况", U"统计", U"一览"});
}

// The addressee of a line shaped like one ("市委、市政府："); empty if not.
std::u32string_view AddresseeOf(std::u32string_view line) {
  line = Trim(line);
  if (line.size() < 3 || line.size() > kMaxAddresseeLine || !IsColon(line.back())) return {};
  const std::u32string_view name = Trim(line.substr(0, line.size() - 1));
  if (name.empty() || lines::HasSentencePunctuation(name) || LabelOnly(line)) return {};
  if (!FindLabels(line).empty()) return {};
  if (ContainsAny(name, {U"如下", U"报告", U"说明", U"通知", U"附件"})) return {};
  return name;
}

// True when `cell` holds a figure: a digit that is not part of a year label
// ("2023年", "2023年度", "2023").
bool HoldsFigure(std::u32string_view cell) {
  cell = Trim(cell);
  for (size_t i = 0; i < cell.size(); ++i) {
    if (!lines::IsDigit(cell[i])) continue;
    size_t end = i;
    while (end < cell.size() && lines::IsDigit(cell[end])) ++end;
    const size_t digits = end - i;
    const char32_t first = FoldDigit(cell[i]);
    const bool year =
        digits == 4 && (first == '1' || first == '2') && (end == cell.size() || cell[end] == U'年');
    if (!year) return true;
    i = end;
  }
  return false;
}

// Header rows of a table that marks none (no <th>, no <thead>, or text
// copied out of a browser): the first row is a header when none of its
// cells holds a figure (year labels aside) and a later row does. Only one
// row is inferred: further rows without figures may be data.
int InferredHeaderRows(const PageTable& table) {
  if (table.header_rows > 0 || table.rows.size() < 2) return table.header_rows;
  for (const PageCell& cell : table.rows.front()) {
    if (cell.text.empty() || HoldsFigure(Decode(cell.text))) return 0;
  }
  for (size_t r = 1; r < table.rows.size(); ++r) {
    for (const PageCell& cell : table.rows[r]) {
      if (HoldsFigure(Decode(cell.text))) return 1;
    }
  }
  return 0;
}

// One block of the page: a line (as written, for plain text) or a table.
struct Block {
  std::string line;
  std::optional<PageTable> table;
};

// A table's row as a line of text: cells joined by one tab.
std::string RowLine(const std::vector<PageCell>& row) {
  std::vector<std::string> cells;
  for (const PageCell& cell : row) cells.push_back(cell.text);
  return absl::StrJoin(cells, "\t");
}

// `final_newline`: whether the last line ends in "\n" (text copied from a
// browser is kept as written).
PageText Assemble(const std::vector<Block>& blocks, PageTitles titles, bool final_newline) {
  PageText out;
  out.titles = std::move(titles);
  std::vector<const Block*> kept;
  bool in_related_links = false;
  // Until the first paragraph: the masthead, nav bars, breadcrumb, title.
  bool in_page_head = true;
  size_t kept_lines = 0;  // non-empty
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    if (block.table) {
      if (!ReadMetadataTable(*block.table, &out.metadata, &out.titles)) {
        kept.push_back(&block);
        kept_lines += block.table->rows.size();
      }
      continue;
    }
    const std::u32string line = Decode(block.line);
    const std::u32string_view trimmed = Trim(line);
    if (trimmed.empty()) {
      kept.push_back(&block);
      continue;
    }
    if (const std::optional<Field> field = LabelOnly(trimmed)) {
      // A label whose value is the next line (<dt>索引号</dt><dd>…</dd>).
      if (i + 1 < blocks.size() && !blocks[i + 1].table) {
        const std::u32string next = Decode(blocks[i + 1].line);
        if (!LabelOnly(next) && FindLabels(next).empty()) {
          SetField(*field, next, &out.metadata, &out.titles);
          ++i;
        }
      }
      continue;
    }
    if (IsRelatedLinksLine(trimmed)) {
      in_related_links = true;
      continue;
    }
    if (in_related_links && IsLinkLine(trimmed)) continue;
    in_related_links = false;
    // A nav bar is chrome above the body only: further down, short items
    // set apart by gaps are a table's row copied without its tabs.
    const bool navigation = in_page_head && (lines::IsNavBar(trimmed) ||
                                             IsBreadcrumb(lines::NormalizeForMatch(trimmed)));
    if (navigation) out.titles.masthead_lines = kept_lines;
    const bool chrome = navigation || IsChromeLine32(trimmed);
    if (ReadMetadataLine(trimmed, chrome, &out.metadata, &out.titles) || chrome) continue;
    if (trimmed.size() > kMaxHeadLine || lines::HasSentencePunctuation(trimmed)) {
      in_page_head = false;
    }
    kept.push_back(&block);
    ++kept_lines;
  }

  size_t code_points = 0;
  bool in_head = true;
  const std::string* previous_line = nullptr;
  for (const Block* block : kept) {
    if (!block->table) {
      absl::StrAppend(&out.text, block->line, "\n");
      code_points += text::CodePointCount(block->line) + 1;
      const std::u32string line = Decode(block->line);
      if (Trim(line).size() > kMaxHeadLine) in_head = false;
      if (in_head && out.metadata.addressee().empty()) {
        const std::u32string_view addressee = AddresseeOf(line);
        if (!addressee.empty()) {
          out.metadata.set_addressee(Encode(addressee));
          in_head = false;
        }
      }
      if (!Trim(line).empty()) previous_line = &block->line;
      continue;
    }
    const PageTable& table = *block->table;
    v1::ReportTable* report_table = &out.tables.emplace_back();
    report_table->set_caption(table.caption);
    if (table.caption.empty() && previous_line != nullptr &&
        IsCaptionLine(Decode(*previous_line))) {
      report_table->set_caption(std::string(Encode(Trim(Decode(*previous_line)))));
    }
    report_table->set_header_rows(InferredHeaderRows(table));
    report_table->set_begin(static_cast<int32_t>(code_points));
    for (const auto& row : table.rows) {
      auto* report_row = report_table->add_rows();
      for (const PageCell& cell : row) {
        auto* report_cell = report_row->add_cells();
        report_cell->set_text(cell.text);
        report_cell->set_row_span(cell.row_span);
        report_cell->set_col_span(cell.col_span);
      }
      const std::string line = RowLine(row);
      absl::StrAppend(&out.text, line, "\n");
      code_points += text::CodePointCount(line) + 1;
    }
    // The span ends at the end of the last row, its newline excluded.
    report_table->set_end(static_cast<int32_t>(code_points - 1));
    previous_line = nullptr;
  }
  if (!final_newline && !out.text.empty() && out.text.back() == '\n' &&
      (kept.empty() || !kept.back()->table)) {
    out.text.pop_back();
  }
  return out;
}

}  // namespace

bool IsChromeLine(absl::string_view line) {
  const std::u32string decoded = Decode(std::string_view(line.data(), line.size()));
  return IsChromeLine32(Trim(decoded));
}

bool ReadDate(absl::string_view text, google::type::Date* date) {
  return ReadDate32(Decode(std::string_view(text.data(), text.size())), date);
}

void DropMastheadAbove(std::string_view title, PageText* page) {
  const std::u32string wanted = lines::NormalizeForMatch(Decode(title));
  if (wanted.empty()) return;
  const std::u32string text = Decode(page->text);
  const std::vector<lines::LineSpan> spans = lines::SplitLines(text);
  size_t seen = 0;
  for (const lines::LineSpan& span : spans) {
    const std::u32string_view line = lines::LineText(text, span);
    if (line.empty()) continue;
    const std::u32string squeezed = lines::NormalizeForMatch(line);
    // The title's line, or the first of the lines it is broken over.
    if (squeezed == wanted || (squeezed.size() >= 4 && StartsWith(wanted, squeezed))) {
      size_t cut = span.begin;
      while (cut > 0 && text[cut - 1] != '\n' && text[cut - 1] != '\r') --cut;
      if (cut == 0) return;
      for (const v1::ReportTable& table : page->tables) {
        if (static_cast<size_t>(table.begin()) < cut) return;
      }
      page->text = Encode(std::u32string_view(text).substr(cut));
      for (v1::ReportTable& table : page->tables) {
        table.set_begin(table.begin() - static_cast<int32_t>(cut));
        table.set_end(table.end() - static_cast<int32_t>(cut));
      }
      return;
    }
    if (++seen > kMaxMastheadLines || squeezed.size() > kMaxChromeLine ||
        lines::HasSentencePunctuation(line)) {
      return;
    }
  }
}

PageText PageTextOf(const PageModel& page) {
  std::vector<Block> blocks;
  blocks.reserve(page.blocks.size());
  for (const PageBlock& block : page.blocks) {
    if (block.IsTable()) {
      blocks.push_back(Block{"", block.table.front()});
    } else {
      blocks.push_back(Block{block.line, std::nullopt});
    }
  }
  PageTitles titles;
  titles.metadata_title = page.front_matter_title;
  titles.first_h1 = page.first_h1;
  titles.title_element = page.title_element;
  return Assemble(blocks, std::move(titles), true);
}

PageText PlainPageText(absl::string_view text) {
  std::vector<absl::string_view> raw = absl::StrSplit(text, '\n');
  if (!raw.empty() && raw.back().empty()) raw.pop_back();
  std::vector<Block> blocks;
  for (size_t i = 0; i < raw.size();) {
    // A run of lines with the same number (at least two) of tab-separated cells.
    auto cells_of = [&](size_t k) {
      return static_cast<size_t>(std::count(raw[k].begin(), raw[k].end(), '\t')) + 1;
    };
    const size_t width = cells_of(i);
    size_t end = i + 1;
    while (width >= 2 && end < raw.size() && cells_of(end) == width) ++end;
    if (width >= 2 && end - i >= 2) {
      PageTable table;
      for (size_t k = i; k < end; ++k) {
        std::vector<PageCell> row;
        for (absl::string_view cell : absl::StrSplit(raw[k], '\t')) {
          row.push_back(PageCell{
              std::string(Encode(Trim(Decode(std::string_view(cell.data(), cell.size()))))), 1, 1});
        }
        table.rows.push_back(std::move(row));
      }
      blocks.push_back(Block{"", std::move(table)});
      i = end;
      continue;
    }
    blocks.push_back(Block{std::string(raw[i]), std::nullopt});
    ++i;
  }
  return Assemble(blocks, PageTitles{}, absl::EndsWith(text, "\n"));
}

}  // namespace fazhi::report
