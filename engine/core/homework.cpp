#include "homework.hpp"

#include "fixed_points.hpp"
#include "json_reader.hpp"
#include "rfc3339.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace lb::engine {

using json = nlohmann::json;

namespace {

constexpr std::size_t max_homework_text_bytes = 500;

write_refusal homework_field_error(std::string message) { return {400, "bad_field", std::move(message)}; }

}  // namespace

std::string hand_in::id() const { return component + ":" + assignment + ":" + participant; }

json hand_in::to_json() const {
    json j{{"component", component}, {"assignment", assignment}, {"participant", participant}, {"url", url}, {"note", note},
           {"handed_at", handed_at}, {"late", late}};
    if (score) j.update({{"score", *score}, {"judge", judge}, {"comment", comment}, {"scored_at", scored_at}});
    return j;
}

std::optional<hand_in> hand_in::from_text(std::string_view text) {
    auto parsed = parse_untrusted_json(text);
    if (!parsed.ok() || !parsed.value.is_object()) return std::nullopt;
    const auto& j = parsed.value;
    hand_in h;
    auto component = string_at(j, "component");
    auto assignment = string_at(j, "assignment");
    auto participant = string_at(j, "participant");
    auto handed_at = integer_at(j, "handed_at");
    if (!component || !assignment || !participant || !handed_at) return std::nullopt;
    h.component = *component;
    h.assignment = *assignment;
    h.participant = *participant;
    h.url = string_at(j, "url").value_or("");
    h.note = string_at(j, "note").value_or("");
    h.handed_at = *handed_at;
    h.late = bool_at(j, "late").value_or(false);
    if (auto score = integer_at(j, "score")) {
        h.score = *score;
        h.judge = string_at(j, "judge").value_or("");
        h.comment = string_at(j, "comment").value_or("");
        h.scored_at = integer_at(j, "scored_at").value_or(0);
    }
    return h;
}

std::variant<hand_in, write_refusal> read_hand_in(const contest& c, const json& body, unix_seconds now) {
    auto component_id = string_at(body, "component");
    if (!component_id) return homework_field_error("component: expected a component id");
    const component_rule* rule = c.find_component(*component_id);
    if (!rule || !rule->submissions)
        return homework_field_error("component: contest \"" + c.id + "\" takes no homework for \"" + *component_id + "\"");
    auto assignment_id = string_at(body, "assignment");
    if (!assignment_id) return homework_field_error("assignment: expected an assignment id");
    const assignment_rule* assignment = rule->submissions->find(*assignment_id);
    if (!assignment) return homework_field_error("assignment: component \"" + rule->id + "\" has no assignment \"" + *assignment_id + "\"");
    auto url = string_at(body, "url");
    if (!url || !is_web_link(*url))
        return homework_field_error("url: expected an http(s) URL of at most 500 bytes");
    std::string note;
    if (body.contains("note") && !body["note"].is_null()) {
        auto given = string_at(body, "note");
        if (!given || given->size() > max_homework_text_bytes || !valid_utf8(*given))
            return homework_field_error("note: expected text of at most 500 bytes");
        note = *given;
    }
    if (now < assignment->opens_at)
        return write_refusal{409, "not_open", "assignment: \"" + assignment->id + "\" opens at " + format_rfc3339(assignment->opens_at)};
    bool late = now >= assignment->due_at;
    if (late && !rule->submissions->accept_late)
        return write_refusal{409, "past_due", "assignment: \"" + assignment->id + "\" was due at " + format_rfc3339(assignment->due_at)};
    if (now >= c.ends_at) return write_refusal{409, "contest_closed", "assignment: homework is handed in before the contest's ends_at"};
    hand_in h;
    h.component = rule->id;
    h.assignment = assignment->id;
    h.url = *url;
    h.note = std::move(note);
    h.handed_at = now;
    h.late = late;
    return h;
}

std::variant<homework_score, write_refusal> read_homework_score(const component_rule& rule, const json& body) {
    auto points = number_at(body, "points");
    auto centis = points ? to_centi(*points) : std::nullopt;
    if (!centis || *centis < 0 || *centis > rule.max)
        return homework_field_error("points: expected a number from 0 to " + format_centi(rule.max) + " with at most two decimals");
    homework_score out{*centis, ""};
    if (body.contains("comment") && !body["comment"].is_null()) {
        auto comment = string_at(body, "comment");
        if (!comment || comment->size() > max_homework_text_bytes || !valid_utf8(*comment))
            return homework_field_error("comment: expected text of at most 500 bytes");
        out.comment = *comment;
    }
    return out;
}

award homework_award(const contest& c, const participant& p, const component_rule& rule, const hand_in& h, std::int64_t version,
                     unix_seconds at) {
    centi score = h.score.value_or(0);
    auto count = static_cast<centi>(rule.submissions ? rule.submissions->assignments.size() : 1);
    // The mean's share, rounded half away from zero like every fixed-point value here.
    centi points = rule.submissions && rule.submissions->mean && count > 1 ? (score * 2 + count) / (count * 2) : score;
    award a;
    a.subject = "homework:" + h.id();
    a.kind = "homework";
    a.component = rule.id;
    a.participant = p.id;
    a.points = points;
    a.at = at;
    a.version = version;
    a.reason = "homework " + h.assignment;
    a.details = {{"assignment", h.assignment}, {"judge", h.judge}, {"url", h.url}, {"score", score}};
    if (!h.comment.empty()) a.details["comment"] = h.comment;
    a.contributions = contributions_for(c, p, rule.id, points, at);
    return a;
}

std::optional<hand_in_key> read_hand_in_id(std::string_view id) {
    auto first = id.find(':');
    auto second = first == std::string_view::npos ? first : id.find(':', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    hand_in_key key{std::string(id.substr(0, first)), std::string(id.substr(first + 1, second - first - 1)), std::string(id.substr(second + 1))};
    if (!is_plain_id(key.component) || !is_plain_id(key.assignment) || !is_plain_id(key.participant)) return std::nullopt;
    return key;
}

}  // namespace lb::engine
