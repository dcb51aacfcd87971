#pragma once
// find() projections: {"title": 1, "state.name": 1} keeps those fields (and _id unless
// "_id": 0); {"description": 0} drops fields. Dotted paths reach into sub-documents and arrays.
#include "core/json_util.hpp"

#include <string>
#include <vector>

namespace pms::store {

class Projection {
 public:
  Projection() = default;  // keeps everything
  static Projection compile(const json::value& spec);  // throws QueryError

  json::value apply(const json::value& doc) const;
  bool is_identity() const { return !inclusion_ && paths_.empty() && include_id_; }

 private:
  bool inclusion_ = false;
  bool include_id_ = true;
  std::vector<std::vector<std::string>> paths_;  // split dotted paths, _id excluded
};

// Removes the value at a dotted path (through arrays of documents); used by $unset as well.
void remove_path(json::value& doc, const std::vector<std::string>& parts, std::size_t i = 0);

// Splits "a.b.c" into its parts.
std::vector<std::string> split_path(std::string_view dotted);

}  // namespace pms::store
