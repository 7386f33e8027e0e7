#pragma once
// Seed 001's chart of translation quality against source sentence length: BLEU and chrF of each
// length bucket as lines over the buckets, with an empty bucket left as a gap, not drawn as 0.
#include <string>
#include <vector>

#include "score/length_buckets.h"

namespace dikkat {

// A self-contained SVG; each bucket's label carries its sentence count ("6-10 (n=412)").
std::string quality_by_length_svg(const std::vector<BucketScores>& buckets,
                                  const ScoreOptions& options, const std::string& title);

}  // namespace dikkat
