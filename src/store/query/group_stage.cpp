#include "store/query/group_stage.hpp"

#include "store/query/query_error.hpp"

namespace pms::store {

namespace {
json::value whole_or_double(double d, bool is_int) {
  if (is_int && d >= -9.0e15 && d <= 9.0e15) return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}
}  // namespace

std::shared_ptr<const GroupStage> GroupStage::compile(const json::value& arg) {
  if (!arg.is_object()) throw_query_error("$group needs a document, got " + dump(arg));
  auto& spec = arg.get_object();
  if (!spec.contains("_id"))
    throw_query_error("$group needs an _id (use null to group everything), e.g. {\"_id\": \"$state.name\", \"count\": {\"$sum\": 1}}");
  static const std::map<std::string, Kind, std::less<>> kinds = {
      {"$sum", Kind::sum}, {"$avg", Kind::avg}, {"$min", Kind::min}, {"$max", Kind::max},
      {"$first", Kind::first}, {"$last", Kind::last}, {"$push", Kind::push},
      {"$addToSet", Kind::add_to_set}, {"$count", Kind::count}};
  auto stage = std::make_shared<GroupStage>();
  for (auto& [k, v] : spec) {
    if (k == "_id") {
      stage->key_ = Expression::compile(v);
      continue;
    }
    if (!v.is_object() || v.get_object().size() != 1)
      throw_query_error("$group field '" + std::string(k) + "' needs one accumulator, e.g. {\"$sum\": 1}");
    auto& [op, operand] = *v.get_object().begin();
    auto it = kinds.find(op);
    if (it == kinds.end())
      throw_query_error("unsupported $group accumulator '" + std::string(op) + "'; supported: $sum $avg $min $max $first $last $push $addToSet $count");
    stage->accs_.push_back({std::string(k), it->second, Expression::compile(operand)});
  }
  return stage;
}

std::shared_ptr<const GroupStage> GroupStage::counting(Expression key, std::string count_field) {
  auto stage = std::make_shared<GroupStage>();
  stage->key_ = std::move(key);
  stage->accs_.push_back({std::move(count_field), Kind::count, Expression()});
  return stage;
}

void GroupStage::apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const {
  Groups groups(*this);
  for (auto& d : docs) groups.add(d, budget);
  docs = groups.finish();
}

void GroupStage::Groups::add(const json::value& doc, QueryBudget& budget) {
  budget.spend();
  json::value k = stage_.key_.evaluate(doc, budget).value_or(nullptr);
  auto [it, inserted] = index_.try_emplace(k, groups_.size());
  if (inserted) {
    // The key is kept twice (index and output), with a state per accumulator.
    budget.hold(2 * footprint(k) + stage_.accs_.size() * sizeof(State) + 64);
    groups_.emplace_back(std::move(k), std::vector<State>(stage_.accs_.size()));
  }
  auto& states = groups_[it->second].second;
  for (std::size_t i = 0; i < stage_.accs_.size(); ++i) update(stage_.accs_[i], states[i], doc, budget);
}

void GroupStage::Groups::update(const Accumulator& acc, State& s, const json::value& doc, QueryBudget& budget) {
  if (acc.kind == Kind::count) { ++s.n; return; }
  auto v = acc.expr.evaluate(doc, budget);
  switch (acc.kind) {
    case Kind::sum:
    case Kind::avg:
      if (v && is_number(*v)) {
        s.sum += to_double(*v);
        s.sum_is_int &= !v->is_double();
        ++s.n;
      }
      break;
    case Kind::min:
    case Kind::max:
      if (v && !v->is_null()) {
        int c = s.value ? compare_values(*v, *s.value) : 0;
        if (!s.value) budget.hold(footprint(*v));
        if (!s.value || (acc.kind == Kind::min ? c < 0 : c > 0)) s.value = std::move(*v);
      }
      break;
    case Kind::first:
      if (s.n++ == 0) {
        s.value = v.value_or(nullptr);
        budget.hold(footprint(*s.value));
      }
      break;
    case Kind::last:
      if (!s.value) budget.hold(v ? footprint(*v) : 0);
      s.value = v.value_or(nullptr);
      break;
    case Kind::push:
      if (v) {
        budget.hold(footprint(*v));
        s.list.push_back(std::move(*v));
      }
      break;
    case Kind::add_to_set:
      if (v) {
        budget.spend();  // a lookup in the set: logarithmic, never a walk of the values held
        auto bytes = footprint(*v);
        if (s.set.insert(std::move(*v)).second) budget.hold(bytes);
      }
      break;
    case Kind::count: break;
  }
}

Docs GroupStage::Groups::finish() {
  Docs out;
  out.reserve(groups_.size());
  auto& accs = stage_.accs_;
  for (auto& [k, states] : groups_) {
    json::object o;
    o["_id"] = std::move(k);
    for (std::size_t i = 0; i < accs.size(); ++i) {
      auto& s = states[i];
      switch (accs[i].kind) {
        case Kind::sum: o[accs[i].field] = whole_or_double(s.sum, s.sum_is_int); break;
        case Kind::avg: o[accs[i].field] = s.n ? json::value(s.sum / static_cast<double>(s.n)) : json::value(nullptr); break;
        case Kind::min:
        case Kind::max:
        case Kind::first:
        case Kind::last: o[accs[i].field] = s.value.value_or(nullptr); break;
        case Kind::push: o[accs[i].field] = std::move(s.list); break;
        case Kind::add_to_set: {
          json::array values;
          values.reserve(s.set.size());
          while (!s.set.empty()) values.push_back(std::move(s.set.extract(s.set.begin()).value()));
          o[accs[i].field] = std::move(values);
          break;
        }
        case Kind::count: o[accs[i].field] = json::value(s.n); break;
      }
    }
    out.push_back(std::move(o));
  }
  index_.clear();
  groups_.clear();
  return out;
}

}  // namespace pms::store
