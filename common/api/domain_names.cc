#include "common/api/domain_names.h"

#include "absl/strings/str_cat.h"

namespace fazhi::api {

namespace cv1 = fazhi::catalogue::v1;
namespace rv1 = fazhi::report::v1;

std::string ReportPartName(rv1::ReportPart part) {
  switch (part) {
    case rv1::REPORT_PART_MEASURES_AND_RESULTS:
      return "主要举措和成效";
    case rv1::REPORT_PART_SHORTCOMINGS:
      return "存在的不足和原因";
    case rv1::REPORT_PART_LEADERS_DUTY:
      return "党政主要负责人履行推进法治建设第一责任人职责情况";
    case rv1::REPORT_PART_NEXT_YEAR_PLANS:
      return "下一年度主要安排";
    case rv1::REPORT_PART_OTHER_MATTERS:
      return "其他需要报告的情况";
    default:
      return absl::StrCat("未知部分(", static_cast<int>(part), ")");
  }
}

std::string ProjectStatusName(cv1::ProjectStatus status) {
  switch (status) {
    case cv1::PROJECT_STATUS_PROPOSED:
      return "已申报";
    case cv1::PROJECT_STATUS_REGISTERED:
      return "已立项";
    case cv1::PROJECT_STATUS_IN_PROGRESS:
      return "推进中";
    case cv1::PROJECT_STATUS_DELIVERED:
      return "已落地";
    case cv1::PROJECT_STATUS_WITHDRAWN:
      return "已撤销";
    default:
      return "状态未定";
  }
}

}  // namespace fazhi::api
