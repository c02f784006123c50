// Turns a page of ranked search matches into the API's hits: where the
// first match is, a snippet with every term highlighted, the section the
// match falls in. Plain C++: no gRPC, no disk.
#ifndef FAZHI_SERVICES_REPORT_SEARCH_HITS_H_
#define FAZHI_SERVICES_REPORT_SEARCH_HITS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "fazhi/report/v1/report_service.pb.h"
#include "services/report/report_store.h"

namespace fazhi::report {

// What wraps each highlighted term in snippets (and the response says so).
inline constexpr absl::string_view kHighlightBegin = "【";
inline constexpr absl::string_view kHighlightEnd = "】";

// About `width` code points of `text` around code point `at`, every
// occurrence of a term inside wrapped in `open`/`close`, line breaks
// replaced by spaces.
std::string Snippet(absl::string_view text, const std::vector<std::u32string>& terms, size_t at,
                    size_t width, absl::string_view open, absl::string_view close);

// The response for `page`, whose matches are of `terms` (ParseQuery's).
v1::SearchReportsResponse RenderSearchPage(const ReportSearchPage& page,
                                           const std::vector<std::u32string>& terms);

}  // namespace fazhi::report

#endif  // FAZHI_SERVICES_REPORT_SEARCH_HITS_H_
