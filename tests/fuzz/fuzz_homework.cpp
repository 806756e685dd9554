// Homework from outside: a participant's hand-in body, a judge's score body, a stored
// hand-in record and a hand-in id. Whatever is taken has a link of the allowed shape, a note
// and comment within their lengths, a score within 0..max, and stores back as the same record;
// every refusal names its field.
#include <cstdint>
#include <string_view>

#include "config_loader.hpp"
#include "homework.hpp"
#include "untrusted_json.hpp"
#include "utf8.hpp"

namespace {

const lb::engine::contest& camp() {
    static const lb::engine::config cfg = [] {
        auto document = nlohmann::json::parse(R"({"admin_token_env": "LB_ADMIN_TOKEN", "contests": [{"id": "camp", "title": "Camp",
          "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-22T00:00:00Z", "repos": [],
          "participants": [{"id": "ann", "name": "Ann", "github": "ann-gh"}],
          "rules": {"components": [{"id": "homework", "max": 100, "submissions": {"late": "accept", "combine": "mean",
            "assignments": [{"id": "w1", "opens_at": "2026-12-01T00:00:00Z", "due_at": "2026-12-08T00:00:00Z"},
                            {"id": "w2", "opens_at": "2026-12-08T00:00:00Z", "due_at": "2026-12-15T00:00:00Z"}]}}]}}]})");
        return lb::engine::load_config(document).value;
    }();
    return cfg.contests.at(0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto& c = camp();
    lb::engine::read_hand_in_id(text);
    if (auto stored = lb::engine::hand_in::from_text(text))
        if (!lb::engine::hand_in::from_text(lb::engine::to_text(stored->to_json()))) __builtin_trap();  // stores back
    auto parsed = lb::engine::parse_untrusted_json(text);
    if (!parsed.ok()) return 0;
    for (long long now : {1796083200LL + 86400, 1796083200LL + 10 * 86400, 1796083200LL + 30 * 86400}) {
        auto read = lb::engine::read_hand_in(c, parsed.value, now);
        if (auto* refused = std::get_if<lb::engine::write_refusal>(&read)) {
            if (refused->message.find(':') == std::string::npos || refused->error.empty()) __builtin_trap();
            continue;
        }
        const auto& h = std::get<lb::engine::hand_in>(read);
        bool web = (h.url.starts_with("https://") && h.url.size() > 8) || (h.url.starts_with("http://") && h.url.size() > 7);
        if (!web || h.url.size() > 500 || h.url.find_first_of(" \t\r\n") != std::string::npos || h.note.size() > 500 || !lb::engine::valid_utf8(h.note)) __builtin_trap();
        if (!c.find_component(h.component) || !c.find_component(h.component)->submissions->find(h.assignment)) __builtin_trap();
    }
    const auto& rule = *c.find_component("homework");
    auto score = lb::engine::read_homework_score(rule, parsed.value);
    if (auto* s = std::get_if<lb::engine::homework_score>(&score)) {
        if (s->points < 0 || s->points > rule.max || s->comment.size() > 500) __builtin_trap();
    } else if (std::get<lb::engine::write_refusal>(score).message.find(':') == std::string::npos) {
        __builtin_trap();
    }
    return 0;
}
