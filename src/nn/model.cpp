#include "nn/model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "error.h"

namespace dikkat {

Model::Model(const ModelConfig& config) : config_(config) { config_.validate(); }

Var Model::add_parameter(std::string name, std::vector<int64_t> shape, ParamRole role) {
  Var v = make_var(Tensor(std::move(shape)), true);
  params_.push_back({std::move(name), v, role});
  return v;
}

AddParameter Model::parameter_adder() {
  return [this](const std::string& name, std::vector<int64_t> shape, ParamRole role) {
    return add_parameter(name, std::move(shape), role);
  };
}

const Var* Model::find(const std::string& name) const {
  for (const auto& p : params_)
    if (p.name == name) return &p.var;
  return nullptr;
}

int64_t Model::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : params_) n += p.var->value.numel();
  return n;
}

Batch translation_batch(std::span<const int32_t> source, std::span<const int32_t> target,
                        int32_t end_token) {
  Batch b;
  b.rows = 1;
  b.source.assign(source.begin(), source.end());
  b.source.push_back(end_token);
  b.source_time = int64_t(b.source.size());
  b.source_lengths = {int32_t(b.source_time)};
  b.inputs = {end_token};
  b.inputs.insert(b.inputs.end(), target.begin(), target.end());
  b.time = int64_t(b.inputs.size());
  return b;
}

void check_translation_batch(const char* who, const Batch& batch, int64_t context) {
  const int64_t B = batch.rows, T = batch.time, S = batch.source_time;
  if (int64_t(batch.inputs.size()) != B * T || int64_t(batch.source.size()) != B * S ||
      int64_t(batch.source_lengths.size()) != B)
    throw Error(std::string(who) + ": a batch of " + std::to_string(B) + " rows needs " +
                std::to_string(B * S) + " source ids, " + std::to_string(B) + " lengths and " +
                std::to_string(B * T) + " target ids");
  if (T > context || S > context)
    throw Error(std::string(who) + ": " + std::to_string(std::max(S, T)) +
                " positions exceed the context of " + std::to_string(context));
}

void Model::init(std::mt19937_64& rng, float std) {
  const float residual_std = std / std::sqrt(float(residual_branches()));
  init_parameters(params_, rng, {std, residual_std, embedding_std(std)});
}

}  // namespace dikkat
