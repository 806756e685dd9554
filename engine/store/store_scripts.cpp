// The store's Lua scripts (engine/store/lua/*.lua), each loaded once per connection and
// called by SHA. Each validates before it writes, so a refused call changes nothing, and
// declares in KEYS every key it touches.
#include "lua_script.hpp"
#include "lua_sources.hpp"

namespace lb::engine {

#define LB_SCRIPT(name)                             \
    const lua_script& name##_script() {             \
        static const lua_script script(lua::name);  \
        return script;                              \
    }

LB_SCRIPT(apply_award)
LB_SCRIPT(read_board)
LB_SCRIPT(read_member)
LB_SCRIPT(freeze)
LB_SCRIPT(roster_write)
LB_SCRIPT(decide_model)
LB_SCRIPT(store_submission)
LB_SCRIPT(store_token)
LB_SCRIPT(revoke_tokens)
LB_SCRIPT(claim_idempotency)
LB_SCRIPT(move_keys)
LB_SCRIPT(release)
LB_SCRIPT(replace_versioned)
LB_SCRIPT(sign_up)
LB_SCRIPT(decide_sign_up)
LB_SCRIPT(raise_level)
LB_SCRIPT(move_chapter)
LB_SCRIPT(read_merge_day)
LB_SCRIPT(read_movers)

#undef LB_SCRIPT

const std::vector<const lua_script*>& all_scripts() {
    static const std::vector<const lua_script*> scripts{
        &apply_award_script(),  &read_board_script(),       &read_member_script(), &freeze_script(),
        &roster_write_script(), &decide_model_script(),     &store_submission_script(),
        &store_token_script(),  &revoke_tokens_script(),    &claim_idempotency_script(), &move_keys_script(),
        &release_script(),      &replace_versioned_script(),    &sign_up_script(),     &decide_sign_up_script(), &raise_level_script(),
        &move_chapter_script(), &read_merge_day_script(), &read_movers_script()};
    return scripts;
}

}  // namespace lb::engine
