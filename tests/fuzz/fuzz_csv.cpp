// CSV uploads: the tokenizer, the header check, and the roster and score rows built on it.
#include <cstdint>
#include <string>

#include "contest.hpp"
#include "csv.hpp"
#include "roster_rows.hpp"
#include "untrusted_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = lb::engine::parse_csv(text);
    if (table.error.empty()) {
        auto rows = lb::engine::csv_to_rows(table, {"participant", "points"});
        lb::engine::to_text(rows.rows);  // cells go into answers: they must serialize
    }
    static const lb::engine::roster current({{"shanghai", {"Shanghai", "上海"}, lb::engine::team_kind::city}},
                                            {{"ann", "Ann", {{"github", "ann"}}, "", {"shanghai"}}});
    lb::engine::parse_participant_import(current, "text/csv", text);
    lb::engine::parse_team_import(current, "text/csv", text);
    return 0;
}
