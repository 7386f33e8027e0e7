#include "score/length_chart_svg.h"

#include <cmath>

#include "draw/line_chart_svg.h"

namespace dikkat {

std::string quality_by_length_svg(const std::vector<BucketScores>& buckets,
                                  const ScoreOptions& options, const std::string& title) {
  LineSeries bleu{.name = "BLEU", .markers = true, .gaps = true};
  LineSeries chrf{.name = chrf_name(options.chrf_options), .markers = true, .gaps = true};
  LineChartStyle style{
      .title = title, .x_label = "source sentence length (words)", .y_label = "score (0-100)"};
  for (size_t b = 0; b < buckets.size(); ++b) {
    const CorpusScores& s = buckets[b].scores;
    const bool empty = s.sentences == 0;
    style.x_categories.push_back(buckets[b].bucket.label() + " (n=" + std::to_string(s.sentences) +
                                 ")");
    bleu.x.push_back(double(b));
    bleu.y.push_back(empty || !s.bleu ? NAN : s.bleu->score);
    chrf.x.push_back(double(b));
    chrf.y.push_back(empty || !s.chrf ? NAN : s.chrf->score);
  }
  std::vector<LineSeries> series;
  if (options.bleu) series.push_back(bleu);
  if (options.chrf) series.push_back(chrf);
  return line_chart_svg(series, {}, style);
}

}  // namespace dikkat
