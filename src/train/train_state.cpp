#include "train/train_state.h"

#include <sstream>

#include "error.h"
#include "io/safetensors.h"

namespace dikkat {

TrainingRngs TrainingRngs::seeded(uint64_t seed) {
  // Distinct seeds per stream; the constants only need to differ.
  return {std::mt19937_64(seed), std::mt19937_64(seed ^ 0x9E3779B97F4A7C15ull),
          std::mt19937_64(seed ^ 0xC2B2AE3D27D4EB4Full)};
}

std::string TrainingRngs::serialize() const {
  std::ostringstream out;
  out << batches << '\n' << dropout << '\n' << eval;
  return out.str();
}

void TrainingRngs::deserialize(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  in >> batches >> dropout >> eval;
  if (!in) throw Error(source + ": the saved random number generator state is corrupt");
}

void save_train_state(const std::string& path, const Model& model, AdamW& optimizer, int64_t step,
                      const TrainingRngs& rngs) {
  SafetensorsWriter w;
  const auto& params = model.parameters();
  for (size_t i = 0; i < params.size(); ++i) {
    w.add("param/" + params[i].name, params[i].var->value);
    w.add("adam_m/" + params[i].name, optimizer.first_moments()[i]);
    w.add("adam_v/" + params[i].name, optimizer.second_moments()[i]);
  }
  w.set_metadata("format", "dikkat-train-state");
  w.set_metadata("step", std::to_string(step));
  w.set_metadata("adam_t", std::to_string(optimizer.steps_taken()));
  w.set_metadata("rng", rngs.serialize());
  w.write(path);
}

int64_t load_train_state(const std::string& path, Model& model, AdamW& optimizer,
                         TrainingRngs& rngs) {
  const SafetensorsReader r = SafetensorsReader::open(path);
  const auto& params = model.parameters();
  if (r.entries().size() != 3 * params.size())
    throw Error(path + ": holds " + std::to_string(r.entries().size()) + " tensors, expected " +
                std::to_string(3 * params.size()) + " for this model config");
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& shape = params[i].var->value.shape;
    params[i].var->value = r.f32("param/" + params[i].name, shape);
    optimizer.first_moments()[i] = r.f32("adam_m/" + params[i].name, shape);
    optimizer.second_moments()[i] = r.f32("adam_v/" + params[i].name, shape);
  }
  int64_t step = 0, adam_t = 0;
  try {
    step = std::stoll(r.metadata_value("step"));
    adam_t = std::stoll(r.metadata_value("adam_t"));
  } catch (const std::invalid_argument&) {
    throw Error(path + ": step metadata is not a number");
  }
  optimizer.set_steps_taken(adam_t);
  rngs.deserialize(r.metadata_value("rng"), path);
  return step;
}

}  // namespace dikkat
