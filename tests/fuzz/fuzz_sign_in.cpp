// What a sign-in reads from outside: the callback's query (through the request target parser),
// the host's token answer and user JSON for every host, the Cookie header and the return path.
// Whatever comes in, what passes is of the promised shape.
#include <cstdint>
#include <string>

#include "common/request_target.hpp"
#include "sign_in.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            for (const auto& host : lb::engine::all_hosts()) {
                const auto* defaults = lb::engine::sign_in_defaults_of(host.id);
                if (!defaults) continue;
                auto read = lb::engine::read_host_account(host, *defaults, text);
                if (auto* account = std::get_if<lb::engine::host_account>(&read))
                    if (account->id.empty() || account->id.size() > 64 || !lb::engine::valid_login(host, account->login)) __builtin_trap();
            }
            break;
        case 1: {
            auto token = lb::engine::read_token_answer(text);
            if (auto* value = std::get_if<std::string>(&token))
                for (char c : *value)
                    if (c <= 0x20 || c >= 0x7f) __builtin_trap();
            break;
        }
        case 2: {
            std::string why;
            auto target = lb::gateway::parse_target("/auth/github/callback?" + text, &why);
            if (!target) break;
            auto read = lb::engine::read_callback_query(target->query);
            if (auto* query = std::get_if<lb::engine::callback_query>(&read)) {
                if (!lb::engine::looks_like_random_token(query->state)) __builtin_trap();
                if (query->error.empty() && (query->code.empty() || query->code.size() > 512)) __builtin_trap();
            }
            break;
        }
        default: {
            auto value = lb::engine::cookie_value(text, "lb_session");
            if (value.size() > text.size()) __builtin_trap();
            if (lb::engine::local_return_path(text) && (text[0] != '/' || (text.size() > 1 && (text[1] == '/' || text[1] == '\\'))))
                __builtin_trap();
        }
    }
    return 0;
}
