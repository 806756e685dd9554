// Team and participant rows uploaded as JSON, checked against a roster.
#include <cstdint>
#include <string>

#include "contest.hpp"
#include "roster_rows.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    static const lb::engine::roster current({{"shanghai", {"Shanghai", "上海"}, lb::engine::team_kind::city},
                                             {"zju", {"ZJU", "浙江大学"}, lb::engine::team_kind::school}},
                                            {{"ann", "Ann", {{"github", "ann"}, {"gitee", "ann-g"}, {"gitcode", "ann_gc"}}, "", {"shanghai"}}});
    auto people = lb::engine::parse_participant_import(current, "application/json", text);
    auto teams = lb::engine::parse_team_import(current, "application/json", text);
    // Accepted rows are stored as JSON and shown: they must serialize.
    for (const auto& p : people.participants) lb::engine::to_text(lb::engine::participant_to_json(p));
    for (const auto& t : teams.teams) lb::engine::to_text(lb::engine::team_to_json(t));
    if (!people.errors.empty() && !people.participants.empty()) __builtin_trap();  // all or nothing
    return 0;
}
