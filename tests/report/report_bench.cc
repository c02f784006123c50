// report_bench: the report service's figures a user cares about, printed.
//
//   1. submit + parse + extract + index throughput for reports of ~20 KB
//      (TakeTextIn, ValidateReport, AnalyzeReport, ReportStore::SubmitReport
//      with the WAL synced on every write, as the server runs);
//   2. loading --reports generated reports into the search index (time in
//      SubmitReport, and CPU on every thread), and search latency (p50, p99)
//      over them, next to SQLite FTS5 with the trigram tokenizer on the same
//      corpus and the same queries, in the same run.
//
// The corpus is generated from the sentences of the seed reports (in
// FAZHI_SEEDS_DIR), under a fixed random seed. Not a test: run by hand,
//   build/tests/report_bench [--reports=100000] [--chars=500]
//                            [--throughput_reports=300] [--rounds=10]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/rules/rule_set.h"
#include "common/storage/store.h"
#include "services/report/report_analysis.h"
#include "services/report/report_search.h"
#include "services/report/report_store.h"
#include "services/report/search_hits.h"

namespace fazhi::report {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU time of every thread of this process so far.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Flag(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, absl::StrCat("--", name, "="))) {
      int v = 0;
      if (absl::SimpleAtoi(arg, &v)) return v;
    }
  }
  return fallback;
}

std::vector<std::string> Sentences() {
  std::vector<std::string> out;
  for (const char* seed : {"002_4f28ee6da608f1e8.txt", "004_e0cd47a7b08ce18d.txt",
                           "001_e4eb8e5b584018fc.txt", "000_f329534fe2bcaa38.txt"}) {
    const std::string text = ReadFileOrDie(absl::StrCat(FAZHI_SEEDS_DIR, "/", seed));
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      for (absl::string_view s : absl::StrSplit(line, "。")) {
        if (s.size() >= 12) out.push_back(absl::StrCat(s, "。"));
      }
    }
  }
  return out;
}

const char* const kRegions[] = {"310101", "310104", "310105", "310106", "310107", "310109",
                                "310110", "310112", "310113", "310114", "310115", "310116",
                                "310117", "310118", "310120", "310151"};
const char* const kUnits[] = {"司法局",   "人民政府",           "市场监管局", "生态环境局",
                              "公安分局", "住房城乡建设管理委", "教育局",     "卫生健康委"};

// One generated report of about `bytes` bytes of text.
v1::Report Generate(std::mt19937_64& rng, const std::vector<std::string>& sentences, size_t bytes,
                    int n) {
  v1::Report r;
  const char* region = kRegions[rng() % 16];
  const char* unit = kUnits[rng() % 8];
  const int year = 2015 + static_cast<int>(rng() % 9);
  r.set_region(absl::StrCat("regions/", region));
  r.set_filer(absl::StrCat("units/", region, "-u", n));
  r.set_year(year);
  r.set_kind(unit == kUnits[1] ? v1::REPORT_KIND_GOVERNMENT_ANNUAL
                               : v1::REPORT_KIND_DEPARTMENT_ANNUAL);
  std::string text = absl::StrCat(year, "年度", unit, "法治政府建设情况报告\n");
  const char* const headings[] = {"一、主要举措和成效\n", "二、存在的不足和原因\n",
                                  "三、党政主要负责人履行推进法治建设第一责任人职责情况\n",
                                  "四、下一年度主要安排\n"};
  for (int part = 0; part < 4; ++part) {
    text += headings[part];
    const size_t until = bytes * static_cast<size_t>(part + 1) / 4;
    while (text.size() < until) text += sentences[rng() % sentences.size()];
    text += "\n";
  }
  r.set_text(std::move(text));
  return r;
}

struct Percentiles {
  double p50, p99, mean;
};

Percentiles Measure(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double m : ms) sum += m;
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  };
  return {at(0.50), at(0.99), sum / static_cast<double>(ms.size())};
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

int Main(int argc, char** argv) {
  const int reports = Flag(argc, argv, "reports", 100000);
  const int chars = Flag(argc, argv, "chars", 500);
  const int throughput_reports = Flag(argc, argv, "throughput_reports", 300);
  const int rounds = Flag(argc, argv, "rounds", 10);
  const std::string dir = absl::StrCat("/tmp/report_bench.", getpid());
  std::filesystem::create_directories(dir);
  const auto sentences = Sentences();
  auto rules = rules::LoadRuleSet(absl::StrCat(FAZHI_SOURCE_DIR, "/data/rules.textproto"));
  if (!rules.ok()) {
    std::fprintf(stderr, "rules: %s\n", std::string(rules.status().message()).c_str());
    return 1;
  }
  const auto part_rules = PartRulesFrom(*rules);
  std::mt19937_64 rng(42);

  // 1. Throughput.
  {
    storage::StoreOptions options;
    options.path = dir + "/throughput";
    auto store = ReportStore::Open(options);
    if (!store.ok()) {
      std::fprintf(stderr, "open: %s\n", std::string(store.status().message()).c_str());
      return 1;
    }
    std::vector<v1::Report> batch;
    size_t bytes = 0;
    for (int i = 0; i < throughput_reports; ++i) {
      batch.push_back(Generate(rng, sentences, 20 * 1024, i));
      bytes += batch.back().text().size();
    }
    size_t figures = 0, quantities = 0;
    const auto start = Clock::now();
    for (auto& report : batch) {
      errors::FieldViolations violations;
      const bool has_text = TakeTextIn(report, violations);
      ValidateReport(report, violations, has_text);
      if (!violations.empty()) {
        std::fprintf(stderr, "invalid: %s\n", violations.ToStatus().ToString().c_str());
        return 1;
      }
      AnalyzeReport(*rules, part_rules, report);
      quantities += static_cast<size_t>(report.quantities_size());
      figures += static_cast<size_t>(report.figures_size());
      auto stored = (*store)->SubmitReport("", std::move(report), "");
      if (!stored.ok()) {
        std::fprintf(stderr, "submit: %s\n", stored.status().ToString().c_str());
        return 1;
      }
    }
    const double secs = Seconds(start, Clock::now());
    std::printf(
        "submit+parse+extract+index: %d reports of %.1f KB avg in %.2f s = %.1f reports/s, "
        "%.2f MB/s (WAL synced per report; %zu quantities, %zu figures read)\n",
        throughput_reports, static_cast<double>(bytes) / throughput_reports / 1024, secs,
        throughput_reports / secs, static_cast<double>(bytes) / secs / 1e6, quantities, figures);
    (void)(*store)->Close();
  }

  // 2. Search corpus, loaded into both engines.
  storage::StoreOptions options;
  options.path = dir + "/search";
  options.sync_writes = false;  // bulk load; load speed is not what is measured
  options.memory_budget_bytes = 512ull << 20;
  auto store = ReportStore::Open(options);
  if (!store.ok()) return 1;
  sqlite3* db = nullptr;
  Check(sqlite3_open((dir + "/fts5.db").c_str(), &db), db, "open");
  Check(sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     "CREATE VIRTUAL TABLE docs USING fts5(body, region UNINDEXED, year UNINDEXED,"
                     " kind UNINDEXED, tokenize='trigram');",
                     nullptr, nullptr, nullptr),
        db, "create");
  sqlite3_stmt* insert = nullptr;
  Check(
      sqlite3_prepare_v2(db, "INSERT INTO docs(rowid, body, region, year, kind) VALUES(?,?,?,?,?)",
                         -1, &insert, nullptr),
      db, "prepare insert");
  double ours_load = 0, fts_load = 0, generate = 0;
  // Ours also compacts postings and flushes memtables on other threads
  // while loading; FTS5 does all of its work inline. The process's CPU time
  // over the load, less FTS5's time and the corpus's generation, bounds what
  // ours cost in all.
  const double cpu_before = ProcessCpuSeconds();
  size_t corpus_bytes = 0;
  Check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  for (int i = 0; i < reports; ++i) {
    const auto generating = Clock::now();
    v1::Report r = Generate(rng, sentences, static_cast<size_t>(chars) * 3, i);
    corpus_bytes += r.text().size();
    auto t0 = Clock::now();
    generate += Seconds(generating, t0);
    sqlite3_bind_int64(insert, 1, i + 1);
    sqlite3_bind_text(insert, 2, r.text().data(), static_cast<int>(r.text().size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, r.region().data(), static_cast<int>(r.region().size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int(insert, 4, r.year());
    sqlite3_bind_int(insert, 5, r.kind());
    Check(sqlite3_step(insert), db, "insert");
    sqlite3_reset(insert);
    auto t1 = Clock::now();
    auto stored = (*store)->SubmitReport("", std::move(r), "");
    if (!stored.ok()) {
      std::fprintf(stderr, "submit: %s\n", std::string(stored.status().message()).c_str());
      return 1;
    }
    auto t2 = Clock::now();
    fts_load += Seconds(t0, t1);
    ours_load += Seconds(t1, t2);
    if ((i + 1) % 20000 == 0) std::fprintf(stderr, "loaded %d\n", i + 1);
  }
  Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  const double load_cpu = ProcessCpuSeconds() - cpu_before;
  sqlite3_finalize(insert);
  // Both engines measured in their merged, steady state.
  auto c0 = Clock::now();
  // The last documents' postings into blocks (the index compacts them in
  // the background every 1,024 documents during the load), then a RocksDB
  // compaction.
  if (absl::Status compacted = (*store)->search_index().CompactPostings(); !compacted.ok()) {
    std::fprintf(stderr, "compacting postings: %s\n", compacted.ToString().c_str());
    return 1;
  }
  rocksdb::CompactRangeOptions compact;
  (void)(*store)->store().db()->CompactRange(
      compact, (*store)->store().family(keys::Family::kSearch), nullptr, nullptr);
  auto c1 = Clock::now();
  Check(sqlite3_exec(db, "INSERT INTO docs(docs) VALUES('optimize')", nullptr, nullptr, nullptr),
        db, "optimize");
  auto c2 = Clock::now();
  std::printf("postings into blocks + RocksDB compaction: ours %.1f s, FTS5 optimize %.1f s\n",
              Seconds(c0, c1), Seconds(c1, c2));
  std::printf(
      "search corpus: %d reports, %.1f MB of text (%.0f bytes avg); load: ours %.1f s, "
      "FTS5 %.1f s\n",
      reports, static_cast<double>(corpus_bytes) / 1e6, static_cast<double>(corpus_bytes) / reports,
      ours_load, fts_load);
  std::printf(
      "  load CPU on every thread: ours %.1f s (the process's %.1f s less FTS5's %.1f s and "
      "generating the corpus %.1f s)\n",
      load_cpu - fts_load - generate, load_cpu, fts_load, generate);

  struct Query {
    std::string text;
    std::string region;  // "" or "regions/…"
  };
  std::vector<Query> queries;
  for (const char* q :
       {"行政复议",         "出庭应诉率", "人民调解",     "法律援助",   "规范性文件",
        "重大行政决策",     "执法人员",   "公共法律服务", "营商环境",   "智慧调解",
        "司法鉴定",         "行政诉讼",   "依法治区",     "法治宣传",   "合法性审查",
        "行政执法三项制度", "矛盾纠纷",   "一网通办",     "律师事务所", "法治政府建设示范"}) {
    queries.push_back({q, ""});
  }
  for (const char* q : {"行政复议 出庭应诉率", "人民调解 成功率", "法律援助 农民工",
                        "规范性文件 备案审查", "营商环境 民营企业"}) {
    queries.push_back({q, ""});
  }
  for (const char* q : {"行政复议", "法律援助", "营商环境 民营企业", "重大行政决策", "人民调解"}) {
    queries.push_back({q, "regions/310113"});
  }

  sqlite3_stmt* plain = nullptr;
  sqlite3_stmt* filtered = nullptr;
  const char* select =
      "SELECT rowid, snippet(docs, 0, '【', '】', '…', 24) FROM docs WHERE docs MATCH ?1 %s"
      " ORDER BY rank LIMIT 10";
  char sql[512];
  std::snprintf(sql, sizeof(sql), select, "");
  Check(sqlite3_prepare_v2(db, sql, -1, &plain, nullptr), db, "prepare select");
  std::snprintf(sql, sizeof(sql), select, "AND region = ?2");
  Check(sqlite3_prepare_v2(db, sql, -1, &filtered, nullptr), db, "prepare filtered");

  std::vector<double> ours_ms, fts_ms;
  // Per query, every round's time: the slowest queries are printed.
  std::vector<std::vector<double>> ours_by_query(queries.size()), fts_by_query(queries.size());
  size_t ours_hits = 0, fts_hits = 0;
  for (int round = 0; round <= rounds; ++round) {  // round 0 warms the caches
    for (size_t qi = 0; qi < queries.size(); ++qi) {
      const Query& q = queries[qi];
      v1::SearchReportsRequest request;
      request.set_query(q.text);
      request.set_region(q.region);
      auto t0 = Clock::now();
      auto terms = search::ParseQuery(q.text);
      if (!terms.ok()) return 1;
      auto page = (*store)->SearchReports(request, *terms, 10);
      if (!page.ok()) return 1;
      const v1::SearchReportsResponse response = RenderSearchPage(*page, *terms);
      auto t1 = Clock::now();
      std::string match;
      for (absl::string_view term : absl::StrSplit(q.text, ' ')) {
        absl::StrAppend(&match, match.empty() ? "" : " ", "\"", term, "\"");
      }
      sqlite3_stmt* stmt = q.region.empty() ? plain : filtered;
      auto t2 = Clock::now();
      sqlite3_bind_text(stmt, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
      if (!q.region.empty()) {
        sqlite3_bind_text(stmt, 2, q.region.data(), static_cast<int>(q.region.size()),
                          SQLITE_TRANSIENT);
      }
      size_t rows = 0;
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ++rows;
        (void)sqlite3_column_text(stmt, 1);
      }
      Check(rc, db, "select");
      sqlite3_reset(stmt);
      auto t3 = Clock::now();
      if (round == 0) {
        if (static_cast<size_t>(response.hits_size()) != rows) {
          std::fprintf(stderr, "note: \"%s\" %s: ours %d hits (of %d), FTS5 %zu rows\n",
                       q.text.c_str(), q.region.c_str(), response.hits_size(),
                       response.total_size(), rows);
        }
        continue;
      }
      ours_ms.push_back(Seconds(t0, t1) * 1e3);
      fts_ms.push_back(Seconds(t2, t3) * 1e3);
      ours_by_query[qi].push_back(ours_ms.back());
      fts_by_query[qi].push_back(fts_ms.back());
      ours_hits += static_cast<size_t>(response.hits_size());
      fts_hits += rows;
    }
  }
  sqlite3_finalize(plain);
  sqlite3_finalize(filtered);
  const Percentiles ours = Measure(ours_ms), fts = Measure(fts_ms);
  std::printf("search over %d reports, %zu queries x %d rounds, top 10 with snippets:\n", reports,
              queries.size(), rounds);
  std::printf("  fazhi bigrams (RocksDB): p50 %.2f ms  p99 %.2f ms  mean %.2f ms  (%zu hits)\n",
              ours.p50, ours.p99, ours.mean, ours_hits);
  std::printf("  SQLite FTS5 trigram:     p50 %.2f ms  p99 %.2f ms  mean %.2f ms  (%zu hits)\n",
              fts.p50, fts.p99, fts.mean, fts_hits);
  std::vector<size_t> order(queries.size());
  std::vector<double> ours_median(queries.size()), fts_median(queries.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
    ours_median[i] = Measure(ours_by_query[i]).p50;
    fts_median[i] = Measure(fts_by_query[i]).p50;
  }
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return ours_median[a] > ours_median[b]; });
  std::printf("  slowest queries (median of the rounds; ours vs FTS5):\n");
  for (size_t i = 0; i < std::min<size_t>(6, order.size()); ++i) {
    const Query& q = queries[order[i]];
    std::printf("    %-24s %-15s %7.2f ms  %7.2f ms\n", q.text.c_str(), q.region.c_str(),
                ours_median[order[i]], fts_median[order[i]]);
  }
  sqlite3_close(db);
  (void)(*store)->Close();
  std::string rm = absl::StrCat("rm -rf ", dir);
  return std::system(rm.c_str()) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace fazhi::report

int main(int argc, char** argv) { return fazhi::report::Main(argc, argv); }
