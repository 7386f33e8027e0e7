#pragma once
// dikkat export-html: the page with every answer it needs for one text recorded inside it, as one
// HTML file that opens from disk with no server and no network (the page's API client answers
// from window.DIKKAT_EXPORT instead of fetching).
#include <string>

#include "serve/view_api.h"

namespace dikkat {

// The API answers for `text` (and a translator's `target`) on the first model of `api`: models,
// vocabulary, tokens, every attention table of every kind and their overviews at step 0 and the
// latest step (with `snapshots`, at every step the run kept: the page's training-step slider),
// the trace with every step's numbers, the next-token logits, the embeddings in 2-D and 3-D
// (before and after training when step 0 was kept), a bigram model's table, a masked language
// model's guesses for the text's [MASK]s and the metrics.
nlohmann::json record_views(ViewApi& api, const std::string& text, const std::string& target,
                            bool snapshots = false);

// index.html with app.css, the recorded answers and app.js inlined (`assets_dir` as in
// web_asset()).
std::string export_html(const nlohmann::json& recorded, const std::string& assets_dir = "");

}  // namespace dikkat
