#pragma once
// The store's Lua scripts, as written in engine/store/lua/*.lua (embedded at build time).
namespace lb::engine::lua {

extern const char* const apply_award;
extern const char* const read_board;
extern const char* const read_member;
extern const char* const freeze;
extern const char* const roster_write;
extern const char* const decide_model;
extern const char* const store_submission;
extern const char* const store_token;
extern const char* const revoke_tokens;
extern const char* const claim_idempotency;
extern const char* const move_keys;
extern const char* const release;
extern const char* const replace_versioned;
extern const char* const sign_up;
extern const char* const decide_sign_up;
extern const char* const raise_level;
extern const char* const move_chapter;
extern const char* const read_merge_day;
extern const char* const read_movers;

}  // namespace lb::engine::lua
