#pragma once
// Connects tests to the throw-away redis-server started by redis_fixture.sh.
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "redis_url.hpp"
#include "sync_redis.hpp"

namespace lb::test {

inline int fixture_port() {
    const char* dir = std::getenv("LB_TEST_REDIS_DIR");
    if (!dir) throw std::runtime_error("LB_TEST_REDIS_DIR is not set: run through ctest");
    std::ifstream file(std::string(dir) + "/port");
    int port = 0;
    if (!(file >> port)) throw std::runtime_error("no redis port file in LB_TEST_REDIS_DIR");
    return port;
}

// Each test file takes its own database so parallel tests never meet; it starts empty.
inline engine::redis_endpoint fresh_database(int database) {
    engine::redis_endpoint endpoint{"127.0.0.1", fixture_port(), database, {}, {}, false, {}};
    engine::sync_redis redis(endpoint);
    redis.run({"FLUSHDB"});
    return endpoint;
}

}  // namespace lb::test
