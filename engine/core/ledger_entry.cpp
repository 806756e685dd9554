#include "ledger_entry.hpp"

#include <simdjson.h>

namespace lb::engine {
namespace {

namespace dom = simdjson::dom;

bool read_string(dom::object object, const char* key, std::string& out, bool required = true) {
    std::string_view text;
    auto error = object[key].get_string().get(text);
    if (error) return !required && error == simdjson::NO_SUCH_FIELD;
    out.assign(text);
    return true;
}

bool read_facts(dom::object details, pull_request_facts& pr) {
    if (!read_string(details, "host", pr.host) || !read_string(details, "repo", pr.repo) ||
        !read_string(details, "url", pr.url, false) || !read_string(details, "title", pr.title, false) ||
        !read_string(details, "author", pr.author))
        return false;
    int64_t number = 0, updated = 0;
    if (details["number"].get_int64().get(number) || details["updated_at"].get_int64().get(updated)) return false;
    pr.number = number;
    pr.updated_at = updated;
    bool merged = false;
    if (details["merged"].get_bool().get(merged)) return false;
    pr.merged = merged;
    int64_t merged_at = 0;
    if (!details["merged_at"].get_int64().get(merged_at)) pr.merged_at = merged_at;
    dom::array labels;
    if (details["labels"].get_array().get(labels)) return false;
    for (auto label : labels) {
        std::string_view text;
        if (label.get_string().get(text)) return false;
        pr.labels.emplace_back(text);
    }
    return true;
}

}  // namespace

std::optional<ledger_entry> read_ledger_entry(std::string_view record) {
    thread_local dom::parser parser;
    dom::object root;
    if (parser.parse(record.data(), record.size()).get_object().get(root)) return std::nullopt;
    ledger_entry out;
    if (!read_string(root, "kind", out.kind) || !read_string(root, "component", out.component) ||
        !read_string(root, "participant", out.participant) || !read_string(root, "pending", out.pending_login, false))
        return std::nullopt;
    int64_t points = 0, at = 0;
    if (root["points"].get_int64().get(points) || root["at"].get_int64().get(at)) return std::nullopt;
    out.points = points;
    out.at = at;
    dom::array contrib;
    if (root["contrib"].get_array().get(contrib)) return std::nullopt;
    for (auto part : contrib) {
        dom::array triple;
        std::string_view board, member;
        int64_t value = 0;
        if (part.get_array().get(triple) || triple.size() != 3 || triple.at(0).get_string().get(board) ||
            triple.at(1).get_string().get(member) || triple.at(2).get_int64().get(value))
            return std::nullopt;
        out.contributions.push_back({std::string(board), std::string(member), value});
    }
    if (out.kind == "pull_request") {
        dom::object details;
        pull_request_facts pr;
        if (root["details"].get_object().get(details) || !read_facts(details, pr)) return std::nullopt;
        out.facts = std::move(pr);
    }
    return out;
}

}  // namespace lb::engine
