#include "train/presets.h"

#include <cmath>

#include "error.h"

namespace dikkat {

namespace {

// seed 003's mini GPT: 32 symbols, 1 layer, 1 head, 3 dimensions, 12 positions, 248 parameters.
// One LayerNorm in the block (before attention; the FFN reads the residual stream directly),
// sinusoidal positions, the LM head tied to the embedding with its own bias.
Preset seed248() {
  Preset p{"seed248", "seed 003's 248-parameter mini GPT (fixed 32-symbol alphabet)", {}, {}};
  p.model = {.vocab_size = 32,
             .n_layer = 1,
             .n_head = 1,
             .n_embd = 3,
             .context = 12,
             .ffn_mult = 4,
             .activation = Activation::kGelu,
             .positions = Positions::kSinusoidal,
             .norm = NormPlacement::kPre,
             .tie_head = true,
             .head_bias = true,
             .qkv_bias = false,
             .proj_bias = false,
             .ffn_bias = false,
             .ln_bias = true,
             .ffn_norm = false};
  // The seed's loop: batch 4, 1000 steps, AdamW lr 5e-3 (PyTorch defaults otherwise), clip 1.0.
  p.train.tokenizer = "seed";
  p.train.batch_size = 4;
  p.train.steps = 1000;
  p.train.lr = p.train.min_lr = 5e-3f;
  p.train.schedule = "constant";
  p.train.warmup_steps = 0;
  p.train.beta2 = 0.999f;
  p.train.weight_decay = 0.01f;
  p.train.eval_every = 100;
  p.train.eval_batches = 20;
  p.train.sample_tokens = 40;
  return p;
}

// nanoGPT's config/train_shakespeare_char.py as its README runs it on a CPU.
Preset shakespeare_cpu() {
  Preset p{"shakespeare-cpu", "nanoGPT's CPU run: 4 layers, 4 heads, 128 wide, context 64", {}, {}};
  p.model = {.vocab_size = 65, .n_layer = 4, .n_head = 4, .n_embd = 128, .context = 64};
  p.train.batch_size = 12;
  p.train.steps = 2000;
  p.train.eval_every = 250;
  p.train.eval_batches = 20;
  return p;
}

// nanoGPT's GPU run of the same config file.
Preset shakespeare_char() {
  Preset p{
      "shakespeare-char", "nanoGPT's GPU run: 6 layers, 6 heads, 384 wide, context 256", {}, {}};
  p.model = {
      .vocab_size = 65, .n_layer = 6, .n_head = 6, .n_embd = 384, .context = 256, .dropout = 0.2f};
  p.train.batch_size = 64;
  p.train.steps = 5000;
  p.train.decay_steps = 5000;
  p.train.eval_every = 250;
  p.train.eval_batches = 200;
  return p;
}

Preset gpt2_small() {
  Preset p{"gpt2-small", "the 124M-parameter GPT-2 shape", {}, {}};
  p.model = {.vocab_size = 50257, .n_layer = 12, .n_head = 12, .n_embd = 768, .context = 1024};
  p.train.batch_size = 8;
  p.train.lr = 6e-4f;
  p.train.min_lr = 6e-5f;
  p.train.beta2 = 0.95f;
  return p;
}

// What `dikkat demo` trains: small enough for about a minute on 2 cores.
Preset demo() {
  Preset p{"demo", "dikkat demo's model: 3 layers, 4 heads, 96 wide, context 64", {}, {}};
  p.model = {.vocab_size = 80, .n_layer = 3, .n_head = 4, .n_embd = 96, .context = 64};
  p.train.batch_size = 16;
  p.train.steps = 1600;
  p.train.lr = 2e-3f;
  p.train.min_lr = 2e-4f;
  p.train.warmup_steps = 50;
  p.train.eval_every = 400;
  p.train.eval_batches = 10;
  p.train.sample_tokens = 100;
  return p;
}

// Seed 004's (and nanoGPT's bigram.py's) first model: a (V x V) next-token table, trained as
// bigram.py trains it: blocks of 8, batches of 32, AdamW at 1e-2.
Preset bigram() {
  Preset p{"bigram", "a bigram language model: one (vocab x vocab) next-token table", {}, {}};
  p.model.arch = Arch::kBigram;
  p.model.context = 8;
  p.train.batch_size = 32;
  p.train.steps = 3000;
  p.train.lr = 1e-2f;
  p.train.min_lr = 1e-3f;
  p.train.warmup_steps = 0;
  p.train.weight_decay = 0.0f;
  p.train.eval_every = 500;
  p.train.eval_batches = 20;
  p.train.sample_tokens = 100;
  return p;
}

// The translation presets share the paper's recipe: ReLU FFN, sinusoidal positions, one joint
// byte-level BPE with source embedding, target embedding and output projection tied, label
// smoothing 0.1, Adam with beta2 0.98, warm-up then inverse square root. Pre-norm (trains
// stably without a long warm-up) except transformer-base, which is the paper's shape exactly.
ModelConfig translation_model(int64_t layers, int64_t heads, int64_t width, int64_t context,
                              float dropout) {
  ModelConfig m;
  m.arch = Arch::kSeq2seq;
  m.n_encoder_layer = m.n_layer = layers;
  m.n_head = heads;
  m.n_embd = width;
  m.context = context;
  m.activation = Activation::kRelu;
  m.positions = Positions::kSinusoidal;
  m.label_smoothing = 0.1f;
  m.dropout = dropout;
  return m;
}

TrainConfig translation_training(const std::string& tokenizer, int64_t batch_tokens, int64_t steps,
                                 int64_t warmup, float lr) {
  TrainConfig t;
  t.tokenizer = tokenizer;
  t.batch_tokens = batch_tokens;
  t.steps = steps;
  t.schedule = "inverse-sqrt";
  t.warmup_steps = warmup;
  t.lr = lr;
  t.min_lr = 0.0f;
  t.beta2 = 0.98f;
  t.weight_decay = 0.0f;
  return t;
}

// How the tiny and small translators of every architecture train, so that nmt-* and rnn-* differ
// in the model only.
TrainConfig tiny_translation_training() {
  TrainConfig t = translation_training("bpe:300", 512, 100, 10, 3e-3f);
  t.eval_every = 50;
  t.eval_batches = 2;
  t.eval_sentences = 20;
  return t;
}

TrainConfig small_translation_training() {
  TrainConfig t = translation_training("bpe:8000", 4096, 2000, 400, 1e-3f);
  t.eval_every = 250;
  t.eval_batches = 10;
  t.eval_sentences = 200;
  return t;
}

// Trains in seconds on a few hundred pairs: for tests and a first look.
Preset nmt_tiny() {
  Preset p{"nmt-tiny", "a tiny encoder-decoder (1+1 layers, 32 wide) for tests", {}, {}};
  p.model = translation_model(1, 2, 32, 64, 0.0f);
  p.model.ffn_mult = 2;
  p.train = tiny_translation_training();
  return p;
}

// English <-> Turkish on 2 cores within an hour.
Preset nmt_small() {
  Preset p{"nmt-small", "encoder-decoder, 3+3 layers, 4 heads, 256 wide, FFN 1024", {}, {}};
  p.model = translation_model(3, 4, 256, 128, 0.1f);
  p.train = small_translation_training();
  return p;
}

// The recurrent baselines (arch rnn): GRU cells, a bidirectional encoder and Bahdanau attention
// by default; the same joint BPE, batches and schedule as the transformer presets of their size,
// so a comparison changes the model only. Recurrent weights start as PyTorch's do on average
// (its U(-1/sqrt(H), 1/sqrt(H)) has std 1/sqrt(3H)).
ModelConfig recurrent_model(int64_t width, int64_t hidden, int64_t layers, int64_t context,
                            float dropout) {
  ModelConfig m;
  m.arch = Arch::kRnn;
  m.n_encoder_layer = m.n_layer = layers;
  m.n_head = 1;
  m.n_embd = width;
  m.hidden = hidden;
  m.context = context;
  m.label_smoothing = 0.1f;
  m.dropout = dropout;
  return m;
}

float recurrent_init_std(int64_t hidden) { return 1.0f / std::sqrt(3.0f * float(hidden)); }

Preset rnn_tiny() {
  Preset p{
      "rnn-tiny", "a tiny GRU encoder-decoder with Bahdanau attention (16 wide) for tests", {}, {}};
  p.model = recurrent_model(16, 16, 1, 64, 0.0f);
  p.train = tiny_translation_training();
  p.train.init_std = recurrent_init_std(16);
  return p;
}

// Sized to train in the same hour as nmt-small on 2 cores.
Preset rnn_small() {
  Preset p{"rnn-small",
           "GRU encoder-decoder: bidirectional 256-wide encoder, Bahdanau attention, 256 "
           "embeddings",
           {},
           {}};
  p.model = recurrent_model(256, 256, 1, 128, 0.2f);
  p.train = small_translation_training();
  p.train.init_std = recurrent_init_std(256);
  return p;
}

// BERT's shape at small sizes (arch bert): bidirectional self-attention, learned positions,
// GELU, the masked-LM head tied to the token embedding with a bias; 15% of tokens masked (BERT's
// 80/10/10), each line of the text an example. Pre-norm, which trains without BERT's long warm-up.
ModelConfig bert_model(int64_t layers, int64_t heads, int64_t width, int64_t context,
                       float dropout) {
  ModelConfig m;
  m.arch = Arch::kBert;
  m.n_layer = layers;
  m.n_head = heads;
  m.n_embd = width;
  m.context = context;
  m.head_bias = true;
  m.dropout = dropout;
  return m;
}

// Trains in seconds on a character vocabulary: for tests.
Preset bert_tiny() {
  Preset p{"bert-tiny", "a tiny masked language model (2 layers, 32 wide, characters) for tests",
           {},
           {}};
  p.model = bert_model(2, 2, 32, 32, 0.0f);
  p.train.batch_size = 16;
  p.train.steps = 200;
  p.train.lr = 3e-3f;
  p.train.min_lr = 3e-4f;
  p.train.warmup_steps = 20;
  p.train.eval_every = 100;
  p.train.eval_batches = 4;
  p.train.eval_sentences = 64;
  return p;
}

// English text on 2 cores in an hour: the English side of a translation corpus plus Tiny
// Shakespeare is enough to learn word classes (docs/masked_lm.md). Examples are windows of the
// token stream (RoBERTa's full sentences: consecutive lines packed to the context), so no batch
// is mostly padding. 3,600 steps of 4,096 tokens take about an hour at 1 step/s (bf16 on a
// 2-core AVX-512 Xeon; fp32 on a 2-core Zen 4 EPYC takes 45 minutes; docs/results.md).
Preset bert_small() {
  Preset p{"bert-small",
           "masked language model: 4 layers, 4 heads, 256 wide, byte-level BPE 8000, context 64",
           {},
           {}};
  p.model = bert_model(4, 4, 256, 64, 0.1f);
  p.train.tokenizer = "bpe:8000";
  p.train.examples = "windows";
  p.train.batch_size = 64;
  p.train.steps = 3600;
  p.train.lr = 1e-3f;
  p.train.min_lr = 1e-4f;
  p.train.warmup_steps = 500;
  p.train.beta2 = 0.98f;
  p.train.weight_decay = 0.01f;
  p.train.val_fraction = 0.02f;
  p.train.eval_every = 500;
  p.train.eval_batches = 10;
  p.train.eval_sentences = 500;
  return p;
}

// "Attention Is All You Need"'s base model: post-norm, 6+6 layers, 8 heads, 512 wide, FFN 2048.
Preset transformer_base() {
  Preset p{
      "transformer-base", "the paper's base encoder-decoder (6+6 x 512 x 8), post-norm", {}, {}};
  p.model = translation_model(6, 8, 512, 256, 0.1f);
  p.model.norm = NormPlacement::kPost;
  p.model.vocab_size = 37000;  // the paper's shared English-German BPE
  p.train = translation_training("bpe:32000", 25000, 100000, 4000, 7e-4f);
  return p;
}

}  // namespace

const std::vector<Preset>& all_presets() {
  static const std::vector<Preset> presets = {
      seed248(),   shakespeare_cpu(),  shakespeare_char(), gpt2_small(), demo(),  nmt_tiny(),
      nmt_small(), transformer_base(), rnn_tiny(),         rnn_small(),  bigram(),
      bert_tiny(), bert_small()};
  return presets;
}

const Preset& default_preset(Arch arch) {
  switch (arch) {
    case Arch::kGpt:
      return find_preset("shakespeare-cpu");
    case Arch::kSeq2seq:
      return find_preset("nmt-small");
    case Arch::kRnn:
      return find_preset("rnn-small");
    case Arch::kBigram:
      return find_preset("bigram");
    case Arch::kBert:
      return find_preset("bert-small");
  }
  return find_preset("shakespeare-cpu");  // every Arch is handled above
}

const Preset& find_preset(const std::string& name) {
  std::string names;
  for (const auto& p : all_presets()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  throw Error("unknown preset '" + name + "' (choose from: " + names + ")");
}

}  // namespace dikkat
