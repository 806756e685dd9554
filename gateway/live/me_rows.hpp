#pragma once
// A viewer's own row ("me"), wherever it stands on the board: one read per distinct
// id in a group, one frame per id. Pure apart from the commands it builds.
#include <string>
#include <vector>

#include "contest.hpp"
#include "redis_types.hpp"

namespace lb::gateway {

std::vector<engine::redis_command> me_row_commands(const engine::contest& c, const std::string& board, bool public_view,
                                                   const std::vector<std::string>& ids);
// One "me" frame per id, in the order of ids (row null when the id is not on the board).
std::vector<std::string> me_row_frames(const engine::contest& c, const std::string& board, const std::vector<std::string>& ids,
                                       const std::vector<engine::redis_value>& replies);

}  // namespace lb::gateway
