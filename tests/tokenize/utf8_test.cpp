#include "tokenize/utf8.h"

#include <gtest/gtest.h>

#include "error.h"

namespace dikkat {
namespace {

TEST(ValidUtf8, KeepsWellFormedTextAndReplacesEachBadByte) {
  EXPECT_EQ(valid_utf8("Kuş ağacı"), "Kuş ağacı");
  EXPECT_EQ(valid_utf8(""), "");
  const std::string cut = std::string("Ku") + "\xC5";  // 'ş' cut after its lead byte
  EXPECT_EQ(valid_utf8(cut), "Ku\xEF\xBF\xBD");
  EXPECT_EQ(valid_utf8("\x9F"
                       "a"),
            "\xEF\xBF\xBD"
            "a");                                                 // a lone continuation byte
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  // Whatever comes in, what comes out decodes strictly.
  for (int b = 0; b < 256; ++b) {
    const std::string bytes = std::string("x") + char(b) + "\xC3";
    EXPECT_NO_THROW(decode_utf8(valid_utf8(bytes), "test")) << b;
  }
}

}  // namespace
}  // namespace dikkat
