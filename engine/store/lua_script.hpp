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

// Each engine/store/lua/<name>.lua as <name>_script(), declared in the generated lua_scripts.hpp
// (engine/CMakeLists.txt derives it from the files); each file says what its KEYS and ARGV are.
// Every script, for loading them when a connection opens.
const std::vector<const lua_script*>& all_scripts();

}  // namespace lb::engine

#include "lua_scripts.hpp"
