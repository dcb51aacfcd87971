#include "store/query/pipeline_rewrite.hpp"

#include "store/query/query_error.hpp"

namespace pms::store {

json::array rewrite_pipeline(const json::value& pipeline, const StageRewrite& rewrite) {
  if (!pipeline.is_array()) throw_query_error("a pipeline must be a JSON array of stages, got " + dump(pipeline));
  json::array out;
  for (auto& stage : pipeline.get_array()) {
    auto* o = stage.if_object();
    if (!o || o->size() != 1) {
      out.push_back(stage);
      continue;
    }
    std::string_view name = o->begin()->key();
    json::value arg = o->begin()->value();
    if (name == "$lookup" && arg.is_object()) {
      if (auto* sub = arg.get_object().if_contains("pipeline")) *sub = rewrite_pipeline(*sub, rewrite);
    } else if (name == "$facet" && arg.is_object()) {
      for (auto& [facet, sub] : arg.get_object()) sub = rewrite_pipeline(sub, rewrite);
    }
    out.push_back(rewrite(name, std::move(arg)));
  }
  return out;
}

}  // namespace pms::store
