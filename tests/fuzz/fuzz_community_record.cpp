// The community's records read back from Redis: a stored person (its sign-up time and
// memberships, and the moves they make in a contest's roster) and a day of merges as one string
// (engine/store/lua/read_merge_day.lua).
#include <cstdint>
#include <string>
#include <string_view>

#include "merge_days.hpp"
#include "seasons.hpp"
#include "team_moves.hpp"
#include "untrusted_json.hpp"

namespace {

const std::vector<lb::engine::team>& fuzz_teams() {
    using lb::engine::team_kind;
    static const std::vector<lb::engine::team> teams{
        {"sh", {"Shanghai", "上海"}, team_kind::city}, {"bj", {"Beijing", "北京"}, team_kind::city}, {"pku", {"PKU", "北京大学"}, team_kind::school}};
    return teams;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    lb::engine::registered_at_of(text);
    if (auto facts = lb::engine::read_member_facts(text))
        for (const auto& m : facts->memberships)
            if (m.chapter.empty()) __builtin_trap();  // an empty chapter is never a membership
    // A mover's record as the roster store reads it: every move goes to a team of its kind, or none.
    auto record = lb::engine::parse_untrusted_json(text);
    if (record.ok()) {
        auto moves = lb::engine::team_moves(fuzz_teams(), lb::engine::read_memberships(record.value));
        for (std::size_t i = 0; i < moves.size(); ++i) {
            if (i > 0 && moves[i].since < moves[i - 1].since) __builtin_trap();
            if (moves[i].team.empty()) continue;
            const auto* t = lb::engine::team_named(fuzz_teams(), moves[i].kind, moves[i].team);
            if (!t || t->id != moves[i].team) __builtin_trap();
        }
    }
    lb::engine::visit_merge_day(text, 100, 2000000000, [&](lb::engine::unix_seconds at, std::string_view subject, std::string_view login) {
        if (at < 100 || at >= 2000000000) __builtin_trap();  // outside the window: never visited
        if (subject.find(' ') != std::string_view::npos || login.find('\n') != std::string_view::npos) __builtin_trap();
    });
    return 0;
}
