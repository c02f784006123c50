// Every size limit of the suite's requests, records and replies, in one
// place, with the reason for each. README.md ("Limits") lists them for users.
//
// The chain of reasoning: every reply must fit grpcurl's default receive
// limit (kMaxReplyBytes). A Get returns one record, so every stored record is
// at most kMaxRecordBytes; a List page stops growing once its records reach
// kListPageBytes, so a page holds at most kListPageBytes + kMaxRecordBytes.
// The per-field limits below keep each record well inside kMaxRecordBytes by
// construction; the record-size check is the backstop for what the fields
// cannot bound alone (a report's analysis).
//
// A request over any limit is refused before anything is written, with
// INVALID_ARGUMENT and a BadRequest violation naming the field and the limit.
// Lengths of text are in Unicode characters (a Chinese character is 3 bytes
// of UTF-8) unless the name says bytes.
#ifndef FAZHI_COMMON_API_LIMITS_H_
#define FAZHI_COMMON_API_LIMITS_H_

#include <cstddef>

#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "google/protobuf/message.h"

namespace fazhi::limits {

// --- Replies and records -------------------------------------------------

// grpcurl's default receive limit: every reply of every service fits it.
inline constexpr size_t kMaxReplyBytes = 4u << 20;
// Any one stored record (region, unit, project, indicator, observation,
// report with its text and analysis) and any one change-log entry.
inline constexpr size_t kMaxRecordBytes = 3u << 19;  // 1.5 MiB
// A List page ends after the record that brings its records to this many
// bytes (and at its page_size, whichever comes first): a page is then at
// most 2 MiB + one record < kMaxReplyBytes.
inline constexpr size_t kListPageBytes = 2u << 20;
static_assert(kListPageBytes + kMaxRecordBytes + (64u << 10) <= kMaxReplyBytes,
              "a full List page must fit a reply");
// Each field's old and new value in a catalogue change-log entry is cut to
// this many bytes (on a UTF-8 boundary, its full length said): a project
// change — a dozen fields, two values each — then stays under 1 MiB.
inline constexpr size_t kMaxChangeValueBytes = 32u << 10;

// --- Catalogue -----------------------------------------------------------

// Place names: the longest Chinese county name is 9 characters; English
// renderings stay under 64.
inline constexpr size_t kMaxRegionNameChars = 64;
// Unit names: the longest real ones (a court's or a commission's full name)
// are under 40 characters.
inline constexpr size_t kMaxUnitNameChars = 128;
// Other names a unit is known by (abbreviations, former names); a real unit
// has a handful.
inline constexpr int kMaxUnitAliases = 20;
// Project titles: the longest in the seeds is about 40 characters.
inline constexpr size_t kMaxProjectTitleChars = 200;
inline constexpr size_t kMaxProjectDescriptionChars = 4000;
inline constexpr size_t kMaxProjectThemeChars = 32;
// Responsible units of one project: real projects list one to four.
inline constexpr int kMaxProjectUnits = 20;
// Measured results of one project: real projects state one to five.
inline constexpr int kMaxProjectOutcomes = 50;
inline constexpr size_t kMaxOutcomePhraseChars = 500;
// Notes on lifecycle steps and reviews.
inline constexpr size_t kMaxNoteChars = 500;
// ListProjects filters: the project flags are three, each named once.
inline constexpr int kMaxProjectFlagFilters = 3;
inline constexpr size_t kMaxProjectTextFilterChars = 100;
// Rows of one ImportProjects call; a year's registration is about 70.
inline constexpr int kMaxImportRows = 1000;

// --- Administration ------------------------------------------------------

// Signed heads one VerifyAuditTrail checks: a week of heads at one a minute;
// an operator checks the newest of a longer file.
inline constexpr int kMaxVerifiedHeads = 10080;

// --- Metrics -------------------------------------------------------------

inline constexpr size_t kMaxIndicatorNameChars = 64;
inline constexpr size_t kMaxUnitOfMeasureChars = 8;
inline constexpr size_t kMaxIndicatorDescriptionChars = 1000;
// An observation's provenance excerpt and note, and a correction's reason.
inline constexpr size_t kMaxProvenanceTextChars = 500;
inline constexpr size_t kMaxReasonChars = 500;
// Items of one BatchRecordObservations (each answered with its observation,
// ~1 KB at most: 1000 items stay far below a reply) and observations of one
// ReplaceReportObservations.
inline constexpr int kMaxBatchItems = 1000;
// Subjects of one BatchGetSnapshots: a snapshot of the ~20 indicators is
// about 20 KB, so 100 stay near 2 MiB (the reply is checked as well, since
// indicators may grow).
inline constexpr int kMaxSnapshotSubjects = 100;
// Subjects of one CompareSubjects (one entry each) and parts of one
// RollUpSnapshot (one snapshot in reply): Shanghai has 16 districts and
// China ~2,800 counties.
inline constexpr int kMaxCompareSubjects = 500;
inline constexpr int kMaxRollUpParts = 3000;

// --- Reports -------------------------------------------------------------

// A report's text, before and after conversion to UTF-8: the longest real
// reports are ~100 KB. Kept at 5× that because the analysis of a text dense
// with figures grows faster than the text (a 1 MiB text of figures took 35 s).
inline constexpr size_t kMaxReportTextBytes = 512u << 10;
inline constexpr size_t kMaxReportTitleChars = 200;
inline constexpr size_t kMaxPublishedWhereChars = 500;
// Units filing one report jointly besides its filer (中共X区委、X区人民政府).
inline constexpr int kMaxCoFilers = 8;
// A report as listed (ListReports, ListReportVersions): the record without
// its text, raw text and quantities — its sections and figures.
inline constexpr size_t kMaxListedReportBytes = 128u << 10;
// Versions of one report kept and listed by ListReportVersions, which is not
// paged: 25 × 128 KiB stays under kListPageBytes + kMaxRecordBytes.
inline constexpr int kMaxReportVersions = 25;
static_assert(kMaxReportVersions * kMaxListedReportBytes <= kListPageBytes + kMaxRecordBytes,
              "every version of a report must fit one reply");

// --- Checks --------------------------------------------------------------

// Adds a violation on `field` when `count` exceeds `max` ("has 21 items; the
// limit is 20"). Returns whether it is within.
bool CheckCount(errors::FieldViolations& violations, absl::string_view field, int count, int max);

// INVALID_ARGUMENT naming `field` (the request field that made the reply
// large) when `reply` would exceed kMaxReplyBytes; OK otherwise. For replies
// computed from data whose size the request alone does not bound.
absl::Status CheckReplySize(const google::protobuf::Message& reply, absl::string_view field);
// The same for a reply already encoded, `bytes` long.
absl::Status CheckReplyBytes(size_t bytes, absl::string_view field);

// Adds a violation on `field` when `message` encodes to more than
// `max_bytes`; `what` says what the bytes are ("the project record").
bool CheckEncodedSize(errors::FieldViolations& violations, absl::string_view field,
                      const google::protobuf::Message& message, size_t max_bytes,
                      absl::string_view what);

}  // namespace fazhi::limits

#endif  // FAZHI_COMMON_API_LIMITS_H_
