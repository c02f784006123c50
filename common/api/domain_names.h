// The names people read for the domain's enums that more than one program
// shows: the gateway's findings and fazhictl's tables take them from here,
// so a report part or a project status reads the same everywhere.
#ifndef FAZHI_COMMON_API_DOMAIN_NAMES_H_
#define FAZHI_COMMON_API_DOMAIN_NAMES_H_

#include <string>

#include "fazhi/catalogue/v1/catalogue_service.pb.h"
#include "fazhi/report/v1/report_service.pb.h"

namespace fazhi::api {

// The parts an annual 法治政府建设情况报告 covers, in the national rule's
// words (《法治政府建设与责任落实督察工作规定》, 2019): e.g.
// "存在的不足和原因" for REPORT_PART_SHORTCOMINGS; "未知部分(N)" for a
// value N the table does not know (unspecified, or newer than this build).
std::string ReportPartName(fazhi::report::v1::ReportPart part);

// The lifecycle statuses of a 法治为民办实事项目: "已申报", "已立项",
// "推进中", "已落地", "已撤销"; "状态未定" for an unspecified or unknown
// status.
std::string ProjectStatusName(fazhi::catalogue::v1::ProjectStatus status);

}  // namespace fazhi::api

#endif  // FAZHI_COMMON_API_DOMAIN_NAMES_H_
