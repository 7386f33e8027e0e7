#pragma once
// Scoring a whole translated corpus with BLEU and chrF, as sacreBLEU does: the library entry
// point for `dikkat score` and for any command that scores translations as it makes them.
#include <optional>
#include <string>
#include <vector>

#include "score/bleu.h"
#include "score/chrf.h"

namespace dikkat {

struct ScoreOptions {
  bool bleu = true;
  bool chrf = true;
  BleuOptions bleu_options{};
  ChrfOptions chrf_options{};
};

// Each sentence's sufficient statistics. A subset of sentences (a length bucket) is scored by
// adding its rows, exactly as the whole corpus is.
struct SentenceStatistics {
  std::vector<BleuStatistics> bleu;  // one per sentence; empty when BLEU is not asked for
  std::vector<ChrfStatistics> chrf;
  int nrefs = 0;  // references per sentence; -1 when it varies ("var" in the signature)
};

// `hyps` holds one translation per sentence; `refs` one or more reference streams, each with one
// line per sentence (refs[k][i] is reference k of sentence i), as sacreBLEU takes them. An empty
// reference line is left out of its sentence's references. Throws Error for a stream of another
// length, a sentence whose references are all empty (sacreBLEU refuses it too), invalid UTF-8
// ("hypothesis line 3: invalid UTF-8 at byte offset 5") or options without an n-gram order.
SentenceStatistics sentence_statistics(const std::vector<std::string>& hyps,
                                       const std::vector<std::vector<std::string>>& refs,
                                       const ScoreOptions& options);

struct CorpusScores {
  size_t sentences = 0;
  int nrefs = 0;
  std::optional<BleuScore> bleu;  // present when asked for
  std::optional<ChrfScore> chrf;
};

// The scores of the sentences listed in `subset` (all sentences when it is null).
CorpusScores scores_of(const SentenceStatistics& statistics, const ScoreOptions& options,
                       const std::vector<size_t>* subset = nullptr);

// sentence_statistics and scores_of in one call.
CorpusScores score_corpus(const std::vector<std::string>& hyps,
                          const std::vector<std::vector<std::string>>& refs,
                          const ScoreOptions& options);

// sacreBLEU's text lines with their signatures, BLEU first:
//   BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1 = 48.53 82.4/50.0/...
//   chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.5.1 = 68.70
std::vector<std::string> score_lines(const CorpusScores& scores, const ScoreOptions& options);

}  // namespace dikkat
