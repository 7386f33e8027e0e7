#include "io/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "error.h"
#include "test_support.h"

namespace dikkat {
namespace {

std::string header_file(const std::string& json, const std::string& data) {
  std::string bytes(8, '\0');
  const uint64_t n = json.size();
  std::memcpy(bytes.data(), &n, 8);
  return bytes + json + data;
}

std::string open_error(const std::string& bytes) {
  testing::TempDir dir;
  testing::write_text(dir.file("x.safetensors"), bytes);
  try {
    SafetensorsReader::open(dir.file("x.safetensors"));
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, WriteThenReadGivesTheSameTensorsAndMetadata) {
  testing::TempDir dir;
  Tensor a({2, 3});
  for (int i = 0; i < 6; ++i) a.data[i] = float(i) * 0.5f - 1.0f;
  Tensor scalar(std::vector<int64_t>{});
  scalar.data[0] = 3.25f;
  SafetensorsWriter w;
  w.add("a", a);
  w.add("s", scalar);
  w.add_i32("ids", {3}, {7, -1, 9});
  w.set_metadata("step", "12");
  w.write(dir.file("t.safetensors"));
  const SafetensorsReader r = SafetensorsReader::open(dir.file("t.safetensors"));
  EXPECT_EQ(r.f32("a").data, a.data);
  EXPECT_EQ(r.f32("a").shape, a.shape);
  EXPECT_EQ(r.f32("s").data[0], 3.25f);
  EXPECT_EQ(r.i32("ids"), (std::vector<int32_t>{7, -1, 9}));
  EXPECT_EQ(r.metadata_value("step"), "12");
  EXPECT_FALSE(std::filesystem::exists(dir.file("t.safetensors.tmp")));
}

TEST(Safetensors, HeaderIsPaddedSoDataIsAligned) {
  SafetensorsWriter w;
  w.add("x", Tensor({1}));
  const std::string bytes = w.serialize();
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
}

TEST(Safetensors, RejectsMalformedFilesWithAMessageNamingTheProblem) {
  const std::string one_float(4, '\0');
  struct Case {
    std::string bytes, expected;
  };
  const std::vector<Case> cases = {
      {"abc", "too short"},
      {header_file("{}", "").substr(0, 6), "too short"},
      {std::string("\xff\xff\xff\xff\x00\x00\x00\x00", 8) + "{}", "exceeds the limit"},
      {std::string("\x40\x00\x00\x00\x00\x00\x00\x00", 8) + "{}", "runs past the end"},
      {header_file("{not json", ""), "not valid JSON"},
      {header_file(R"({"x":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", "a"),
       "unsupported dtype F8_E4M3"},
      {header_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", one_float),
       "outside the 4 data bytes"},
      {header_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", one_float),
       "needs 8"},
      {header_file(R"({"x":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,4]}})",
                   one_float),
       "overflows"},
      {header_file(R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", one_float),
       "negative"},
      {header_file(R"({"x":{"dtype":"F32","shape":[1]}})", one_float), "needs dtype"},
      {header_file(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", one_float + "zz"),
       "after the last tensor"},
  };
  for (const auto& c : cases) {
    const std::string err = open_error(c.bytes);
    EXPECT_NE(err.find(c.expected), std::string::npos) << "got: '" << err << "'";
    EXPECT_NE(err.find("x.safetensors"), std::string::npos) << err;
  }
}

TEST(Safetensors, TheHeaderCapCanBeLowered) {
  const std::string file = header_file(R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
                                       std::string(4, '\0'));
  EXPECT_NO_THROW(SafetensorsReader::parse(file, "x.safetensors"));
  try {
    SafetensorsReader::parse(file, "x.safetensors", 16);
    ADD_FAILURE() << "a header over the cap was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("exceeds the limit of 16 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(Safetensors, HalfPrecisionTensorsWidenExactlyToFloat32) {
  testing::TempDir dir;
  // BF16 1.0, -2.5 and F16 1.0, -2.5, the smallest subnormal (2^-24) and +infinity.
  const std::string bf16("\x80\x3f\x20\xc0", 4), f16("\x00\x3c\x00\xc1\x01\x00\x00\x7c", 8);
  const std::string file = header_file(R"({"b":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},)"
                                       R"("h":{"dtype":"F16","shape":[4],"data_offsets":[4,12]}})",
                                       bf16 + f16);
  testing::write_text(dir.file("half.safetensors"), file);
  const SafetensorsReader r = SafetensorsReader::open(dir.file("half.safetensors"));
  EXPECT_EQ(r.f32("b").data, (FloatBuffer{1.0f, -2.5f}));
  EXPECT_EQ(r.f32("h").data, (FloatBuffer{1.0f, -2.5f, 0x1p-24f, INFINITY}));
}

TEST(Safetensors, MissingTensorOrWrongShapeIsNamed) {
  testing::TempDir dir;
  SafetensorsWriter w;
  w.add("w", Tensor({2, 2}));
  w.write(dir.file("m.safetensors"));
  const SafetensorsReader r = SafetensorsReader::open(dir.file("m.safetensors"));
  EXPECT_THROW(r.f32("nope"), Error);
  try {
    r.f32("w", {4});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'w' has shape [2, 2], expected [4]"), std::string::npos);
  }
}

}  // namespace
}  // namespace dikkat
