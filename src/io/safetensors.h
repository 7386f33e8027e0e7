#pragma once
// The Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes of JSON
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}}),
// then the raw little-endian tensor bytes. Offsets count from the end of the header.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace dikkat {

struct SafetensorsEntry {
  std::string dtype;  // "F32", "F16", "BF16", "I32" or "I64" (the ones dikkat reads)
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;
};

class SafetensorsReader {
 public:
  // Reads and validates the whole file before anything is trusted: the header length against the
  // file size and kMaxHeaderBytes, the JSON, each dtype, shape (no overflow), and that every
  // tensor's byte range lies inside the data and matches its shape. Errors name the file and
  // tensor.
  // `max_header_bytes` caps the JSON header (safetensors' own cap by default).
  static constexpr uint64_t kMaxHeaderBytes = 100'000'000;
  static SafetensorsReader open(const std::string& path,
                                uint64_t max_header_bytes = kMaxHeaderBytes);
  // The same checks on bytes already in memory; `path` names them in errors.
  static SafetensorsReader parse(std::string bytes, const std::string& path,
                                 uint64_t max_header_bytes = kMaxHeaderBytes);

  const std::string& path() const { return path_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::map<std::string, SafetensorsEntry>& entries() const { return entries_; }
  bool contains(const std::string& name) const { return entries_.count(name) != 0; }
  const SafetensorsEntry& entry(const std::string& name) const;
  // The tensor as float32 (F16 and BF16 widened exactly); Error if missing, not a float, or (when
  // given) not of `expected_shape`.
  Tensor f32(const std::string& name) const;
  Tensor f32(const std::string& name, const std::vector<int64_t>& expected_shape) const;
  std::vector<int32_t> i32(const std::string& name) const;
  std::string metadata_value(const std::string& key) const;  // Error when missing

 private:
  std::string path_;
  std::string bytes_;
  uint64_t data_start_ = 0;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, SafetensorsEntry> entries_;
};

class SafetensorsWriter {
 public:
  void add(const std::string& name, const Tensor& t);
  void add_i32(const std::string& name, const std::vector<int64_t>& shape,
               const std::vector<int32_t>& values);
  void set_metadata(const std::string& key, const std::string& value) { metadata_[key] = value; }
  std::string serialize() const;
  void write(const std::string& path) const;  // atomically (temporary file + rename)

 private:
  struct Pending {
    std::string name, dtype;
    std::vector<int64_t> shape;
    std::string bytes;
  };
  std::vector<Pending> tensors_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace dikkat
