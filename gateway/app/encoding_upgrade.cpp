#include "app/encoding_upgrade.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "recompute.hpp"
#include "tie_encoding.hpp"

namespace lb::gateway {

void upgrade_tie_encoding_in_background(const engine::config& config, engine::redis_endpoint endpoint) {
    // The config generation stays alive for the whole process (config_slot never frees one).
    std::thread([&config, endpoint = std::move(endpoint)] {
        for (const auto& c : config.contests) {
            for (int attempt = 0;; ++attempt) {
                try {
                    engine::sync_redis redis(endpoint);
                    auto check = engine::bring_boards_to_current_encoding(redis, c);
                    if (check.rebuilt)
                        std::cerr << "contest " << c.id << ": boards rebuilt in this version's tie encoding from "
                                  << check.awards << " awards\n";
                    break;
                } catch (const engine::recompute_busy&) {
                    // Another process is rebuilding it: ask again once it has had time to finish.
                } catch (const std::exception& error) {
                    if (attempt % 30 == 0) std::cerr << "contest " << c.id << ": tie encoding not checked yet: " << error.what() << "\n";
                }
                std::this_thread::sleep_for(std::chrono::seconds(1));
            }
        }
    }).detach();
}

}  // namespace lb::gateway
