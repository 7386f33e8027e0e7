#pragma once
// Float arrays travel to the page as base64 of their little-endian float32 bytes: a quarter of
// the size of JSON numbers and exact (the page reads them into a Float32Array).
#include <span>
#include <string>

namespace dikkat {

std::string base64_floats(std::span<const float> values);

}  // namespace dikkat
