// The query language: any JSON as a filter, projection, sort or pipeline is either refused with a
// QueryError or evaluated against a few documents of every type, never a crash or another
// exception. A compiled filter must agree with itself and with $match.
#include "fuzz_support.hpp"
#include "store/query/filter.hpp"
#include "store/query/pipeline.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"

namespace {
using pms::json::value;

const std::vector<value>& documents() {
  static const std::vector<value> docs = [] {
    std::vector<value> d;
    for (auto text : {
             R"({"_id":"a","title":"Login fails","state":{"name":"Open","group":"unstarted"},"priority":"HIGH",
                 "labels":["bug","ui"],"estimate":3,"assignees":[{"name":"Ann","id":1},{"name":"Bo","id":2}],
                 "createdTimeStamp":"2025-11-02T10:00:00.000Z","nested":[[1,2],[3]]})",
             R"({"_id":"b","title":"Docs","state":{"name":"Done"},"priority":null,"labels":[],"estimate":2.5,
                 "assignees":[],"createdTimeStamp":"2025-10-01T00:00:00.000Z","flag":true})",
             R"({"_id":"c","title":"","estimate":-1,"labels":"single","state":"weird","x":{"y":{"z":[null,{"w":1}]}}})",
             R"({"_id":4,"estimate":1e300,"priority":"LOW","labels":[null,"bug",["bug"]],"createdTimeStamp":{"$date":"x"}})"}) {
      d.push_back(pms::json::parse(text));
    }
    return d;
  }();
  return docs;
}

std::vector<value> reader(std::string_view) { return documents(); }

void run_filter(const value& spec) {
  auto filter = pms::store::Filter::compile(spec);
  auto again = pms::store::Filter::compile(spec);
  std::vector<value> matched;
  for (auto& d : documents()) {
    bool m = filter.matches(d);
    PMS_FUZZ_CHECK(m == again.matches(d));
    if (m) matched.push_back(d);
  }
  // A $match that is not the leading stage (so not applied while reading) keeps exactly the
  // documents the filter matches, in order.
  auto pipeline = pms::store::Pipeline::compile(
      pms::json::array{pms::json::object{{"$skip", 0}}, pms::json::object{{"$match", spec}}});
  PMS_FUZZ_CHECK(pipeline.leading_filter() == nullptr);
  auto kept = pipeline.run(documents(), reader, nullptr);
  PMS_FUZZ_CHECK(kept.size() == matched.size());
  for (std::size_t i = 0; i < kept.size(); ++i) PMS_FUZZ_CHECK(pms::store::values_equal(kept[i], matched[i]));
}

void run_pipeline(const value& spec) {
  auto pipeline = pms::store::Pipeline::compile(spec);
  std::vector<value> docs;
  for (auto& d : documents()) {
    if (!pipeline.leading_filter() || pipeline.leading_filter()->matches(d)) docs.push_back(d);
  }
  pipeline.run(std::move(docs), reader, nullptr);
}

void run_projection_and_sort(const value& spec) {
  auto* o = spec.if_object();
  auto projection = pms::store::Projection::compile(o && o->contains("p") ? o->at("p") : spec);
  auto sort = pms::store::SortSpec::compile(o && o->contains("s") ? o->at("s") : value());
  auto docs = documents();
  sort.sort(docs, 2);
  for (auto& d : docs) projection.apply(d);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  auto spec = pms::try_parse(in.payload);
  if (!spec) return 0;
  try {
    switch (in.selector % 4) {
      case 0: run_filter(*spec); break;
      case 1: run_pipeline(*spec); break;
      case 2: run_projection_and_sort(*spec); break;
      case 3: pms::store::normalize_literal(*spec); break;
    }
  } catch (const pms::store::QueryError&) {
    // A refusal with a message is the expected answer to a bad query.
  }
  return 0;
}
