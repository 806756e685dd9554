#pragma once
#include <string>
#include <vector>

namespace lb::engine {

// A Lua script with its SHA1, loaded once per connection and called by SHA.
class lua_script {
public:
    explicit lua_script(std::string source);
    const std::string& source() const { return source_; }
    const std::string& sha() const { return sha_; }

private:
    std::string source_;
    std::string sha_;
};

// engine/store/lua/<name>.lua; each file says what its KEYS and ARGV are.
const lua_script& apply_award_script();        // sets a subject's award, moves every board by the difference
const lua_script& read_board_script();         // a range of a board, the frozen copy for the public view
const lua_script& read_member_script();        // one member's rank and score on several boards
const lua_script& freeze_script();             // an organizer's freeze or unfreeze
const lua_script& roster_write_script();       // run-time team and participant rows
const lua_script& decide_model_script();       // a verdict, then the whole model's state
const lua_script& store_submission_script();   // a new submission, once
const lua_script& store_token_script();        // a submission token's digest
const lua_script& revoke_tokens_script();      // every token of a participant
const lua_script& claim_idempotency_script();  // an Idempotency-Key: claim it or read its answer
const lua_script& move_keys_script();          // a recompute's rebuilt keys over the live ones
const lua_script& release_script();            // a lock or hold, if still the caller's
const lua_script& replace_versioned_script();  // a {rev, value} hash, if unchanged since read
const lua_script& sign_up_script();            // a person's sign-up, queued unless a login is taken
const lua_script& raise_level_script();         // a person's level, kept when it rises
const lua_script& decide_sign_up_script();     // an organizer's approval (a community id) or rejection
const lua_script& move_chapter_script();       // a person to another chapter of a kind, from a time on
const lua_script& read_merge_day_script();     // one day of the community's merges as one string
const lua_script& read_movers_script();        // the people who ever moved chapters, with their records

// Every script, for loading them when a connection opens.
const std::vector<const lua_script*>& all_scripts();

}  // namespace lb::engine
