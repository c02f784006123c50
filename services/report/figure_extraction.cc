#include "services/report/figure_extraction.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status/errors.h"
#include "common/text/chinese_quantity.h"
#include "common/text/quantity_proto.h"
#include "common/text/utf8.h"
#include "services/report/figure_period.h"

namespace fazhi::report {
namespace {

using Chars = std::u32string;

std::u32string Decode(absl::string_view s) { return text::DecodeUtf8Lenient(s).chars; }

std::vector<std::u32string> DecodeAll(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<std::u32string> out;
  for (const auto& s : in) {
    if (!s.empty()) out.push_back(Decode(s));
  }
  return out;
}

// Sentence breaks end a sentence; clause breaks also end a clause.
bool IsSentenceBreak(char32_t c) {
  return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U';' || c == U'!' ||
         c == U'?' || c == U'\n' || c == U'\r';
}
bool IsClauseBreak(char32_t c) {
  return IsSentenceBreak(c) || c == U'，' || c == U',' || c == U'：' || c == U':';
}

bool Contains(const Chars& haystack, const std::u32string& needle) {
  return haystack.find(needle) != Chars::npos;
}

bool ContainsAll(const Chars& haystack, const std::vector<std::u32string>& needles) {
  for (const auto& n : needles) {
    if (!Contains(haystack, n)) return false;
  }
  return true;
}

bool ContainsAny(const Chars& haystack, const std::vector<std::u32string>& needles) {
  for (const auto& n : needles) {
    if (Contains(haystack, n)) return true;
  }
  return false;
}

bool IsBound(fazhi::type::Qualifier q) {
  return q != fazhi::type::QUALIFIER_EXACT && q != fazhi::type::QUALIFIER_UNSPECIFIED;
}

// A figure's contexts (see FigurePattern).
struct FigureContext {
  Chars before;   // own before-context
  Chars subject;  // what it measures: own, a partner's, or carried on
  Chars verbs;    // where its verb may stand
  Chars after;
  size_t sentence_begin = 0, sentence_end = 0;
};

}  // namespace

absl::Status ValidateFigureRules(const fazhi::rules::v1::ReportRules& rules) {
  errors::FieldViolations violations;
  for (int i = 0; i < rules.figures_size(); ++i) {
    const auto& p = rules.figures(i);
    const std::string where = absl::StrCat("report.figures[", i, "]");
    const std::string which =
        absl::StrCat(" in the rules file (indicator \"", p.indicator(), "\")");
    if (p.indicator().empty())
      violations.Add(where + ".indicator", "is required in the rules file");
    if (p.measure_words().empty()) violations.Add(where + ".measure_words", "is required" + which);
    if (p.subject_all_of().empty() && p.verb_any_of().empty() && p.after_all_of().empty() &&
        p.sentence_all_of().empty()) {
      violations.Add(where, "needs a phrase to match besides the measure word" + which);
    }
  }
  for (int i = 0; i < rules.continuation_phrases_size(); ++i) {
    if (rules.continuation_phrases(i).empty()) {
      violations.Add(absl::StrCat("report.continuation_phrases[", i, "]"),
                     "is empty in the rules file");
    }
  }
  return violations.empty() ? absl::OkStatus() : violations.ToStatus();
}

FigureRules::FigureRules(const fazhi::rules::v1::ReportRules& rules) {
  for (const auto& p : rules.figures()) {
    Pattern pattern;
    pattern.indicator = p.indicator();
    pattern.subject_all_of = DecodeAll(p.subject_all_of());
    pattern.verb_any_of = DecodeAll(p.verb_any_of());
    pattern.after_all_of = DecodeAll(p.after_all_of());
    pattern.sentence_all_of = DecodeAll(p.sentence_all_of());
    pattern.sentence_none_of = DecodeAll(p.sentence_none_of());
    pattern.measure_words.assign(p.measure_words().begin(), p.measure_words().end());
    pattern.accept_bounds = p.accept_bounds();
    pattern.candidate_only = p.candidate_only();
    patterns_.push_back(std::move(pattern));
  }
  continuations_ = DecodeAll(rules.continuation_phrases());
}

namespace {

// How far a figure's sentence reaches on either side of it, in characters.
// The longest sentences of real reports run to a few hundred characters.
constexpr size_t kMaxSentenceReach = 300;

// The last `n` characters of `text`.
Chars LastChars(Chars text, size_t n) {
  if (text.size() > n) text.erase(0, text.size() - n);
  return text;
}

}  // namespace

FigureExtraction ExtractFigures(const FigureRules& rules, absl::string_view text, int report_year) {
  FigureExtraction out;
  const std::vector<text::ChineseQuantity> found = text::FindChineseQuantities(text);
  for (const auto& q : found) {
    v1::TextQuantity tq;
    *tq.mutable_quantity() = text::ToProto(q);
    tq.set_begin(static_cast<int32_t>(q.begin));
    tq.set_end(static_cast<int32_t>(q.end));
    out.quantities.push_back(std::move(tq));
  }
  if (found.empty() || rules.patterns().empty()) return out;
  const Chars chars = text::DecodeUtf8Lenient(text).chars;
  const size_t n = found.size();

  // Own contexts.
  std::vector<FigureContext> ctx(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t begin = std::min(found[i].begin, chars.size());
    const size_t end = std::min(found[i].end, chars.size());
    // A figure's sentence, at most kMaxSentenceReach characters on either
    // side of it: real sentences are far shorter, and a text with no
    // sentence break (hostile, or a table flattened) must not make every
    // figure read the whole text.
    const size_t floor = begin > kMaxSentenceReach ? begin - kMaxSentenceReach : 0;
    const size_t ceiling = std::min(chars.size(), end + kMaxSentenceReach);
    size_t s = begin;
    while (s > floor && !IsSentenceBreak(chars[s - 1])) --s;
    size_t e = end;
    while (e < ceiling && !IsSentenceBreak(chars[e])) ++e;
    size_t b = begin;
    const size_t previous_end = i > 0 ? std::min(found[i - 1].end, begin) : 0;
    while (b > 0 && b > previous_end && !IsClauseBreak(chars[b - 1])) --b;
    size_t a = end;
    const size_t next_begin = i + 1 < n ? std::max(found[i + 1].begin, end) : chars.size();
    while (a < chars.size() && a < next_begin && !IsClauseBreak(chars[a])) ++a;
    ctx[i].before = chars.substr(b, begin - b);
    ctx[i].subject = ctx[i].before;
    ctx[i].verbs = ctx[i].before;
    ctx[i].after = chars.substr(end, a - end);
    ctx[i].sentence_begin = s;
    ctx[i].sentence_end = e;
    // Carried on from the figure before it in the same clause
    // ("…率从2012年的18.64%上升至2017年的53.28%").
    if (i > 0 && b == previous_end && b != begin && ctx[i - 1].sentence_begin == s &&
        ContainsAny(ctx[i].before, rules.continuations())) {
      ctx[i].subject = LastChars(ctx[i - 1].subject + ctx[i].before, kMaxSentenceReach);
      ctx[i].verbs = LastChars(ctx[i - 1].verbs + ctx[i].before, kMaxSentenceReach);
    }
  }

  // Paired forms: "收到A 348件、B 72件,分别办结340件、审结66件".
  static const std::u32string kRespectively = U"分别";
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && ctx[j].sentence_begin == ctx[i].sentence_begin) ++j;
    const size_t s = ctx[i].sentence_begin, e = ctx[i].sentence_end;
    const Chars sentence = chars.substr(s, e - s);
    const size_t at = sentence.find(kRespectively);
    if (at != Chars::npos) {
      const size_t split = s + at;
      std::vector<size_t> left, right;
      for (size_t k = i; k < j; ++k) (found[k].end <= split ? left : right).push_back(k);
      const size_t m = right.size();
      if (m >= 2 && left.size() >= m) {
        left.erase(left.begin(), left.end() - static_cast<std::ptrdiff_t>(m));
        for (size_t k = 1; k < m; ++k) ctx[left[k]].verbs += ctx[left[0]].before;
        for (size_t k = 0; k < m; ++k) ctx[right[k]].subject = ctx[left[k]].before;
      }
    }
    i = j;
  }

  // Matching.
  const std::vector<fazhi::type::Period> stated_cross_year_periods = StatedCrossYearPeriods(chars);
  for (size_t i = 0; i < n; ++i) {
    const auto& q = found[i];
    const FigureContext& c = ctx[i];
    const Chars sentence_before = chars.substr(c.sentence_begin, q.begin - c.sentence_begin);
    const Chars sentence = chars.substr(c.sentence_begin, c.sentence_end - c.sentence_begin);
    std::vector<const FigureRules::Pattern*> matched;
    std::set<std::string> indicators;
    for (const auto& p : rules.patterns()) {
      if (std::find(p.measure_words.begin(), p.measure_words.end(), q.measure_word) ==
          p.measure_words.end()) {
        continue;
      }
      if (!ContainsAll(c.subject, p.subject_all_of)) continue;
      if (!p.verb_any_of.empty() && !ContainsAny(c.verbs, p.verb_any_of)) continue;
      if (!ContainsAll(c.after, p.after_all_of)) continue;
      if (!ContainsAll(sentence_before, p.sentence_all_of)) continue;
      if (ContainsAny(sentence, p.sentence_none_of)) continue;
      if (indicators.insert(p.indicator).second) matched.push_back(&p);
    }
    if (matched.empty()) continue;

    // The period: a phrase opening the sentence reaches across its ；.
    size_t lead = c.sentence_begin;
    while (lead > 0 && c.sentence_begin - lead < kMaxSentenceReach &&
           (chars[lead - 1] == U'；' || chars[lead - 1] == U';')) {
      --lead;
      while (lead > 0 && !IsSentenceBreak(chars[lead - 1])) --lead;
    }
    FigurePeriodContext period_context;
    period_context.clause_before = c.before;
    period_context.sentence_before = chars.substr(lead, q.begin - lead);
    period_context.report_year = report_year;
    period_context.stated_cross_year_periods = stated_cross_year_periods;
    const FigurePeriod period = ReadFigurePeriod(period_context);
    const std::string evidence = text::EncodeUtf8(sentence.substr(0, 300));
    for (const auto* p : matched) {
      v1::ExtractedFigure figure;
      figure.set_indicator(p->indicator);
      *figure.mutable_quantity() = out.quantities[i].quantity();
      *figure.mutable_period() = period.period;
      figure.set_begin(static_cast<int32_t>(q.begin));
      figure.set_end(static_cast<int32_t>(q.end));
      figure.set_evidence(evidence);
      std::string reason;
      if (matched.size() > 1) {
        std::vector<std::string> names;
        for (const auto* other : matched) names.push_back(other->indicator);
        reason = absl::StrCat("ambiguous: the patterns of ", absl::StrJoin(names, ", "), " match");
      } else if (p->candidate_only) {
        reason = "the pattern offers candidates only";
      } else if (IsBound(figure.quantity().qualifier()) && !p->accept_bounds) {
        reason = absl::StrCat("a bound, not a value (", text::QualifierName(q.qualifier), ")");
      } else if (!period.problem.empty()) {
        reason = period.problem;
      }
      figure.set_confidence(reason.empty() ? v1::FIGURE_CONFIDENCE_ACCEPTED
                                           : v1::FIGURE_CONFIDENCE_CANDIDATE);
      figure.set_reason(reason);
      out.figures.push_back(std::move(figure));
    }
  }

  // One indicator and period, two accepted values: neither is a fact. The
  // same value twice: the first stands.
  using Key = std::tuple<std::string, int, int, int, int>;
  std::map<Key, std::vector<size_t>> accepted;
  for (size_t k = 0; k < out.figures.size(); ++k) {
    const auto& f = out.figures[k];
    if (f.confidence() != v1::FIGURE_CONFIDENCE_ACCEPTED) continue;
    const auto& period = f.period();
    accepted[Key(f.indicator(), period.year(), period.start_month(), period.end_year(),
                 period.end_month())]
        .push_back(k);
  }
  for (const auto& [key, indexes] : accepted) {
    if (indexes.size() < 2) continue;
    std::set<std::string> values;
    for (size_t k : indexes) values.insert(out.figures[k].quantity().decimal());
    for (size_t pos = 0; pos < indexes.size(); ++pos) {
      auto& f = out.figures[indexes[pos]];
      if (values.size() > 1) {
        f.set_confidence(v1::FIGURE_CONFIDENCE_CANDIDATE);
        f.set_reason(absl::StrCat("conflicting values for ", f.indicator(), " in ",
                                  f.period().year(), ": ", absl::StrJoin(values, ", ")));
      } else if (pos > 0) {
        f.set_confidence(v1::FIGURE_CONFIDENCE_CANDIDATE);
        f.set_reason("repeats an earlier figure");
      }
    }
  }
  return out;
}

}  // namespace fazhi::report
