#pragma once
// sacreBLEU's reproducibility signature, the string a paper prints next to a score so that
// others can recompute it the same way:
// "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1".
#include <string>
#include <utility>
#include <vector>

namespace dikkat {

// The sacreBLEU release whose BLEU, chrF and 13a rules dikkat reproduces (they have not changed
// since 2.0.0) and whose version the signatures name.
inline constexpr const char* kSacrebleuVersion = "2.5.1";

// References per sentence, as the signature's nrefs: their count when every sentence has the same
// number of non-empty references, else -1, which prints as "var".
std::string nrefs_field(int nrefs);

// "key:value|key:value|...|version:2.5.1": the fields in the order given, then the version.
std::string format_signature(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace dikkat
