#pragma once
#include <string>

namespace lb::engine {

// A participant's or voter's write refused: the HTTP status, the error code and a message naming the field.
struct write_refusal {
    int status = 400;
    std::string error;
    std::string message;
};

}  // namespace lb::engine
