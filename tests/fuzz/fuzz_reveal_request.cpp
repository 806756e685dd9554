// The presenter's reveal requests (a JSON body from the outside): whatever parses and
// applies leaves a state within its bounds, and what the store then holds reads back alike.
#include <cstdint>
#include <string_view>

#include "config_loader.hpp"
#include "stage_reveal.hpp"
#include "untrusted_json.hpp"

namespace {

const lb::engine::contest& sample() {
    static const lb::engine::config loaded = lb::engine::load_config(nlohmann::json::parse(R"({"admin_token_env": "T",
      "contests": [{"id": "c", "title": "C", "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-08T00:00:00Z",
      "repos": [], "rules": {"pull_requests": {"base_points": 1}}}]})")).value;
    return loaded.contests.at(0);
}

void check(const lb::engine::reveal_state& s) {
    if (s.rows < 1 || s.rows > lb::engine::max_reveal_rows || s.step < 0 || s.step > s.rows) __builtin_trap();
    if (s.autoplay && s.step == s.rows) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = lb::engine::parse_untrusted_json(text);
    // A stored value of any shape reads back within bounds.
    check(lb::engine::reveal_state::from_json(parsed.ok() ? parsed.value : nlohmann::json()));
    if (!parsed.ok()) return 0;
    auto request = lb::engine::parse_reveal_request(parsed.value);
    auto* valid = std::get_if<lb::engine::reveal_request>(&request);
    if (!valid) return 0;
    lb::engine::reveal_state running;
    running.active = true;
    running.rows = 3;
    for (const auto& before : {lb::engine::reveal_state{}, running}) {
        auto next = lb::engine::apply_reveal(before, *valid, sample());
        if (auto* s = std::get_if<lb::engine::reveal_state>(&next)) {
            check(*s);
            check(lb::engine::reveal_state::from_json(s->to_json()));
        }
    }
    return 0;
}
