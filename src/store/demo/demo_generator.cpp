#include "store/demo/demo_generator.hpp"

#include "core/time_util.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace pms::store::demo {

namespace {

using namespace std::chrono;

// SplitMix64: tiny, fast and identical on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& a) { return a[below(N)]; }
  // Index drawn from `weights` (need not sum to 1).
  template <std::size_t N>
  std::size_t weighted(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double r = unit() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if ((r -= weights[i]) < 0) return i;
    }
    return N - 1;
  }
  // Zipf-like skew: low indices are much more likely.
  std::size_t skewed(std::size_t n) {
    double u = unit();
    return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u * u));
  }
  std::string uuid() {
    std::uint64_t a = next(), b = next();
    a = (a & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
    b = (b & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32), unsigned((a >> 16) & 0xFFFF),
                  unsigned(a & 0xFFFF), unsigned(b >> 48), static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
    return buf;
  }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 6> kBusinessNames = {"Acme Digital", "Northwind Labs", "Globex Software",
                                                            "Initech Cloud", "Umbrella Health", "Stark Mobility"};
constexpr std::array<std::string_view, 12> kProjectNames = {
    "Customer Portal", "Mobile App", "Billing Platform", "Data Warehouse", "Marketing Website", "Internal Tools",
    "Payments API", "Analytics Dashboard", "Partner Integrations", "Support Desk", "Identity Service", "Search Revamp"};
constexpr std::array<std::string_view, 24> kFirstNames = {
    "Aarav", "Priya", "Liam", "Sofia", "Noah", "Mei", "Lucas", "Amara", "Ethan", "Zara", "Mateo", "Hana",
    "Omar", "Chloe", "Ravi", "Elena", "Kenji", "Fatima", "Jonas", "Isabela", "Arjun", "Nora", "Diego", "Leila"};
constexpr std::array<std::string_view, 20> kLastNames = {
    "Sharma", "Patel", "Nguyen", "Garcia", "Smith", "Kim", "Okafor", "Rossi", "Müller", "Silva",
    "Chen", "Haddad", "Kowalski", "Tanaka", "Dubois", "Iyer", "Andersen", "Costa", "Reyes", "Ali"};
constexpr std::array<std::string_view, 10> kModuleNames = {"Authentication", "Billing", "Reporting", "Notifications",
                                                           "Search", "Onboarding", "Settings", "Integrations",
                                                           "Performance", "Accessibility"};
constexpr std::array<std::string_view, 16> kVerbs = {"Fix", "Add", "Improve", "Refactor", "Investigate", "Update",
                                                     "Remove", "Design", "Implement", "Document", "Optimize",
                                                     "Migrate", "Test", "Review", "Support", "Localize"};
constexpr std::array<std::string_view, 24> kObjects = {
    "login timeout on Safari", "CSV export for invoices", "password reset email", "dashboard loading time",
    "dark mode toggle", "search result ranking", "push notification settings", "audit log retention",
    "rate limiting on public API", "onboarding checklist", "SSO with Okta", "payment retry logic",
    "mobile layout of settings page", "webhook delivery failures", "date picker accessibility",
    "report scheduling", "image upload size limit", "session expiry handling", "invoice PDF rendering",
    "role permissions matrix", "empty state illustrations", "database connection pooling", "Slack integration",
    "two-factor authentication"};
constexpr std::array<std::string_view, 8> kEpicThemes = {"Self-service onboarding", "Enterprise SSO", "Usage-based billing",
                                                         "Reporting 2.0", "Mobile parity", "Performance budget",
                                                         "Accessibility AA", "Public API v2"};
constexpr std::array<std::string_view, 6> kStates = {"Backlog", "Todo", "In Progress", "In Review", "Done", "Cancelled"};
constexpr std::array<double, 6> kStateWeights = {20, 17, 16, 7, 34, 6};
constexpr std::array<std::string_view, 6> kStateMasters = {"BACKLOG", "UNSTARTED", "STARTED", "STARTED", "COMPLETED", "CANCELLED"};
constexpr std::array<std::string_view, 5> kPriorities = {"URGENT", "HIGH", "MEDIUM", "LOW", "NONE"};
constexpr std::array<double, 5> kPriorityWeights = {6, 20, 38, 24, 12};
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kLabels = {{{"bug", "#e5484d"},
                                                                                  {"feature", "#30a46c"},
                                                                                  {"frontend", "#3e63dd"},
                                                                                  {"backend", "#8e4ec6"},
                                                                                  {"ux", "#f76b15"},
                                                                                  {"performance", "#ffb224"},
                                                                                  {"security", "#d6409f"},
                                                                                  {"docs", "#6e56cf"}}};
constexpr std::array<std::string_view, 4> kRoles = {"ADMIN", "MEMBER", "MEMBER", "VIEWER"};
constexpr std::array<std::string_view, 3> kWorkItemStatus = {"ACCEPTED", "ACCEPTED", "PENDING"};

json::object ref(const std::string& id, std::string_view name) { return json::object{{"_id", id}, {"name", name}}; }

std::string iso(SystemTime t) { return format_iso8601(t); }

// Each draw is its own statement: the order of two draws in one expression (the operands of +,
// a call's arguments) is the compiler's choice, and the same seed must give the same data with
// GCC and clang alike. The orders below are the ones GCC took, so its data stays as it was.
std::string verb_object(Rng& rng) {
  auto object = rng.pick(kObjects);
  auto verb = rng.pick(kVerbs);
  return std::string(verb) + " " + std::string(object);
}

json::object state_ref(Rng& rng) {
  auto state = kStates[rng.weighted(kStateWeights)];
  return ref(rng.uuid(), state);
}

SystemTime reference_time(const std::string& date) {
  if (date.empty()) return floor<days>(system_clock::now());
  auto t = parse_iso8601(date);
  if (!t) throw std::invalid_argument("reference date must be YYYY-MM-DD, got '" + date + "'");
  return floor<days>(*t);
}

std::string initials(std::string_view name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (start && std::isalpha(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == ' ';
  }
  return out;
}

std::string slug(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

struct Person {
  std::string id, name, email;
};

struct Cycle {
  std::string id, title;
  SystemTime start, end;
};

struct ProjectCtx {
  std::string id, name, display_id;
  json::object business;
  std::vector<std::size_t> member_idx;  // into the business's people
  std::vector<Cycle> cycles;
  std::vector<std::pair<std::string, std::string>> modules, epics, features, stories;  // id, title
  std::int64_t next_bug_no = 1;
};

}  // namespace

const std::vector<std::string>& demo_collections() {
  static const std::vector<std::string> names = {"project", "members", "cycle", "module", "epic",
                                                 "features", "userStory", "page", "workItem"};
  return names;
}

void generate(const DemoOptions& opt, const std::function<void(std::string_view, json::value&&)>& sink) {
  if (opt.businesses < 1 || opt.businesses > static_cast<int>(kBusinessNames.size()))
    throw std::invalid_argument("businesses must be between 1 and " + std::to_string(kBusinessNames.size()));
  if (opt.projects_per_business < 1 || opt.projects_per_business * opt.businesses > static_cast<int>(kProjectNames.size()))
    throw std::invalid_argument("at most " + std::to_string(kProjectNames.size()) + " projects in all");
  if (opt.work_items < 0) throw std::invalid_argument("work item count must not be negative");

  Rng rng(opt.seed);
  const SystemTime ref_day = reference_time(opt.reference_date);
  const SystemTime history_start = ref_day - days{182};
  auto random_time = [&](SystemTime from, SystemTime to) {
    auto span = duration_cast<milliseconds>(to - from).count();
    return from + milliseconds{span > 0 ? static_cast<std::int64_t>(rng.unit() * static_cast<double>(span)) : 0};
  };

  std::vector<ProjectCtx> projects;
  std::vector<std::vector<Person>> people(static_cast<std::size_t>(opt.businesses));
  std::size_t project_name_i = 0;

  for (int b = 0; b < opt.businesses; ++b) {
    std::string business_id = rng.uuid();
    json::object business = ref(business_id, kBusinessNames[static_cast<std::size_t>(b)]);
    std::string domain = slug(kBusinessNames[static_cast<std::size_t>(b)]) + ".example";
    auto& staff = people[static_cast<std::size_t>(b)];
    std::size_t headcount = 9 + rng.below(4);
    for (std::size_t i = 0; i < headcount; ++i) {
      std::string first(kFirstNames[(static_cast<std::size_t>(b) * 7 + i * 5) % kFirstNames.size()]);
      std::string last(kLastNames[rng.below(kLastNames.size())]);
      staff.push_back({rng.uuid(), first + " " + last, slug(first) + "." + slug(last) + "@" + domain});
    }

    for (int p = 0; p < opt.projects_per_business; ++p) {
      ProjectCtx pc;
      pc.id = rng.uuid();
      pc.name = std::string(kProjectNames[project_name_i++]);
      pc.display_id = initials(pc.name) + std::string(1, static_cast<char>('A' + b)) + std::to_string(p + 1);
      pc.business = business;
      // Each project has a core team; the lead is its first member.
      for (std::size_t i = 0; i < staff.size(); ++i) {
        if (i % static_cast<std::size_t>(opt.projects_per_business) == static_cast<std::size_t>(p) || rng.chance(0.35))
          pc.member_idx.push_back(i);
      }
      const Person& lead = staff[pc.member_idx.front()];
      SystemTime created = history_start - days{30 + static_cast<int>(rng.below(200))};
      const std::array<std::string_view, 3> statuses = {"STARTED", "STARTED", "NOT_STARTED"};
      json::object proj{
          {"_id", pc.id}, {"_class", "com.pms.project.Project"}, {"projectDisplayId", pc.display_id},
          {"name", pc.name}, {"description", "Work on the " + pc.name + " for " + std::string(kBusinessNames[static_cast<std::size_t>(b)]) + "."},
          {"icon", "folder"}, {"imageUrl", ""}, {"access", rng.chance(0.7) ? "PUBLIC" : "PRIVATE"},
          {"lead", ref(lead.id, lead.name)}, {"leadMail", lead.email},
          {"defaultAsignee", ref(lead.id, lead.name)}, {"createdBy", ref(lead.id, lead.name)},
          {"business", business}, {"isActive", true}, {"status", p == 0 ? "STARTED" : rng.pick(statuses)},
          {"favourite", rng.chance(0.3)}, {"isArchived", false},
          {"createdTimeStamp", iso(created)}, {"updatedTimeStamp", iso(random_time(created, ref_day))}};
      sink("project", std::move(proj));

      for (std::size_t k = 0; k < pc.member_idx.size(); ++k) {
        const Person& person = staff[pc.member_idx[k]];
        sink("members", json::object{
            {"_id", rng.uuid()}, {"_class", "com.pms.member.Member"}, {"memberId", person.id},
            {"name", person.name}, {"email", person.email}, {"role", k == 0 ? "ADMIN" : rng.pick(kRoles)},
            {"project", ref(pc.id, pc.name)}, {"business", business},
            {"joiningDate", iso(random_time(created, history_start))}, {"type", rng.chance(0.85) ? "INTERNAL" : "GUEST"}});
      }

      // Two-week cycles: the one around the reference day is ACTIVE, one is UPCOMING.
      for (int c = -4; c <= 1; ++c) {
        SystemTime start = ref_day - days{7} + days{14 * c};
        Cycle cy{rng.uuid(), "Sprint " + std::to_string(c + 12), start, start + days{13}};
        std::string status = c < 0 ? "COMPLETED" : (c == 0 ? "ACTIVE" : "UPCOMING");
        sink("cycle", json::object{
            {"_id", cy.id}, {"_class", "com.pms.cycle.Cycle"}, {"title", cy.title},
            {"description", "Iteration " + std::to_string(c + 12) + " of " + pc.name},
            {"project", ref(pc.id, pc.name)}, {"business", business}, {"status", status},
            {"startDate", iso(cy.start)}, {"endDate", iso(cy.end)}, {"isDefault", c == 0},
            {"isFavourite", c == 0}, {"createdTimeStamp", iso(start - days{3})},
            {"updatedTimeStamp", iso(std::min(cy.end, ref_day))}});
        pc.cycles.push_back(std::move(cy));
      }

      for (int e = 0; e < 3; ++e) {
        std::string title(kEpicThemes[(project_name_i + static_cast<std::size_t>(e) * 3) % kEpicThemes.size()]);
        std::string id = rng.uuid();
        const Person& owner = staff[pc.member_idx[rng.below(pc.member_idx.size())]];
        std::size_t st = rng.weighted(kStateWeights);
        SystemTime ec = random_time(history_start, ref_day - days{20});
        sink("epic", json::object{
            {"_id", id}, {"_class", "com.pms.epic.Epic"}, {"bugNo", pc.display_id + "-E" + std::to_string(e + 1)},
            {"title", title}, {"description", "<p>" + title + " across the " + pc.name + ".</p>"},
            {"priority", kPriorities[rng.weighted(kPriorityWeights)]},
            {"state", ref(rng.uuid(), kStates[st])}, {"stateMaster", ref(rng.uuid(), kStateMasters[st])},
            {"project", ref(pc.id, pc.name)}, {"business", business},
            {"assignee", json::array{ref(owner.id, owner.name)}}, {"label", json::array()},
            {"startDate", iso(ec)}, {"endDate", iso(ec + days{60})}, {"createdBy", ref(lead.id, lead.name)},
            {"createdTimeStamp", iso(ec)}, {"updatedTimeStamp", iso(random_time(ec, ref_day))}});
        pc.epics.emplace_back(id, title);
      }

      for (int m = 0; m < 4; ++m) {
        std::string title(kModuleNames[(project_name_i * 3 + static_cast<std::size_t>(m)) % kModuleNames.size()]);
        std::string id = rng.uuid();
        const Person& mlead = staff[pc.member_idx[rng.below(pc.member_idx.size())]];
        auto& epic = pc.epics[static_cast<std::size_t>(m) % pc.epics.size()];
        std::size_t st = rng.weighted(kStateWeights);
        sink("module", json::object{
            {"_id", id}, {"_class", "com.pms.module.Module"}, {"title", title},
            {"description", title + " module of " + pc.name}, {"project", ref(pc.id, pc.name)},
            {"business", business}, {"lead", ref(mlead.id, mlead.name)},
            {"assignee", json::array{ref(mlead.id, mlead.name)}}, {"epic", ref(epic.first, epic.second)},
            {"state", ref(rng.uuid(), kStates[st])}, {"isFavourite", rng.chance(0.2)},
            {"createdTimeStamp", iso(random_time(history_start, ref_day - days{30}))}});
        pc.modules.emplace_back(id, title);
      }

      for (auto* kind : {"features", "userStory"}) {
        bool feature = std::string_view(kind) == "features";
        for (int f = 0; f < 3; ++f) {
          std::string id = rng.uuid();
          auto& epic = pc.epics[static_cast<std::size_t>(f) % pc.epics.size()];
          std::string title = feature ? verb_object(rng) : "As a user I can " + std::string(rng.pick(kObjects));
          const Person& owner = staff[pc.member_idx[rng.below(pc.member_idx.size())]];
          SystemTime fc = random_time(history_start, ref_day);
          sink(kind, json::object{
              {"_id", id}, {"_class", feature ? "com.pms.feature.Feature" : "com.pms.story.UserStory"},
              {"title", title}, {"description", "<p>" + title + "</p>"},
              {"state", state_ref(rng)},
              {"priority", kPriorities[rng.weighted(kPriorityWeights)]}, {"project", ref(pc.id, pc.name)},
              {"business", business}, {"epic", ref(epic.first, epic.second)},
              {"assignee", json::array{ref(owner.id, owner.name)}}, {"createdTimeStamp", iso(fc)}});
          (feature ? pc.features : pc.stories).emplace_back(id, title);
        }
      }

      const std::array<std::string_view, 4> page_titles = {"Release notes", "Architecture overview", "Retrospective", "Onboarding guide"};
      for (int g = 0; g < 3; ++g) {
        const Person& author = staff[pc.member_idx[rng.below(pc.member_idx.size())]];
        std::string title = std::string(page_titles[static_cast<std::size_t>(g)]) + " - " + pc.name;
        SystemTime pcreated = random_time(history_start, ref_day);
        json::object content{{"type", "doc"},
                             {"content", json::array{json::object{{"type", "paragraph"},
                                                                  {"content", json::array{json::object{{"type", "text"}, {"text", title}}}}}}}};
        auto& cy = pc.cycles[rng.below(pc.cycles.size())];
        auto& md = pc.modules[rng.below(pc.modules.size())];
        sink("page", json::object{
            {"_id", rng.uuid()}, {"_class", "com.pms.page.Page"}, {"title", title}, {"content", dump(content)},
            {"project", ref(pc.id, pc.name)}, {"business", business}, {"createdBy", ref(author.id, author.name)},
            {"visibility", rng.chance(0.7) ? "PUBLIC" : "PRIVATE"}, {"linkedCycle", json::array{ref(cy.id, cy.title)}},
            {"linkedModule", json::array{ref(md.first, md.second)}}, {"linkedPages", json::array()},
            {"linkedMembers", json::array{ref(author.id, author.name)}}, {"locked", rng.chance(0.2)},
            {"isFavourite", rng.chance(0.25)}, {"createdAt", iso(pcreated)}, {"updatedAt", iso(random_time(pcreated, ref_day))}});
      }
      projects.push_back(std::move(pc));
    }
  }

  for (std::int64_t w = 0; w < opt.work_items; ++w) {
    auto& pc = projects[rng.skewed(projects.size())];
    auto& staff = people[static_cast<std::size_t>(&pc - &projects[0]) / static_cast<std::size_t>(opt.projects_per_business)];
    // Recent weeks see more new work than older ones.
    double age = rng.unit();
    SystemTime created = ref_day - milliseconds{static_cast<std::int64_t>(age * age * 182.0 * 86400000.0)} + hours{9};
    if (created > ref_day + hours{18}) created = ref_day + hours{18};
    std::size_t st = rng.weighted(kStateWeights);
    // Older items are more likely finished.
    if (st < 3 && age > 0.6 && rng.chance(0.5)) st = 4;
    std::string title = verb_object(rng);
    json::array assignees;
    if (!rng.chance(0.12)) {
      std::size_t n = 1;
      n += rng.chance(0.2) ? 1 : 0;  // one draw after the other: the data is the same whatever the compiler
      n += rng.chance(0.05) ? 1 : 0;
      for (std::size_t k = 0; k < n; ++k) {
        const Person& a = staff[pc.member_idx[rng.skewed(pc.member_idx.size())]];
        json::value r = ref(a.id, a.name);
        if (std::none_of(assignees.begin(), assignees.end(), [&](auto& x) { return x == r; })) assignees.push_back(r);
      }
    }
    json::array labels;
    std::size_t nlabels = rng.below(3);
    for (std::size_t k = 0; k < nlabels; ++k) {
      auto& [name, color] = kLabels[rng.skewed(kLabels.size())];
      json::object l{{"_id", "label-" + std::string(name)}, {"name", name}, {"color", color}};
      if (std::none_of(labels.begin(), labels.end(), [&](auto& x) { return x.at("name") == l.at("name"); })) labels.push_back(l);
    }
    const Person& creator = staff[pc.member_idx[rng.below(pc.member_idx.size())]];
    json::object item{
        {"_id", rng.uuid()}, {"_class", "com.pms.workitem.WorkItem"},
        {"displayBugNo", pc.display_id + "-" + std::to_string(pc.next_bug_no++)}, {"title", title},
        {"description", "<p>" + title + ". Reported in " + pc.name + ".</p>"},
        {"status", rng.pick(kWorkItemStatus)}, {"priority", kPriorities[rng.weighted(kPriorityWeights)]},
        {"state", ref("state-" + slug(kStates[st]), kStates[st])},
        {"stateMaster", ref("master-" + slug(kStateMasters[st]), kStateMasters[st])},
        {"project", ref(pc.id, pc.name)}, {"assignee", std::move(assignees)}, {"label", std::move(labels)},
        {"createdBy", ref(creator.id, creator.name)}, {"updatedBy", json::array{ref(creator.id, creator.name)}},
        {"business", pc.business}, {"createdTimeStamp", iso(created)}};
    // A cycle when the item was created during one (most are), else none.
    for (auto& cy : pc.cycles) {
      if (created >= cy.start && created <= cy.end + days{1} && !rng.chance(0.15)) {
        item["cycle"] = ref(cy.id, cy.title);
        break;
      }
    }
    if (rng.chance(0.7)) {
      auto& md = pc.modules[rng.skewed(pc.modules.size())];
      item["modules"] = ref(md.first, md.second);
    }
    if (rng.chance(0.5)) {
      auto& ep = pc.epics[rng.below(pc.epics.size())];
      item["epic"] = ref(ep.first, ep.second);
    }
    if (rng.chance(0.2)) {
      auto& ft = pc.features[rng.below(pc.features.size())];
      item["feature"] = ref(ft.first, ft.second);
    }
    if (rng.chance(0.2)) {
      auto& us = pc.stories[rng.below(pc.stories.size())];
      item["userStory"] = ref(us.first, us.second);
    }
    if (rng.chance(0.6)) item["estimate"] = std::int64_t{1} << rng.below(4);
    if (rng.chance(0.55)) {
      SystemTime start = created + days{static_cast<int>(rng.below(5))};
      item["startDate"] = iso(start);
      item["endDate"] = iso(start + days{2 + static_cast<int>(rng.below(20))});
    }
    item["updatedTimeStamp"] = iso(random_time(created, std::max(created, ref_day + hours{18})));
    sink("workItem", std::move(item));
  }
}

}  // namespace pms::store::demo
