#pragma once
// How far apart two strings are, for matching what was typed to what is stored.
#include <cstddef>
#include <string_view>

namespace pms {

// Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps) of
// bytes, or max + 1 as soon as it is beyond `max`: bounded work for the near-misses that matter.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

}  // namespace pms
