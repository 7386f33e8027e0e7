#pragma once
// `--preset NAME` plus one flag per config field; flags given on the command line override the
// preset's value, flags not given leave it alone.
#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

#include "run/checkpoint.h"

namespace dikkat {

class ConfigFlags {
 public:
  void add_to(CLI::App& cmd, bool with_train_fields);
  // The preset's configuration with every given flag applied.
  RunConfig resolve() const;
  // `base` with every given flag applied (a fine-tuning run's base is its source's config).
  RunConfig apply_to(RunConfig base) const;
  const std::string& preset() const { return preset_; }
  // True when --preset or any override flag was given.
  bool any_given() const;

 private:
  void add_model_flag(CLI::App& cmd, const ModelConfigField& field);
  // A flag that takes no value (--reverse).
  void switch_flag(CLI::App& cmd, const std::string& name, const std::string& help,
                   std::function<void(RunConfig&)> apply);
  template <typename T>
  void flag(CLI::App& cmd, const std::string& name, const std::string& help,
            std::function<void(RunConfig&, const T&)> apply);

  std::string preset_ = "shakespeare-cpu";
  std::vector<std::function<void(RunConfig&)>> overrides_;
  std::vector<const CLI::Option*> options_;
  const CLI::Option* preset_option_ = nullptr;
  const CLI::Option* arch_option_ = nullptr;
};

}  // namespace dikkat
