#pragma once
// A link into the PMS for one work item, from --item-url-template:
// "https://pms.example.com/{projectDisplayId}/{displayBugNo}". Placeholders name the schema's
// fields; each value is percent-encoded as one path segment, so data cannot change the link's
// host or path. Only http(s) templates are accepted: a link is put in answers as an href.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pms {

// The placeholders a template may use, as the error message lists them.
inline constexpr std::string_view kItemUrlPlaceholders = "{displayBugNo}, {id}, {projectId}, {projectDisplayId}";

// Why `tmpl` is not a usable template ("unknown placeholder {bugNo}; use ..."), or "" when it is.
std::string item_url_template_error(std::string_view tmpl);

// `tmpl` with its placeholders replaced by `values` ("displayBugNo" -> "PRO-1-5"); nullopt when
// one it uses has no value (or an empty one). `tmpl` must be valid (item_url_template_error).
std::optional<std::string> expand_url_template(std::string_view tmpl, const std::map<std::string, std::string, std::less<>>& values);

// A work item's fields the placeholders name, as the schema stores them.
struct ItemLinkFields {
  std::string display_bug_no, id, project_id, project_display_id;
};

// The item's link: `tmpl` expanded with its fields (nullopt as expand_url_template).
std::optional<std::string> item_url(std::string_view tmpl, const ItemLinkFields& item);

}  // namespace pms
