#pragma once
// Pre-train, then fine-tune: `dikkat train --init-from DIR` starts a new run from the weights
// (DIR/model.safetensors) and the tokenizer of a trained model. The optimizer, schedule and step
// count start afresh; the model is the source's, and only fields that leave its weights meaning
// what they meant may be changed (dropout, label smoothing, and the context where no learned
// position table depends on it).
#include <string>

#include "run/checkpoint.h"

namespace dikkat {

// The configuration a fine-tuning run starts from before its own flags: the source run's model
// and training fields, minus what belongs to the source's data (data, valid) and to its run
// (init_from, freeze), with init_from set to `source_dir` and the tokenizer named as the source's
// tokenizer.json. Errors name --init-from.
RunConfig fine_tune_base(const std::string& source_dir);

// The source's config, tokenizer and latest weights; errors name --init-from and the file.
LoadedModel load_fine_tune_source(const std::string& source_dir);

// Refuses, naming the flag, a model config that differs from the source's in anything but
// dropout, label_smoothing or context: any other field reshapes a weight or changes what the
// weights compute (n_head splits the same matrices into other heads).
void check_keeps_source_config(const std::string& source_dir, const ModelConfig& source,
                               const ModelConfig& model);
// Refuses a model whose parameters differ from the source's in name or shape (a changed context
// with learned positions), naming the changed flags.
void check_keeps_source_parameters(const std::string& source_dir, const LoadedModel& source,
                                   const Model& model);

// Copies every parameter of `source` into the same-named parameter of `model` (same shapes:
// the two checks first).
void copy_weights(const Model& source, const Model& model);

}  // namespace dikkat
