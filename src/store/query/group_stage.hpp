#pragma once
// $group and the grouping of $sortByCount: groups built one document at a time, so a store can
// feed documents into them as it reads and hold only the groups (pipeline.hpp, Pipeline::run).
#include "store/query/expression.hpp"
#include "store/query/pipeline_stage.hpp"
#include "store/query/value_compare.hpp"

#include <map>
#include <memory>
#include <set>

namespace pms::store {

class GroupStage : public Pipeline::Stage {
 public:
  static std::shared_ptr<const GroupStage> compile(const json::value& arg);  // throws QueryError
  // {"_id": <key>, <count_field>: {"$sum": 1}}
  static std::shared_ptr<const GroupStage> counting(Expression key, std::string count_field);

  enum class Kind { sum, avg, min, max, first, last, push, add_to_set, count };
  struct Accumulator {
    std::string field;
    Kind kind;
    Expression expr;
  };

  // The groups while documents are added; every group and accumulated value is charged to the budget.
  class Groups {
   public:
    explicit Groups(const GroupStage& stage) : stage_(stage) {}
    void add(const json::value& doc, QueryBudget& budget);
    Docs finish();

   private:
    struct State {
      double sum = 0;
      bool sum_is_int = true;
      std::int64_t n = 0;
      std::optional<json::value> value;
      json::array list;                        // $push
      std::set<json::value, ValueLess> set;    // $addToSet: its values in sort order
    };
    void update(const Accumulator& acc, State& s, const json::value& doc, QueryBudget& budget);
    const GroupStage& stage_;
    std::map<json::value, std::size_t, ValueLess> index_;
    std::vector<std::pair<json::value, std::vector<State>>> groups_;
  };

  void apply(Docs& docs, const CollectionReader& reader, QueryBudget& budget) const override;

 private:
  Expression key_;
  std::vector<Accumulator> accs_;
};

}  // namespace pms::store
