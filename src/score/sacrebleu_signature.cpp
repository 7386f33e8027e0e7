#include "score/sacrebleu_signature.h"

namespace dikkat {

std::string nrefs_field(int nrefs) { return nrefs < 0 ? "var" : std::to_string(nrefs); }

std::string format_signature(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) out += key + ":" + value + "|";
  return out + "version:" + kSacrebleuVersion;
}

}  // namespace dikkat
