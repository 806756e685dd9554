#include "lua_script.hpp"

#include <openssl/sha.h>

namespace lb::engine {

lua_script::lua_script(std::string source) : source_(std::move(source)) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
    static const char hex[] = "0123456789abcdef";
    for (unsigned char byte : digest) {
        sha_ += hex[byte >> 4];
        sha_ += hex[byte & 15];
    }
}

}  // namespace lb::engine
