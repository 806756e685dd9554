#include "merge_request_payload.hpp"

#include <simdjson.h>

#include "rfc3339.hpp"

namespace lb::webhooks {

namespace {

namespace dom = simdjson::dom;

dom::parser& thread_parser() {
    thread_local dom::parser parser;
    return parser;
}

const auto malformed = malformed_delivery;
const auto ignored = ignored_delivery;

std::optional<std::string_view> text_at(dom::object object, std::string_view key) {
    std::string_view out;
    if (object[key].get_string().get(out)) return std::nullopt;
    return out;
}

// Labels as GitLab-shaped hooks list them: [{"title": "bug", ...}]; the field names the failure.
std::string read_labels(dom::element labels, const std::string& path, std::vector<std::string>& out) {
    dom::array items;
    if (labels.get_array().get(items)) return path;
    for (auto item : items) {
        std::string_view title;
        if (item["title"].get_string().get(title)) return path + "[].title";
        out.emplace_back(title);
    }
    return "";
}

}  // namespace

std::optional<long long> merge_request_time(std::string_view text) {
    if (auto at = engine::parse_rfc3339(text)) return at;
    // "2013-12-03 17:23:34 UTC"
    if (text.size() == 23 && text[10] == ' ' && text.substr(19) == " UTC") {
        std::string iso(text.substr(0, 19));
        iso[10] = 'T';
        return engine::parse_rfc3339(iso + "Z");
    }
    return std::nullopt;
}

normalized_delivery normalize_merge_request(std::string_view host, std::string_view event, std::string_view json) {
    std::string name(event);
    if (event != "Merge Request Hook") return ignored(name, "event \"" + name + "\" is not scored");
    dom::element root;
    if (thread_parser().parse(json.data(), json.size()).get(root)) return malformed(name, "(body)", "a JSON object");
    dom::object body;
    if (root.get_object().get(body)) return malformed(name, "(body)", "a JSON object");
    auto kind = text_at(body, "object_kind");
    if (!kind) return malformed(name, "object_kind", "a string");
    if (*kind != "merge_request") return ignored(name, "object_kind \"" + std::string(*kind) + "\" is not scored");
    dom::object attributes;
    if (body["object_attributes"].get_object().get(attributes)) return malformed(name, "object_attributes", "an object");
    auto action = text_at(attributes, "action");
    auto state = text_at(attributes, "state");
    if (!state) return malformed(name, "object_attributes.state", "a string");
    std::string act = action ? std::string(*action) : "";
    bool merged = *state == "merged";
    // A merge, or a later change of a merged request (its labels): anything else changes no score.
    if (act == "close") return ignored(name, "closed without merging");
    if (!merged) return ignored(name, act.empty() ? "not merged" : "action \"" + act + "\" of a request that is not merged");
    if (act != "merge" && act != "update" && !act.empty())
        return ignored(name, "action \"" + act + "\" does not change a score");

    normalized_delivery out{delivery_kind::pull_request, name, "", {}, 0, {}};
    auto& pr = out.pr;
    pr.host = std::string(host);
    pr.merged = true;
    int64_t iid = 0;
    if (attributes["iid"].get_int64().get(iid) || iid <= 0) return malformed(name, "object_attributes.iid", "a positive integer");
    pr.number = iid;
    auto url = text_at(attributes, "url");
    if (!url) return malformed(name, "object_attributes.url", "a string");
    pr.url = *url;
    auto title = text_at(attributes, "title");
    if (!title) return malformed(name, "object_attributes.title", "a string");
    pr.title = *title;
    auto updated = text_at(attributes, "updated_at");
    auto updated_at = updated ? merge_request_time(*updated) : std::nullopt;
    if (!updated_at) return malformed(name, "object_attributes.updated_at", "a time such as 2024-10-26T10:32:41+08:00");
    // These hooks carry no merge time: the merge event's own time stands until reconcile reads the API's.
    pr.updated_at = *updated_at;
    pr.merged_at = *updated_at;
    dom::object author;
    std::string_view username;
    if (!attributes["author"].get_object().get(author) && !author["username"].get_string().get(username) && !username.empty()) {
        pr.author = username;
    } else {
        int64_t author_id = 0;
        if (attributes["author_id"].get_int64().get(author_id) || author_id <= 0)
            return malformed(name, "object_attributes.author.username", "a string (or object_attributes.author_id an integer)");
        out.author_id = author_id;
    }
    dom::element labels;
    if (!body["labels"].get(labels) && !labels.is_null()) {
        if (auto error = read_labels(labels, "labels", pr.labels); !error.empty()) return malformed(name, error, "an array of labels with titles");
    } else if (!attributes["labels"].get(labels) && !labels.is_null()) {
        if (auto error = read_labels(labels, "object_attributes.labels", pr.labels); !error.empty())
            return malformed(name, error, "an array of labels with titles");
    }
    dom::object project;
    auto repo = body["project"].get_object().get(project) ? std::nullopt : text_at(project, "path_with_namespace");
    if (!repo) return malformed(name, "project.path_with_namespace", "a string");
    pr.repo = *repo;
    if (auto uuid = text_at(body, "uuid")) out.body_delivery_id = *uuid;
    return out;
}

}  // namespace lb::webhooks
