#include "io/safetensors.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>

#include "error.h"
#include "io/file_io.h"
#include "tensor/bf16.h"

namespace dikkat {

static_assert(std::endian::native == std::endian::little, "safetensors data is little-endian");

namespace {

uint64_t dtype_size(const std::string& dtype) {
  if (dtype == "F16" || dtype == "BF16") return 2;
  if (dtype == "F32" || dtype == "I32") return 4;
  if (dtype == "I64") return 8;
  return 0;
}

// IEEE half precision to float32, exact for every value (subnormals, infinities, NaN).
float f16_to_f32(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0)
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Subnormal half: mantissa * 2^-24, exactly representable as a float.
  const float magnitude = float(mantissa) * 0x1p-24f;
  return sign ? -magnitude : magnitude;
}

}  // namespace

SafetensorsReader SafetensorsReader::open(const std::string& path, uint64_t max_header_bytes) {
  return parse(read_file(path), path, max_header_bytes);
}

SafetensorsReader SafetensorsReader::parse(std::string bytes, const std::string& path,
                                           uint64_t max_header_bytes) {
  SafetensorsReader r;
  r.path_ = path;
  r.bytes_ = std::move(bytes);
  auto fail = [&](const std::string& what) -> void { throw Error(path + ": " + what); };
  if (r.bytes_.size() < 8)
    fail("too short to be a safetensors file (" + std::to_string(r.bytes_.size()) + " bytes)");
  uint64_t header_len = 0;
  std::memcpy(&header_len, r.bytes_.data(), 8);
  if (header_len > max_header_bytes)
    fail("header length " + std::to_string(header_len) + " exceeds the limit of " +
         std::to_string(max_header_bytes) + " bytes");
  if (header_len > r.bytes_.size() - 8)
    fail("header length " + std::to_string(header_len) + " runs past the end of the file");
  r.data_start_ = 8 + header_len;
  const uint64_t data_size = r.bytes_.size() - r.data_start_;
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(r.bytes_.begin() + 8, r.bytes_.begin() + long(r.data_start_));
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("header is not valid JSON (") + e.what() + ")");
  }
  if (!header.is_object()) fail("header is not a JSON object");
  for (auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      if (!value.is_object()) fail("__metadata__ is not an object");
      for (auto& [k, v] : value.items()) {
        if (!v.is_string()) fail("__metadata__ value '" + k + "' is not a string");
        r.metadata_[k] = v.get<std::string>();
      }
      continue;
    }
    const std::string where = "tensor '" + name + "': ";
    if (!value.is_object() || !value.contains("dtype") || !value.contains("shape") ||
        !value.contains("data_offsets"))
      fail(where + "needs dtype, shape and data_offsets");
    SafetensorsEntry e;
    if (!value["dtype"].is_string()) fail(where + "dtype is not a string");
    e.dtype = value["dtype"].get<std::string>();
    const uint64_t elem = dtype_size(e.dtype);
    if (!elem)
      fail(where + "unsupported dtype " + e.dtype + " (dikkat reads F32, F16, BF16, I32, I64)");
    if (!value["shape"].is_array()) fail(where + "shape is not an array");
    uint64_t numel = 1;
    for (const auto& d : value["shape"]) {
      if (!d.is_number_unsigned()) fail(where + "shape holds a non-integer or negative size");
      const uint64_t dim = d.get<uint64_t>();
      if (dim != 0 && numel > std::numeric_limits<uint64_t>::max() / elem / dim)
        fail(where + "shape is too large (its byte size overflows)");
      numel *= dim;
      e.shape.push_back(int64_t(dim));
    }
    const auto& off = value["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
        !off[1].is_number_unsigned())
      fail(where + "data_offsets must be two non-negative integers");
    e.begin = off[0].get<uint64_t>();
    e.end = off[1].get<uint64_t>();
    if (e.begin > e.end || e.end > data_size)
      fail(where + "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
           "] lie outside the " + std::to_string(data_size) + " data bytes");
    if (e.end - e.begin != numel * elem)
      fail(where + "holds " + std::to_string(e.end - e.begin) + " bytes but shape " +
           shape_to_string(e.shape) + " of " + e.dtype + " needs " + std::to_string(numel * elem));
    r.entries_.emplace(name, std::move(e));
  }
  // The format requires tensors to tile the data exactly; overlaps would alias two tensors.
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto& [name, e] : r.entries_) ranges.emplace_back(e.begin, e.end);
  std::sort(ranges.begin(), ranges.end());
  uint64_t cursor = 0;
  for (const auto& [b, e] : ranges) {
    if (b != cursor)
      fail("tensor data ranges overlap or leave gaps at byte " + std::to_string(cursor));
    cursor = e;
  }
  if (cursor != data_size)
    fail("file has " + std::to_string(data_size - cursor) + " bytes after the last tensor");
  return r;
}

const SafetensorsEntry& SafetensorsReader::entry(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) throw Error(path_ + ": tensor '" + name + "' is missing");
  return it->second;
}

Tensor SafetensorsReader::f32(const std::string& name) const {
  const SafetensorsEntry& e = entry(name);
  const char* src = bytes_.data() + data_start_ + e.begin;
  Tensor t(e.shape);
  if (e.dtype == "F32") {
    std::memcpy(t.ptr(), src, e.end - e.begin);
  } else if (e.dtype == "BF16" || e.dtype == "F16") {
    const bool brain = e.dtype == "BF16";
    for (int64_t i = 0; i < t.numel(); ++i) {
      uint16_t h;
      std::memcpy(&h, src + 2 * i, 2);
      t.data[i] = brain ? bf16_to_float(h) : f16_to_f32(h);
    }
  } else {
    throw Error(path_ + ": tensor '" + name + "' is " + e.dtype + ", expected F32, F16 or BF16");
  }
  return t;
}

Tensor SafetensorsReader::f32(const std::string& name,
                              const std::vector<int64_t>& expected_shape) const {
  const SafetensorsEntry& e = entry(name);
  if (e.shape != expected_shape)
    throw Error(path_ + ": tensor '" + name + "' has shape " + shape_to_string(e.shape) +
                ", expected " + shape_to_string(expected_shape));
  return f32(name);
}

std::vector<int32_t> SafetensorsReader::i32(const std::string& name) const {
  const SafetensorsEntry& e = entry(name);
  if (e.dtype != "I32")
    throw Error(path_ + ": tensor '" + name + "' is " + e.dtype + ", expected I32");
  std::vector<int32_t> v((e.end - e.begin) / 4);
  std::memcpy(v.data(), bytes_.data() + data_start_ + e.begin, e.end - e.begin);
  return v;
}

std::string SafetensorsReader::metadata_value(const std::string& key) const {
  auto it = metadata_.find(key);
  if (it == metadata_.end()) throw Error(path_ + ": __metadata__ has no '" + key + "'");
  return it->second;
}

void SafetensorsWriter::add(const std::string& name, const Tensor& t) {
  std::string bytes(reinterpret_cast<const char*>(t.ptr()), t.data.size() * sizeof(float));
  tensors_.push_back({name, "F32", t.shape, std::move(bytes)});
}

void SafetensorsWriter::add_i32(const std::string& name, const std::vector<int64_t>& shape,
                                const std::vector<int32_t>& values) {
  std::string bytes(reinterpret_cast<const char*>(values.data()), values.size() * 4);
  tensors_.push_back({name, "I32", shape, std::move(bytes)});
}

std::string SafetensorsWriter::serialize() const {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata_.empty()) header["__metadata__"] = metadata_;
  uint64_t offset = 0;
  for (const auto& t : tensors_) {
    header[t.name] = {{"dtype", t.dtype},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');  // keeps the data 8-byte aligned
  std::string out(8, '\0');
  const uint64_t len = json.size();
  std::memcpy(out.data(), &len, 8);
  out += json;
  out.reserve(out.size() + offset);
  for (const auto& t : tensors_) out += t.bytes;
  return out;
}

void SafetensorsWriter::write(const std::string& path) const {
  write_file_atomic(path, serialize());
}

}  // namespace dikkat
