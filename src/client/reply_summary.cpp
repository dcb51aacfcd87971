#include "client/reply_summary.hpp"

#include <cstdio>

namespace pms::client {

namespace {

// A number member, or `fallback` when it is absent, null or not a number.
double number(const json::object& o, std::string_view key, double fallback = -1) {
  auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

std::string fixed(double x, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string duration(double ms) { return ms < 1000 ? fixed(ms, 0) + " ms" : fixed(ms / 1000.0, 2) + " s"; }

// The protocol's names for the paths, as a reader says them; an unknown one as the server wrote it.
std::string path_name(std::string_view by) {
  if (by == "model-plan") return "model plan";
  if (by == "shell") return "shell query";
  return std::string(by);
}

// "show all" brings at most this many rows (docs/protocol.md).
constexpr double kShowAllMax = 500;

}  // namespace

std::string reply_footer(const json::object& complete) {
  std::string out = "[";
  auto add = [&](const std::string& piece) {
    if (out.size() > 1) out += " · ";
    out += piece;
  };
  if (auto* c = complete.if_contains("cancelled"); c && c->is_bool() && c->get_bool()) add("stopped");
  auto by = string_member(complete, "answered_by").value_or("");
  if (!by.empty()) add(path_name(by));
  // An older server that does not say who answered: the model did.
  bool model_wrote = by.empty() || by == "model" || by == "model-plan";
  if (model_wrote) {
    if (double first = number(complete, "first_token_ms"); first >= 0) add("first token " + fixed(first, 0) + " ms");
    if (double tokens = number(complete, "tokens"); tokens >= 0) add(fixed(tokens, 0) + " tokens");
    if (double rate = number(complete, "tokens_per_second"); rate >= 0) add(fixed(rate, 1) + " tokens/s");
  }
  if (double ms = number(complete, "elapsed_ms"); ms >= 0) add(duration(ms));
  return out + "]";
}

std::string more_rows_hint(const json::object& complete) {
  auto* p = complete.if_contains("page");
  if (!p || !p->is_object()) return {};
  auto& page = p->get_object();
  double offset = number(page, "offset"), shown = number(page, "shown"), total = number(page, "total");
  auto next = string_member(page, "next");
  if (offset < 0 || shown < 0 || !next || next->empty()) return {};
  double left = total - offset - shown;
  if (left <= 0) return {};
  std::string hint = fixed(left, 0) + " more: type '" + std::string(*next) + "'";
  if (total <= kShowAllMax && left > shown) hint += " (or 'show all')";
  return hint;
}

}  // namespace pms::client
