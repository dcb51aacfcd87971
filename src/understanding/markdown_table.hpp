#pragma once
// Small Markdown tables for answers composed without a model.
#include "core/json_util.hpp"

#include <string>
#include <vector>

namespace pms::understanding {

// A cell's text for the value(s) at `path` in `doc`: strings as they are (dates as their day),
// arrays joined with ", ", other values as JSON; '|' and line breaks escaped.
std::string cell_text(const json::value& doc, std::string_view path);

// "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// The first `max_chars` (about; cut at a word) of rich text as plain text: HTML tags dropped, the
// common entities decoded, whitespace collapsed; "" for none. Markdown's own characters are kept.
std::string text_excerpt(std::string_view html, std::size_t max_chars);

// A column's heading: "state.name" -> "State", "displayBugNo" -> "Number".
std::string column_heading(std::string_view path);

// The columns worth showing for documents of unknown shape: their first top-level fields, in order,
// without _class, long text and nested documents' ids.
std::vector<std::string> columns_of(const std::vector<json::value>& docs, std::size_t max_columns);

}  // namespace pms::understanding
