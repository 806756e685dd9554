#include "lua_script.hpp"

#include <openssl/sha.h>

#include "hex.hpp"

namespace lb::engine {

lua_script::lua_script(std::string source) : source_(std::move(source)) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
    sha_ = to_hex(digest, sizeof digest);
}

}  // namespace lb::engine
