// Renders a fazhi.gateway.v1.ProjectDossier for a person, in Chinese with
// columns aligned by display width: the project (year, level, region,
// status, lateness, flags, outcomes), 责任单位, 相关数值 (with how each is
// tied to the project), 报告段落 (snippets with their section), 发现 and
// 服务. A section whose backend did not answer says so and shows nothing.
// For JSON use FormatJson (summary_printer.h).
#ifndef FAZHI_TOOLS_FAZHICTL_DOSSIER_PRINTER_H_
#define FAZHI_TOOLS_FAZHICTL_DOSSIER_PRINTER_H_

#include <string>

#include "fazhi/gateway/v1/gateway_service.pb.h"

namespace fazhi::ctl {

std::string FormatDossierText(const fazhi::gateway::v1::ProjectDossier& dossier);

}  // namespace fazhi::ctl

#endif  // FAZHI_TOOLS_FAZHICTL_DOSSIER_PRINTER_H_
