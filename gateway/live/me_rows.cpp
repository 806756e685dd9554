#include "live/me_rows.hpp"

#include <charconv>

#include "award_store.hpp"
#include "live/live_frames.hpp"
#include "standings.hpp"
#include "tie_order.hpp"
#include "clock.hpp"

namespace lb::gateway {

std::vector<engine::redis_command> me_row_commands(const engine::contest& c, const std::string& board, bool public_view,
                                                   const std::vector<std::string>& ids) {
    std::vector<engine::redis_command> commands;
    for (const auto& id : ids) commands.push_back(engine::read_member_command(c, public_view, engine::now_seconds(), id, {board}));
    return commands;
}

std::vector<std::string> me_row_frames(const engine::contest& c, const std::string& board, const std::vector<std::string>& ids,
                                       const std::vector<engine::redis_value>& replies) {
    std::vector<std::string> frames;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        nlohmann::json row = nullptr;
        const auto* reply = i < replies.size() ? &replies[i] : nullptr;
        const auto* entry = reply && !reply->elements.empty() ? &reply->elements[0] : reply;
        if (reply && !reply->is_error() && entry->elements.size() == 2 && entry->elements[0].integer >= 0) {
            const auto& text = entry->elements[1].text;
            double score = 0;
            std::from_chars(text.data(), text.data() + text.size(), score);
            auto decoded = engine::decode_rank_score(score, c.starts_at);
            row = engine::standings_row_to_json(c, board, {entry->elements[0].integer + 1, ids[i], decoded.points, decoded.reached_at});
        }
        frames.push_back(me_frame(row));
    }
    return frames;
}

}  // namespace lb::gateway
