#pragma once
// The question reader: the words of a question -> a typed Reading (what it is about, the values
// it names, times, the operation), or the reason it cannot be read. Every word a pass takes is
// marked used; the words no pass takes and that carry meaning are "not understood".
//
// The passes run in this order, and the order matters because a pass only sees the words the
// earlier ones left:
//   0. follow-up words      "and only ...", "what about X", "same for", "them", "show more", "next 10"
//   1. identity and intent  "my bugs", "what did I close" (who asks is unknown), "delete ..." (read only)
//   2. display number       "MAA2-12"; takes "status of", "details for" around it
//      measure              "total estimate", "average story points" (before "total" is read as a count)
//   3. times                "overdue", "created this week", "due next week"; the verb before picks the date
//      series               "created per week", "monthly", "by month": counted per period of a date
//   4. operation            "how many", "latest", "oldest", "most", "fewest"
//   5. limit                a number next to an ordering or a noun: "top 5", "show 20 bugs"
//   6. grouping             "by priority", "per assignee", "state breakdown", "which project has the most"
//      distinct             "how many different people", "unique labels"
//   7. cycle lookup         "in the current sprint" (before the entity, so the sprint is a place, not the subject)
//   8. entity               "bugs" -> workItem, "sprints" -> cycle; work items when nothing names one
//      array sizes          "more than one assignee", "several labels"
//      text search          "mention barcode", "talk about WhatsApp": a word of the title or description
//   9. cycle lookup         "current sprint" without a preposition, once the entity is known
//  10. state groups         "open", "done", "cancelled", "started": stateMaster groups where documents
//                           carry them, else sets of the entity's stored state names
//  11. missing values       "unassigned", "no label"
//  12. values               stored values, longest word spans first, through cues and synonyms
//      flags                "archived projects", "not archived", "locked pages": the schema's true/false fields
//  13. attribute words      "who leads Mobile App?": the row of the one thing named shows the field
//  14. comparison           "urgent vs high", "compare Fleet Tracker and Driver App": the two values of one
//                           role side by side (grouped by it)
//      share                "what percentage of bugs are done": the link after the verb is the part
//  15. identities           once every word is read: each linked name -> the ids of what it names
//                           in its own collection, projects first so they scope the rest ("Sprint 23
//                           of Fleet Tracker"); a name of two things is asked about, never summed
//                           (unless words are left not understood: then the reading fails anyway,
//                           and the planner may read it as about another entity)
// Passes 10-12 link words to stored values and live in value_linker.cpp, pass 15 in identities.cpp,
// the measure, array-size and share passes in figure_words.cpp, the operation, limit, grouping and
// comparison passes in operation_words.cpp.
// Words no pass took that are one edit from the vocabulary are then corrected and all passes run
// again (lexicon.hpp, vocabulary_typo).
#include "understanding/pms_model.hpp"
#include "understanding/query_plan.hpp"
#include "understanding/text_match.hpp"
#include "understanding/time_phrase.hpp"
#include "understanding/value_catalog.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pms::understanding {

// Words linked to stored values of one role: "priority is HIGH", "state is not Backlog".
struct Link {
  Role role;
  std::string path;
  std::vector<std::string> values;  // stored values
  bool negated = false;
  std::string text;  // as understood, when not "<role> is <values>"
  std::size_t at = 0, n = 0;  // the words naming the values
  // The values resolved to the things they name (identities.cpp): documents are matched on the
  // reference id, so a reference that lost its name still counts. Empty: matched on the names.
  std::string id_path;  // "project._id"
  std::vector<std::string> ids;
  bool share = false;  // the part a share is asked of ("are done" in "what percentage ... are done"), not a filter
};

struct TimeCondition {
  enum Kind { created, updated, due } kind;
  TimeRange range;
};

enum class Order { none, newest, oldest, updated };

// Words that tie a message to the answer before it (follow_up_words.cpp): "and only the high
// ones", "what about Billing Platform", "now by assignee", "list them", "show more".
struct FollowUpWords {
  bool cue = false;        // something said that only makes sense after an earlier answer
  bool strong = false;     // and it cannot mean anything else ("what about", "now", "show more"; not "the urgent ones")
  bool also = false;       // "also", "too", "as well": values named join those of their role
  bool list = false;       // "list them", "show them", "which ones": the items themselves
  bool next_page = false;  // "show more", "next 10", "the rest"
  std::optional<std::int64_t> page_size;  // "next 20", "20 more"
  std::optional<std::int64_t> first;      // "show 50", "show the first 20": a page of that size from the start
  bool fragment = false;   // no question word at all: "by assignee", "only urgent", "for Billing Platform"
};

struct Reading {
  const EntitySpec* entity = nullptr;
  const CollectionCatalog* entity_catalog = nullptr;  // the entity's, when the database has it
  bool entity_assumed = false;  // no word named what the question is about (work items were assumed)
  bool count = false, top = false, ascending = false;
  std::optional<Role> group;
  // "created per week", "monthly", "by month": counted per period of a date (series_words.cpp)
  std::string series_unit;  // "day", "week", "month", "year"; empty: no series
  TimeCondition::Kind series_kind = TimeCondition::created;
  // Grouped on the reference id where the group's things are known (identities.cpp): the path and
  // each id's name and name with its project, as QueryPlan::group_names.
  std::string group_id_path;
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> group_names;
  std::optional<std::int64_t> limit;
  Order order = Order::none;
  std::vector<TimeCondition> times;
  bool overdue = false;
  bool working_on = false;  // "what is Mei working on": her open items, with when each is due
  bool all = false;         // "list all open bugs": every match (up to kMaxListed), not a page
  std::optional<std::string> display_id;  // "MAA2-12"
  bool details = false;  // "details of FLEET-214": the one item with all its fields and its description
  std::vector<std::string> extra_columns;  // asked about the one item: "which sprint is FLEET-214 in" shows cycle.name
  // The names of referenced things by id, for listed columns of reference names (QueryPlan::reference_names).
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> reference_names;
  FollowUpWords follow;
  std::vector<Link> links;
  std::vector<Condition> conditions;  // built directly ("unassigned", "no label")
  std::optional<CycleLookup> cycle;
  const MeasureSpec* measure = nullptr;  // "total estimate": checked against the entity when planned
  Measure::Kind measure_kind = Measure::total;
  bool share = false;              // a percentage was asked
  bool memberships = false;        // "memberships": the records themselves, not the people they are of
  std::optional<Role> distinct;    // "how many different assignees": the role's values counted once each

  std::string problem;                      // why it cannot be answered, when a pass found a reason
  std::vector<std::string> clarifications;  // the question asked of each thing an ambiguous name may mean
  std::vector<std::string> not_understood;  // words as typed

  // Where the entity keeps `role`, if its catalog has one of the role's paths.
  std::optional<std::string> role_path(Role role) const;
  // Whether anything was asked at all (not only "hi", "show me").
  bool said_something() const;
};

class QuestionReader {
 public:
  // With `entity`, the question is read as being about it even though no word names it.
  QuestionReader(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms, const EntitySpec* entity = nullptr)
      : q_(question), cat_(catalog), words_(catalog.words()), now_(now_ms), w_(split_words(question)), used_(w_.size(), false), forced_(entity) {}

  bool empty() const { return w_.empty(); }
  // Runs the passes before the entity (0-7), which never look at it, unless they ran already:
  // copies made then (about) read the rest without running them again.
  void read_before_entity();
  // A copy of this reader, in the state it is in, that reads the question as being about `entity`.
  QuestionReader about(const EntitySpec* entity) const;
  // Runs the passes (in the order above) and collects the words left not understood.
  Reading read();
  // Pass 15 alone, on a Reading built elsewhere (a model's plan, model_plan.cpp): its names
  // resolved to the ids of what they name, or `problem` set when a name fits two things.
  Reading resolve(Reading reading);

 private:
  std::string_view word(std::size_t i) const { return i < w_.size() ? std::string_view(w_[i].text) : std::string_view(); }
  bool free(std::size_t i) const { return i < w_.size() && !used_[i]; }
  void use(std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n && i < w_.size(); ++i) used_[i] = true;
  }
  std::string phrase(std::size_t from, std::size_t n) const;
  // Whether words[at..] spell `p` (a normalized phrase) on free words; returns its word count.
  std::size_t matches_at(std::size_t at, std::string_view p) const;
  // Whether words[at] is part of a two- or three-word stored value ("Sprint 12"): then it is not a
  // noun or a number of its own.
  bool in_stored_name(std::size_t at) const;
  // The index of the word before `at`, articles skipped.
  std::optional<std::size_t> previous_content(std::size_t at) const;

  void refuse(std::string problem) {
    if (r_.problem.empty()) r_.problem = std::move(problem);
  }

  // The passes, in the order above, over the words as they are now.
  void read_passes();
  // Whether `w` is one word of a stored value or a thing's name or short id.
  bool in_stored_value(std::string_view w) const;

  void read_follow_up();  // follow_up_words.cpp
  void read_identity_and_intent();
  void read_display_id();
  void read_times();
  void read_series();  // series_words.cpp
  std::size_t read_not_updated(std::size_t at);  // the words taken, 0 for none
  void read_measure();       // figure_words.cpp
  void read_array_sizes();   // figure_words.cpp
  void read_distinct();      // figure_words.cpp
  void read_flags();         // figure_words.cpp
  void read_share();         // figure_words.cpp
  void read_operation();
  void read_limit();
  void read_grouping();
  void read_cycle_lookup(bool need_preposition);
  void read_entity();
  // "who is on (the X team)", "who works on X", "who are the admins of X": a question about a
  // team's people; "who" and the words after it are taken.
  bool asks_who_is_on();
  void read_text_search();
  void read_state_groups();    // value_linker.cpp
  void read_state_groups_by_group();
  // "state is open": not in the Completed or Cancelled group, or not a done or cancelled state name.
  std::optional<Link> open_link() const;  // value_linker.cpp
  void read_missing_values();  // value_linker.cpp
  void read_values();          // value_linker.cpp
  void resolve_identities();  // identities.cpp
  void read_attribute_words();
  void read_comparison();
  void add_link(Link link);    // value_linker.cpp

  std::string q_;
  const ValueCatalog& cat_;
  const CatalogWords& words_;
  std::int64_t now_;
  std::vector<Word> w_;
  std::vector<bool> used_;
  const EntitySpec* forced_ = nullptr;
  bool before_entity_read_ = false;  // passes 0-7 ran on the words as they are
  bool refused_early_ = false;       // a follow-up or intent word refused the question: no pass after runs
  bool workload_ = false;  // "workload" was said: per assignee unless grouped or said of someone
  Reading r_;
};

}  // namespace pms::understanding
