// Unit tests of services/report/text_intake.h: encoding detection and
// conversion, and HTML to text.
#include "services/report/text_intake.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace fazhi::report {
namespace {

using ::testing::HasSubstr;

constexpr char kGbkPutuo[] = "\xc6\xd5\xcd\xd3\xc7\xf8\xcb\xbe\xb7\xa8\xbe\xd6";  // 普陀区司法局

TEST(ToUtf8Test, Utf8IsKeptAndItsBomDropped) {
  std::string detected;
  auto out = ToUtf8("\xEF\xBB\xBF普陀区司法局", "", &detected);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "普陀区司法局");
  EXPECT_EQ(detected, "UTF-8");
}

TEST(ToUtf8Test, GbkIsDetectedAndConverted) {
  std::string detected;
  auto out = ToUtf8(kGbkPutuo, "", &detected);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "普陀区司法局");
  EXPECT_EQ(detected, "GB18030");
  out = ToUtf8(kGbkPutuo, "gb2312", &detected);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(detected, "GB2312");
}

TEST(ToUtf8Test, NeitherEncodingIsAnErrorNamingTheByte) {
  std::string detected;
  auto out = ToUtf8("ok\x81", "", &detected);  // a lone GBK lead byte at the end
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(std::string(out.status().message()), HasSubstr("byte 2"));
  EXPECT_FALSE(ToUtf8(kGbkPutuo, "UTF-8", &detected).ok());
  EXPECT_FALSE(ToUtf8("abc", "Shift_JIS", &detected).ok());
}

TEST(HtmlToTextTest, BlocksBecomeLinesAndFurnitureGoes) {
  const std::string html =
      "---\ntitle: "
      "'x'\n---\n<div><p>　　一、主要举措和成效</p><p>办结&nbsp;340件&lt;&#x4E00;&gt;</p>"
      "<script>var a = '<p>no</p>';</script><style>.a{}</style><!-- c -->"
      "<div class=\"share-bar\"><div>分享</div>到</div>"
      "<p class=\"article-editor\">责任编辑：某</p>第二\n行</div>";
  EXPECT_EQ(HtmlToText(html), "一、主要举措和成效\n办结 340件<一>\n第二 行\n");
}

TEST(HtmlToTextTest, DetectsHtml) {
  EXPECT_TRUE(LooksLikeHtml("<div><p>x</p></div>"));
  EXPECT_FALSE(LooksLikeHtml("一、主要举措和成效\n 3<5 件"));
}

}  // namespace
}  // namespace fazhi::report
