// `fazhictl check`: a draft report's analysis (SubmitReport with
// validate_only) as a Chinese checklist, for a district to read before it
// files.
#ifndef FAZHI_TOOLS_FAZHICTL_CHECK_PRINTER_H_
#define FAZHI_TOOLS_FAZHICTL_CHECK_PRINTER_H_

#include <string>

#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::ctl {

// The checklist of `checked` (the report as the service analysed it): title
// and where it came from, the page's metadata, the filers, each part ✓ with
// the heading or sentence that shows it or ✗ with what was looked for, the
// submission and publication deadlines, the tables, and the figures
// accepted and offered as candidates with their reasons. Ends with the
// verdict line.
std::string FormatCheckText(const fazhi::report::v1::Report& checked);

// True when an annual report lacks a part it must have.
bool LacksRequiredPart(const fazhi::report::v1::Report& checked);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_CHECK_PRINTER_H_
