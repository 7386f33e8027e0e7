#pragma once
// The names an enum's values take in config.json and on the command line, kept in one table per
// enum so that reading, writing and the "must be one of" messages cannot disagree.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dikkat {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

template <typename E, size_t N>
const char* enum_to_name(const std::array<EnumName<E>, N>& names, E value) {
  for (const auto& n : names)
    if (n.value == value) return n.name;
  return "?";
}

template <typename E, size_t N>
std::optional<E> enum_from_name(const std::array<EnumName<E>, N>& names, std::string_view name) {
  for (const auto& n : names)
    if (name == n.name) return n.value;
  return std::nullopt;
}

// "a, b or c": for messages that list the accepted names.
template <typename E, size_t N>
std::string enum_choices(const std::array<EnumName<E>, N>& names) {
  std::string out;
  for (size_t i = 0; i < N; ++i)
    out += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(names[i].name);
  return out;
}

}  // namespace dikkat
