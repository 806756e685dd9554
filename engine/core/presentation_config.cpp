#include "presentation_config.hpp"

#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "json_reader.hpp"

namespace lb::engine {
namespace {

using nlohmann::json;

const std::regex colour_pattern("#[0-9a-fA-F]{6}");

std::optional<brand> load_brand(json_reader& r, const json& node, const std::string& path, const std::string& branding_dir) {
    if (!r.object(node, path)) return std::nullopt;
    brand b;
    b.color = r.string(node, path, "color", false).value_or("");
    if (!b.color.empty() && !std::regex_match(b.color, colour_pattern)) r.fail(path + ".color", "expected a colour like \"#1d4ed8\"");
    b.logo = r.string(node, path, "logo", false).value_or("");
    if (!b.logo.empty()) {
        if (!logo_content_type(b.logo))
            r.fail(path + ".logo", "expected a plain file name ending in .png, .svg, .jpg, .jpeg or .webp");
        else if (!std::ifstream(branding_dir + "/" + b.logo, std::ios::binary))
            r.fail(path + ".logo", "no file \"" + b.logo + "\" in the branding folder " + branding_dir);
    }
    return b;
}

void load_screen(json_reader& r, const json& node, const std::string& path, contest& c) {
    if (!r.object(node, path)) return;
    c.screen.race = r.strings(node, path, "race");
    for (std::size_t i = 0; i < c.screen.race.size(); ++i)
        if (!c.screen.race[i].starts_with("teams") || !c.has_board(c.screen.race[i]))
            r.fail(path + ".race[" + std::to_string(i) + "]", "expected one of this contest's team boards, like \"teams:city\"");
    if (auto seconds = r.number(node, path, "rotate_seconds", false)) {
        if (*seconds != 0 && (*seconds < 5 || *seconds > 3600)) r.fail(path + ".rotate_seconds", "expected 0 (no rotation) or 5 to 3600");
        else c.screen.rotate_seconds = static_cast<long long>(*seconds);
    }
}

// "placings": [{"from": 1, "to": 1, "title": {"en", "zh"}}, ...]: at most 20, ranks 1..1000, none overlapping.
void load_placings(json_reader& r, const json& node, const std::string& path, contest& c) {
    if (!node.is_array() || node.size() > 20) return r.fail(path, "expected a list of at most 20 placings");
    for (std::size_t i = 0; i < node.size(); ++i) {
        auto where = indexed_path(path, i);
        if (!r.object(node[i], where)) continue;
        auto from = r.number(node[i], where, "from", true);
        auto to = r.number(node[i], where, "to", true);
        auto title = r.text(node[i], where, "title");
        if (!from || !to || !title) continue;
        auto whole = [](double v) { return v == static_cast<double>(static_cast<long long>(v)) && v >= 1 && v <= 1000; };
        if (!whole(*from)) { r.fail(where + ".from", "expected a rank from 1 to 1000"); continue; }
        if (!whole(*to) || *to < *from) { r.fail(where + ".to", "expected a rank from \"from\" to 1000"); continue; }
        placing_rule p{static_cast<long long>(*from), static_cast<long long>(*to), *title};
        for (const auto& other : c.placings)
            if (p.from <= other.to && other.from <= p.to) r.fail(where, "overlaps the ranks of another placing");
        c.placings.push_back(std::move(p));
    }
}

}  // namespace

std::string load_branding_dir(json_reader& r, const json& document, const std::string& base_dir) {
    auto dir = r.string(document, "", "branding_dir", false).value_or("branding");
    return dir.starts_with("/") ? dir : base_dir + "/" + dir;
}

void load_presentation(json_reader& r, const json& node, const std::string& path, contest& c, const std::string& branding_dir) {
    if (const json* branding = r.member(node, path, "branding", false); branding && r.object(*branding, path + ".branding")) {
        auto own = json::object();
        for (const char* key : {"color", "logo"})
            if (branding->contains(key)) own[key] = (*branding)[key];
        if (auto b = load_brand(r, own, path + ".branding", branding_dir)) c.branding = *b;
        if (const json* teams = r.member(*branding, path + ".branding", "teams", false);
            teams && r.object(*teams, path + ".branding.teams"))
            for (const auto& [team_id, value] : teams->items()) {
                auto team_path = path + ".branding.teams." + team_id;
                if (!c.find_team(team_id)) r.fail(team_path, "no team \"" + team_id + "\" in this contest");
                else if (auto b = load_brand(r, value, team_path, branding_dir)) c.team_branding[team_id] = *b;
            }
    }
    if (const json* screen = r.member(node, path, "screen", false)) load_screen(r, *screen, path + ".screen", c);
    if (const json* placings = r.member(node, path, "placings", false)) load_placings(r, *placings, path + ".placings", c);
}

std::optional<std::string_view> logo_content_type(std::string_view name) {
    static const std::regex plain_name("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");
    if (!std::regex_match(name.begin(), name.end(), plain_name) || name.find("..") != std::string_view::npos) return std::nullopt;
    static const std::pair<std::string_view, std::string_view> types[] = {
        {".png", "image/png"}, {".svg", "image/svg+xml"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"}};
    for (const auto& [suffix, type] : types)
        if (name.size() > suffix.size() && name.ends_with(suffix)) return type;
    return std::nullopt;
}

}  // namespace lb::engine
