#include "score/corpus_scores.h"

#include "error.h"
#include "tokenize/utf8.h"

namespace dikkat {
namespace {

void check_options(const ScoreOptions& options) {
  if (!options.bleu && !options.chrf)
    throw Error("no metric to compute (choose BLEU, chrF or both)");
  if (options.bleu && options.bleu_options.max_ngram_order < 1) {
    throw Error("BLEU needs an n-gram order of at least 1");
  }
  const ChrfOptions& c = options.chrf_options;
  if (options.chrf && (c.char_order < 0 || c.word_order < 0 || c.char_order + c.word_order < 1)) {
    throw Error("chrF needs a character or word n-gram order of at least 1");
  }
}

}  // namespace

SentenceStatistics sentence_statistics(const std::vector<std::string>& hyps,
                                       const std::vector<std::vector<std::string>>& refs,
                                       const ScoreOptions& options) {
  check_options(options);
  if (refs.empty()) throw Error("no reference to score against");
  for (size_t k = 0; k < refs.size(); ++k) {
    if (refs[k].size() != hyps.size()) {
      throw Error("reference " + std::to_string(k + 1) + " has " + std::to_string(refs[k].size()) +
                  " lines but there are " + std::to_string(hyps.size()) + " hypotheses");
    }
  }
  SentenceStatistics out;
  bool first = true;
  std::vector<std::u32string> ref_texts;
  std::vector<std::u32string_view> ref_views;
  for (size_t i = 0; i < hyps.size(); ++i) {
    const std::string line = std::to_string(i + 1);
    const std::u32string hyp = decode_utf8(hyps[i], "hypothesis line " + line);
    ref_texts.clear();
    for (size_t k = 0; k < refs.size(); ++k) {
      if (refs[k][i].empty()) continue;
      ref_texts.push_back(
          decode_utf8(refs[k][i], "reference " + std::to_string(k + 1) + " line " + line));
    }
    if (ref_texts.empty()) {
      throw Error("sentence " + line + " has no reference: every reference line is empty");
    }
    const int nrefs = int(ref_texts.size());
    if (first) out.nrefs = nrefs, first = false;
    if (out.nrefs != nrefs) out.nrefs = -1;
    ref_views.assign(ref_texts.begin(), ref_texts.end());
    if (options.bleu) {
      out.bleu.push_back(bleu_sentence_statistics(hyp, ref_views, options.bleu_options));
    }
    if (options.chrf) {
      out.chrf.push_back(chrf_sentence_statistics(hyp, ref_views, options.chrf_options));
    }
  }
  return out;
}

CorpusScores scores_of(const SentenceStatistics& statistics, const ScoreOptions& options,
                       const std::vector<size_t>* subset) {
  check_options(options);
  const size_t total = options.bleu ? statistics.bleu.size() : statistics.chrf.size();
  CorpusScores out;
  out.nrefs = statistics.nrefs;
  out.sentences = subset ? subset->size() : total;
  const auto for_each_sentence = [&](auto&& visit) {
    if (!subset) {
      for (size_t i = 0; i < total; ++i) visit(i);
      return;
    }
    for (size_t i : *subset) {
      if (i >= total) {
        throw Error("sentence index " + std::to_string(i) + " is past the corpus's " +
                    std::to_string(total) + " sentences");
      }
      visit(i);
    }
  };
  if (options.bleu) {
    const int orders = options.bleu_options.max_ngram_order;
    BleuStatistics sum{.matches = std::vector<int64_t>(orders, 0),
                       .totals = std::vector<int64_t>(orders, 0)};
    for_each_sentence([&](size_t i) { sum.add(statistics.bleu[i]); });
    out.bleu = bleu_from_statistics(sum, options.bleu_options);
  }
  if (options.chrf) {
    const ChrfOptions& c = options.chrf_options;
    ChrfStatistics sum{std::vector<int64_t>(3 * size_t(c.char_order + c.word_order), 0)};
    for_each_sentence([&](size_t i) { sum.add(statistics.chrf[i]); });
    out.chrf = chrf_from_statistics(sum, c);
  }
  return out;
}

CorpusScores score_corpus(const std::vector<std::string>& hyps,
                          const std::vector<std::vector<std::string>>& refs,
                          const ScoreOptions& options) {
  return scores_of(sentence_statistics(hyps, refs, options), options);
}

std::vector<std::string> score_lines(const CorpusScores& scores, const ScoreOptions& options) {
  std::vector<std::string> lines;
  if (scores.bleu) {
    lines.push_back(format_bleu(*scores.bleu, bleu_signature(options.bleu_options, scores.nrefs)));
  }
  if (scores.chrf) {
    lines.push_back(format_chrf(*scores.chrf, options.chrf_options,
                                chrf_signature(options.chrf_options, scores.nrefs)));
  }
  return lines;
}

}  // namespace dikkat
