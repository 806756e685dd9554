#include "payloads.hpp"

#include <optional>

#include <simdjson.h>

namespace lb::webhooks {
namespace {

namespace od = simdjson::ondemand;

// One parser per thread: it keeps its buffers between deliveries.
od::parser& thread_parser() {
    thread_local od::parser parser;
    return parser;
}

normalized_delivery malformed(std::string event, const std::string& field, const char* expected) {
    return malformed_delivery(std::move(event), field, std::string(expected) + " (or the JSON is malformed)");
}

const auto ignored = ignored_delivery;

// The pull_request keys we read, as bits: each is taken once, the first time it appears.
enum pr_key : unsigned { number_key = 1, url_key = 2, title_key = 4, user_key = 8, labels_key = 16,
                         updated_key = 32, merged_at_key = 64, merged_key = 128, base_key = 256 };

struct pr_field {
    std::string_view name;
    pr_key bit;
    const char* missing;  // "field|expected" when the key is absent
};
constexpr pr_field pr_fields[] = {
    {"number", number_key, "pull_request.number|an integer"}, {"html_url", url_key, "pull_request.html_url|a string"},
    {"title", title_key, "pull_request.title|a string"}, {"user", user_key, "pull_request.user.login|a string"},
    {"labels", labels_key, "pull_request.labels|an array"}, {"updated_at", updated_key, "pull_request.updated_at|a string"},
    {"merged_at", merged_at_key, "pull_request.merged_at|present"}, {"merged", merged_key, "pull_request.merged|a boolean"},
    {"base", base_key, "pull_request.base.repo.full_name|a string"}};

pr_key key_bit(std::string_view key) {
    for (const auto& field : pr_fields)
        if (field.name == key) return field.bit;
    return pr_key{};
}

// Reads one pull_request value under `key` into facts (base.repo.full_name into
// base_repo); returns the failing "field|expected", or "".
std::string read_pr_value(pr_key key, od::value value, engine::pull_request_facts& facts, std::string_view& updated,
                          std::string_view& base_repo) {
    std::string_view text;
    switch (key) {
        case number_key: {
            int64_t number = 0;
            if (value.get_int64().get(number)) return "pull_request.number|an integer";
            facts.number = number;
            return "";
        }
        case url_key:
            if (value.get_string().get(text)) return "pull_request.html_url|a string";
            facts.url = text;
            return "";
        case title_key:
            if (value.get_string().get(text)) return "pull_request.title|a string";
            facts.title = text;
            return "";
        case user_key:
            if (value["login"].get_string().get(text)) return "pull_request.user.login|a string";
            facts.author = text;
            return "";
        case labels_key: {
            od::array labels;
            if (value.get_array().get(labels)) return "pull_request.labels|an array";
            for (auto label : labels) {
                if (label["name"].get_string().get(text)) return "pull_request.labels[].name|a string";
                facts.labels.emplace_back(text);
            }
            return "";
        }
        case updated_key:
            if (value.get_string().get(updated) || !engine::parse_rfc3339(updated)) return "pull_request.updated_at|an RFC 3339 time";
            return "";
        case merged_at_key: {
            od::json_type type;
            if (value.type().get(type)) return "pull_request.merged_at|a time or null";
            if (type == od::json_type::null) return "";
            if (value.get_string().get(text) || !(facts.merged_at = engine::parse_rfc3339(text)))
                return "pull_request.merged_at|an RFC 3339 time or null";
            return "";
        }
        case merged_key: {
            bool merged = false;
            if (value.get_bool().get(merged)) return "pull_request.merged|a boolean";
            facts.merged = merged;
            return "";
        }
        case base_key:
            if (value["repo"]["full_name"].get_string().get(base_repo)) return "pull_request.base.repo.full_name|a string";
            return "";
    }
    return "";
}

// Reads the fields both hosts share under pull_request in one pass, whatever the
// key order: a lookup by key rescans the whole object (about 20 KB, most of it the
// head and base repositories) each time a key stands before the one read last.
// Returns the failing field path, or "" when everything was read.
std::string read_pull_request(od::object pr, engine::pull_request_facts& facts, std::string_view* base_repo) {
    unsigned wanted = 0;
    for (const auto& field : pr_fields) wanted |= field.bit;
    if (!base_repo) wanted &= ~unsigned{base_key};
    std::string_view updated, repo;
    unsigned seen = 0;
    for (auto field : pr) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return "pull_request|an object";
        pr_key bit = key_bit(key);
        if (!(wanted & bit) || (seen & bit)) continue;
        seen |= bit;
        if (auto error = read_pr_value(bit, field.value(), facts, updated, repo); !error.empty()) return error;
    }
    for (const auto& field : pr_fields)
        if ((wanted & field.bit) && !(seen & field.bit)) return field.missing;
    // The state's time orders deliveries; Gitee may stamp updated_at a second before merged_at.
    auto updated_time = *engine::parse_rfc3339(updated);
    facts.updated_at = std::max(updated_time, facts.merged_at.value_or(updated_time));
    if (base_repo) *base_repo = repo;
    return "";
}

normalized_delivery from_field_error(std::string event, const std::string& error) {
    auto bar = error.find('|');
    return malformed(std::move(event), error.substr(0, bar), error.c_str() + bar + 1);
}

// What the normalizers read at the top level, taken in one forward pass. A lookup by key that
// misses wraps around to the object's start, and on malformed input simdjson's rescan trusts a
// structure the first pass never checked (an assertion in debug builds, undefined behaviour
// otherwise: the fuzzer found it); one pass over the keys never rescans.
struct root_members {
    std::optional<std::string_view> action;
    std::string_view action_desc;
    std::optional<std::string_view> repository;  // repository.full_name (Gitee)
    std::string_view base_repo;                  // pull_request.base.repo.full_name (GitHub)
    std::string pr_error = "pull_request|an object";  // cleared once pull_request was read whole
};

// Returns the failing "field|expected" when the document cannot be walked at all.
std::string read_root(od::document& doc, engine::pull_request_facts& facts, bool base_repo, root_members& out) {
    od::object root;
    if (doc.get_object().get(root)) return "(body)|a JSON object";
    bool pr_seen = false, repository_seen = false;
    for (auto field : root) {
        std::string_view key, text;
        if (field.unescaped_key().get(key)) return "(body)|a JSON object";
        if (key == "action" && !out.action) {
            if (field.value().get_string().get(text)) return "action|a string";
            out.action = text;
        } else if (key == "action_desc" && out.action_desc.empty()) {
            if (!field.value().get_string().get(text)) out.action_desc = text;
        } else if (key == "pull_request" && !pr_seen) {
            pr_seen = true;
            od::object pr;
            if (field.value().get_object().get(pr)) continue;
            out.pr_error = read_pull_request(pr, facts, base_repo ? &out.base_repo : nullptr);
            // A pull_request left half-read (it was bad) cannot be walked past reliably.
            if (!out.pr_error.empty()) return "";
        } else if (key == "repository" && !base_repo && !repository_seen) {
            repository_seen = true;
            if (!field.value()["full_name"].get_string().get(text)) out.repository = text;
        }
        // Nothing after these is read: stop rather than skip the rest (the sender, a GitHub
        // payload's repository and organization run to kilobytes).
        bool described = out.action && (*out.action != "update" || !out.action_desc.empty());
        if (described && pr_seen && (base_repo || repository_seen)) break;
    }
    return "";
}

std::optional<od::document> iterate(std::string& json) {
    if (json.capacity() < json.size() + simdjson::SIMDJSON_PADDING) json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    od::document doc;
    if (thread_parser().iterate(simdjson::padded_string_view(json.data(), json.size(), json.capacity())).get(doc))
        return std::nullopt;
    return doc;
}

}  // namespace

normalized_delivery normalize_github(std::string_view event, std::string& json) {
    std::string name(event);
    if (event == "ping") return {delivery_kind::ping, name, "ping", {}, 0, {}};
    if (event != "pull_request") return ignored(name, "event \"" + name + "\" is not scored");
    auto doc = iterate(json);
    if (!doc) return malformed(name, "(body)", "a JSON object");
    normalized_delivery out{delivery_kind::pull_request, name, "", {}, 0, {}};
    out.pr.host = "github";
    root_members root;
    if (auto error = read_root(*doc, out.pr, true, root); !error.empty()) return from_field_error(name, error);
    if (!root.action) return malformed(name, "action", "a string");
    std::string act(*root.action);
    if (act != "closed" && act != "labeled" && act != "unlabeled" && act != "edited")
        return ignored(name, "action \"" + act + "\" does not change a score");
    if (!root.pr_error.empty()) return from_field_error(name, root.pr_error);
    out.pr.repo = root.base_repo;
    if (!out.pr.merged) return ignored(name, act == "closed" ? "closed without merging" : "not merged");
    return out;
}

normalized_delivery normalize_gitee(std::string_view event, std::string& json) {
    std::string name(event);
    if (event != "Merge Request Hook") return ignored(name, "event \"" + name + "\" is not scored");
    auto doc = iterate(json);
    if (!doc) return malformed(name, "(body)", "a JSON object");
    normalized_delivery out{delivery_kind::pull_request, name, "", {}, 0, {}};
    out.pr.host = "gitee";
    root_members root;
    if (auto error = read_root(*doc, out.pr, false, root); !error.empty()) return from_field_error(name, error);
    if (!root.action) return malformed(name, "action", "a string");
    bool relabel = *root.action == "update" && root.action_desc == "update_label";
    if (*root.action != "merge" && !relabel)
        return ignored(name, "action \"" + std::string(*root.action) + "\" does not change a score");
    if (!root.pr_error.empty()) return from_field_error(name, root.pr_error);
    if (!root.repository) return malformed(name, "repository.full_name", "a string");
    out.pr.repo = *root.repository;
    if (!out.pr.merged) return ignored(name, "not merged");
    return out;
}

}  // namespace lb::webhooks
