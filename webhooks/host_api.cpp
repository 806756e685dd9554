#include "host_api.hpp"

#include <algorithm>
#include <map>

#include "rfc3339.hpp"
#include "untrusted_json.hpp"

namespace lb::webhooks {
namespace {

using nlohmann::json;

std::variant<const json*, std::string> top_array(const engine::parsed_json& parsed) {
    if (!parsed.ok()) return "(body): " + parsed.error;
    if (!parsed.value.is_array()) return std::string("(body): expected a JSON array");
    return &parsed.value;
}

// One PR object of a list into facts; returns the failing "field: expected ..." or "".
std::string read_pull(const json& item, engine::pull_request_facts& pr) {
    auto number = engine::integer_at(item, "number");
    if (!number || *number < 1) return "number: expected a positive integer";
    pr.number = *number;
    auto url = engine::string_at(item, "html_url");
    if (!url) return "html_url: expected a string";
    pr.url = *url;
    pr.title = engine::string_at(item, "title").value_or("");
    const json* user = engine::object_at(item, "user");
    auto login = user ? engine::string_at(*user, "login") : std::nullopt;
    if (!login || login->empty()) return "user.login: expected a string";
    pr.author = *login;
    const json* labels = engine::array_at(item, "labels");
    if (!labels) return "labels: expected an array";
    for (const auto& label : *labels) {
        auto name = engine::string_at(label, "name");
        if (!name) return "labels[].name: expected a string";
        pr.labels.push_back(*name);
    }
    auto updated_text = engine::string_at(item, "updated_at");
    auto updated = updated_text ? engine::parse_rfc3339(*updated_text) : std::nullopt;
    if (!updated) return "updated_at: expected an RFC 3339 time";
    auto merged_at = item.is_object() && item.contains("merged_at") ? &item["merged_at"] : nullptr;
    if (!merged_at) return "merged_at: expected a time or null";
    if (!merged_at->is_null() && !(merged_at->is_string() && merged_at->get_ref<const std::string&>().empty())) {
        auto text = engine::string_at(item, "merged_at");
        if (!text || !(pr.merged_at = engine::parse_rfc3339(*text))) return "merged_at: expected an RFC 3339 time or null";
    }
    pr.merged = pr.merged_at.has_value();
    // As for webhooks: the state's time orders the states of one PR (and is never before its merge).
    pr.updated_at = std::max(*updated, pr.merged_at.value_or(*updated));
    return "";
}

// One item of GitLab's merge request list.
std::string read_merge_request(const json& item, engine::pull_request_facts& pr) {
    auto number = engine::integer_at(item, "iid");
    if (!number || *number < 1) return "iid: expected a positive integer";
    pr.number = *number;
    auto url = engine::string_at(item, "web_url");
    if (!url) return "web_url: expected a string";
    pr.url = *url;
    pr.title = engine::string_at(item, "title").value_or("");
    const json* author = engine::object_at(item, "author");
    auto login = author ? engine::string_at(*author, "username") : std::nullopt;
    if (!login || login->empty()) return "author.username: expected a string";
    pr.author = *login;
    const json* labels = engine::array_at(item, "labels");
    if (!labels) return "labels: expected an array";
    for (const auto& label : *labels) {
        // Strings by default; objects with a name when asked with with_labels_details.
        auto name = label.is_string() ? std::optional<std::string>(label.get<std::string>()) : engine::string_at(label, "name");
        if (!name) return "labels[]: expected a string";
        pr.labels.push_back(*name);
    }
    auto updated_text = engine::string_at(item, "updated_at");
    auto updated = updated_text ? engine::parse_rfc3339(*updated_text) : std::nullopt;
    if (!updated) return "updated_at: expected an RFC 3339 time";
    auto merged_text = engine::string_at(item, "merged_at");
    if (merged_text && !(pr.merged_at = engine::parse_rfc3339(*merged_text))) return "merged_at: expected an RFC 3339 time or null";
    pr.merged = pr.merged_at.has_value() && engine::string_at(item, "state").value_or("merged") == "merged";
    pr.updated_at = std::max(*updated, pr.merged_at.value_or(*updated));
    return "";
}

std::variant<pull_list, std::string> read_list(std::string_view host, std::string_view repo, std::string_view body,
                                               std::string (*read_item)(const json&, engine::pull_request_facts&)) {
    auto parsed = engine::parse_untrusted_json(body);
    auto items = top_array(parsed);
    if (auto* error = std::get_if<std::string>(&items)) return *error;
    pull_list out;
    std::size_t index = 0;
    for (const auto& item : *std::get<const json*>(items)) {
        ++out.listed;
        engine::pull_request_facts pr;
        pr.host = std::string(host);
        pr.repo = std::string(repo);
        auto error = item.is_object() ? read_item(item, pr) : "expected an object";
        if (!error.empty()) out.errors.push_back("[" + std::to_string(index) + "]." + error);
        else {
            out.oldest_update = std::min(out.oldest_update.value_or(pr.updated_at), pr.updated_at);
            if (pr.merged) out.merged.push_back(std::move(pr));
        }
        ++index;
    }
    return out;
}

}  // namespace

std::variant<pull_list, std::string> read_merge_request_list(std::string_view host, std::string_view repo, std::string_view body) {
    return read_list(host, repo, body, read_merge_request);
}

std::variant<pull_list, std::string> read_pull_list(std::string_view host, std::string_view repo, std::string_view body) {
    return read_list(host, repo, body, read_pull);
}

std::variant<host_user, std::string> read_host_user(std::string_view body) {
    auto parsed = engine::parse_untrusted_json(body);
    if (!parsed.ok()) return "(body): " + parsed.error;
    if (!parsed.value.is_object()) return std::string("(body): expected a JSON object");
    host_user out;
    auto login = engine::string_at(parsed.value, "username");
    if (!login) login = engine::string_at(parsed.value, "login");
    if (!login || login->empty() || login->size() > 255) return std::string("login: expected a string (username on GitLab)");
    for (char c : *login)
        if (static_cast<unsigned char>(c) < 0x20) return std::string("login: a control character");
    out.login = *login;
    const auto* id = parsed.value.contains("id") ? &parsed.value["id"] : nullptr;
    if (id && id->is_number_integer()) out.id = std::to_string(id->get<long long>());
    else if (id && id->is_number_unsigned()) out.id = std::to_string(id->get<unsigned long long>());
    else if (id && id->is_string() && !id->get_ref<const std::string&>().empty() && id->get_ref<const std::string&>().size() <= 64)
        out.id = id->get<std::string>();
    else return std::string("id: expected an integer or a string");
    return out;
}

std::variant<std::vector<hook_delivery>, std::string> read_hook_deliveries(std::string_view body) {
    auto parsed = engine::parse_untrusted_json(body);
    auto items = top_array(parsed);
    if (auto* error = std::get_if<std::string>(&items)) return *error;
    std::vector<hook_delivery> out;
    std::size_t index = 0;
    for (const auto& item : *std::get<const json*>(items)) {
        auto where = "[" + std::to_string(index++) + "].";
        hook_delivery d;
        auto id = engine::integer_at(item, "id");
        auto guid = engine::string_at(item, "guid");
        auto delivered = engine::string_at(item, "delivered_at");
        auto at = delivered ? engine::parse_rfc3339(*delivered) : std::nullopt;
        auto status = engine::integer_at(item, "status_code");
        if (!id || *id < 1) return where + "id: expected a positive integer";
        if (!guid || guid->empty()) return where + "guid: expected a string";
        if (!at) return where + "delivered_at: expected an RFC 3339 time";
        if (!status || *status < 0 || *status > 999) return where + "status_code: expected an HTTP status";
        d.id = *id;
        d.guid = *guid;
        d.delivered_at = *at;
        d.status_code = static_cast<int>(*status);
        d.event = engine::string_at(item, "event").value_or("");
        out.push_back(std::move(d));
    }
    return out;
}

std::variant<std::vector<repo_hook>, std::string> read_repo_hooks(std::string_view body) {
    auto parsed = engine::parse_untrusted_json(body);
    auto items = top_array(parsed);
    if (auto* error = std::get_if<std::string>(&items)) return *error;
    std::vector<repo_hook> out;
    std::size_t index = 0;
    for (const auto& item : *std::get<const json*>(items)) {
        auto where = "[" + std::to_string(index++) + "].";
        auto id = engine::integer_at(item, "id");
        const json* config = engine::object_at(item, "config");
        auto url = config ? engine::string_at(*config, "url") : std::nullopt;
        if (!id || *id < 1) return where + "id: expected a positive integer";
        if (!url) return where + "config.url: expected a string";
        out.push_back({*id, *url, engine::bool_at(item, "active").value_or(false)});
    }
    return out;
}

std::string next_link(std::string_view header) {
    // <https://api.github.com/...?cursor=x>; rel="next", <...>; rel="prev"
    std::size_t at = 0;
    while (at < header.size()) {
        auto open = header.find('<', at);
        if (open == std::string_view::npos) return "";
        auto close = header.find('>', open);
        if (close == std::string_view::npos) return "";
        auto end = header.find(',', close);
        auto params = header.substr(close + 1, end == std::string_view::npos ? std::string_view::npos : end - close - 1);
        if (params.find("rel=\"next\"") != std::string_view::npos || params.find("rel=next") != std::string_view::npos)
            return std::string(header.substr(open + 1, close - open - 1));
        if (end == std::string_view::npos) return "";
        at = end + 1;
    }
    return "";
}

std::vector<hook_delivery> deliveries_to_redeliver(const std::vector<hook_delivery>& deliveries, std::string_view event) {
    std::map<std::string, const hook_delivery*> latest;
    std::map<std::string, bool> answered;
    for (const auto& d : deliveries) {
        if (!event.empty() && d.event != event) continue;
        auto& last = latest[d.guid];
        if (!last || d.delivered_at > last->delivered_at || (d.delivered_at == last->delivered_at && d.id > last->id)) last = &d;
        answered[d.guid] = answered[d.guid] || d.ok();
    }
    std::vector<hook_delivery> out;
    for (const auto& [guid, d] : latest)
        if (!answered[guid]) out.push_back(*d);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.delivered_at < b.delivered_at; });
    return out;
}

}  // namespace lb::webhooks
