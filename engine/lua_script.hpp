#pragma once
#include <string>

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

// Sets a subject's award and moves every board by the difference; see store_scripts.cpp.
const lua_script& apply_award_script();
// Reads a range of a board, from the frozen copy when the caller asks for the public view.
const lua_script& read_board_script();
// Ranks of one member on several boards, public or live view.
const lua_script& read_member_script();

}  // namespace lb::engine
