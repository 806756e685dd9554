#include "payloads.hpp"

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
    return {delivery_kind::malformed, std::move(event), field + ": missing or not " + expected + " (or the JSON is malformed)", {}};
}

normalized_delivery ignored(std::string event, std::string reason) {
    return {delivery_kind::ignored, std::move(event), std::move(reason), {}};
}

// Reads the fields both hosts share under pull_request; returns the failing
// field path, or "" when everything was read.
std::string read_pull_request(od::object pr, engine::pull_request_facts& facts) {
    std::string_view text;
    int64_t number = 0;
    if (pr["number"].get_int64().get(number)) return "pull_request.number|an integer";
    facts.number = number;
    if (pr["html_url"].get_string().get(text)) return "pull_request.html_url|a string";
    facts.url = text;
    if (pr["title"].get_string().get(text)) return "pull_request.title|a string";
    facts.title = text;
    if (pr["user"]["login"].get_string().get(text)) return "pull_request.user.login|a string";
    facts.author = text;
    od::array labels;
    if (pr["labels"].get_array().get(labels)) return "pull_request.labels|an array";
    for (auto label : labels) {
        if (label["name"].get_string().get(text)) return "pull_request.labels[].name|a string";
        facts.labels.emplace_back(text);
    }
    if (pr["updated_at"].get_string().get(text)) return "pull_request.updated_at|a string";
    auto updated = engine::parse_rfc3339(text);
    if (!updated) return "pull_request.updated_at|an RFC 3339 time";
    od::value merged_at;
    if (pr["merged_at"].get(merged_at)) return "pull_request.merged_at|present";
    od::json_type type;
    if (merged_at.type().get(type)) return "pull_request.merged_at|a time or null";
    if (type != od::json_type::null) {
        if (merged_at.get_string().get(text) || !engine::parse_rfc3339(text)) return "pull_request.merged_at|an RFC 3339 time or null";
        facts.merged_at = engine::parse_rfc3339(text);
    }
    // The state's time orders deliveries; Gitee may stamp updated_at a second before merged_at.
    facts.updated_at = std::max(*updated, facts.merged_at.value_or(*updated));
    bool merged = false;
    if (pr["merged"].get_bool().get(merged)) return "pull_request.merged|a boolean";
    facts.merged = merged;
    return "";
}

normalized_delivery from_field_error(std::string event, const std::string& error) {
    auto bar = error.find('|');
    return malformed(std::move(event), error.substr(0, bar), error.c_str() + bar + 1);
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
    if (event == "ping") return {delivery_kind::ping, name, "ping", {}};
    if (event != "pull_request") return ignored(name, "event \"" + name + "\" is not scored");
    auto doc = iterate(json);
    if (!doc) return malformed(name, "(body)", "a JSON object");
    od::object root;
    if (doc->get_object().get(root)) return malformed(name, "(body)", "a JSON object");
    std::string_view action;
    if (root["action"].get_string().get(action)) return malformed(name, "action", "a string");
    std::string act(action);
    if (act != "closed" && act != "labeled" && act != "unlabeled" && act != "edited")
        return ignored(name, "action \"" + act + "\" does not change a score");
    normalized_delivery out{delivery_kind::pull_request, name, "", {}};
    out.pr.host = "github";
    od::object pr;
    if (root["pull_request"].get_object().get(pr)) return malformed(name, "pull_request", "an object");
    if (auto error = read_pull_request(pr, out.pr); !error.empty()) return from_field_error(name, error);
    std::string_view repo;
    if (pr["base"]["repo"]["full_name"].get_string().get(repo)) return malformed(name, "pull_request.base.repo.full_name", "a string");
    out.pr.repo = repo;
    if (!out.pr.merged) return ignored(name, act == "closed" ? "closed without merging" : "not merged");
    return out;
}

normalized_delivery normalize_gitee(std::string_view event, std::string& json) {
    std::string name(event);
    if (event != "Merge Request Hook") return ignored(name, "event \"" + name + "\" is not scored");
    auto doc = iterate(json);
    if (!doc) return malformed(name, "(body)", "a JSON object");
    od::object root;
    if (doc->get_object().get(root)) return malformed(name, "(body)", "a JSON object");
    std::string_view action, description;
    if (root["action"].get_string().get(action)) return malformed(name, "action", "a string");
    bool relabel = action == "update" && !root["action_desc"].get_string().get(description) && description == "update_label";
    if (action != "merge" && !relabel)
        return ignored(name, "action \"" + std::string(action) + "\" does not change a score");
    normalized_delivery out{delivery_kind::pull_request, name, "", {}};
    out.pr.host = "gitee";
    od::object pr;
    if (root["pull_request"].get_object().get(pr)) return malformed(name, "pull_request", "an object");
    if (auto error = read_pull_request(pr, out.pr); !error.empty()) return from_field_error(name, error);
    std::string_view repo;
    if (root["repository"]["full_name"].get_string().get(repo)) return malformed(name, "repository.full_name", "a string");
    out.pr.repo = repo;
    if (!out.pr.merged) return ignored(name, "not merged");
    return out;
}

}  // namespace lb::webhooks
