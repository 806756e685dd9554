#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "delivery_spool.hpp"

using lb::webhooks::delivery_spool;

namespace {

std::string fresh_dir(const char* name) {
    auto dir = std::filesystem::temp_directory_path() / (std::string("lb-spool-test-") + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    return dir.string();
}

}  // namespace

TEST_CASE("spooled lines survive a restart and replay once") {
    auto dir = fresh_dir("restart");
    {
        delivery_spool spool(dir);
        CHECK_FALSE(spool.has_pending());
        CHECK(spool.append("{\"n\":1}"));
        CHECK(spool.append("{\"n\":2}"));
        CHECK(spool.has_pending());
    }
    delivery_spool reopened(dir);
    CHECK(reopened.has_pending());
    auto lines = reopened.begin_replay();
    CHECK(lines == std::vector<std::string>{"{\"n\":1}", "{\"n\":2}"});
    CHECK(reopened.append("{\"n\":3}"));  // arrives during the replay: kept for the next one
    reopened.finish_replay();
    CHECK(reopened.has_pending());
    CHECK(reopened.begin_replay() == std::vector<std::string>{"{\"n\":3}"});
    reopened.finish_replay();
    CHECK_FALSE(reopened.has_pending());
    std::filesystem::remove_all(dir);
}

TEST_CASE("a torn last line (never acknowledged) is dropped, later lines stay whole") {
    auto dir = fresh_dir("torn");
    {
        delivery_spool spool(dir);
        CHECK(spool.append("{\"n\":1}"));
    }
    {
        std::ofstream file(dir + "/deliveries.ndjson", std::ios::app);
        file << "{\"n\":2, \"trunc";  // a crash in the middle of a write
    }
    delivery_spool spool(dir);
    CHECK(spool.append("{\"n\":3}"));
    CHECK(spool.begin_replay() == std::vector<std::string>{"{\"n\":1}", "{\"n\":3}"});
    spool.finish_replay();
    std::filesystem::remove_all(dir);
}

TEST_CASE("a replay interrupted by a crash is replayed again first") {
    auto dir = fresh_dir("crash");
    {
        delivery_spool spool(dir);
        CHECK(spool.append("a"));
        CHECK(spool.begin_replay() == std::vector<std::string>{"a"});
        CHECK(spool.append("b"));
        // no finish_replay: the process dies here
    }
    delivery_spool spool(dir);
    CHECK(spool.begin_replay() == std::vector<std::string>{"a"});
    spool.finish_replay();
    CHECK(spool.begin_replay() == std::vector<std::string>{"b"});
    spool.finish_replay();
    std::filesystem::remove_all(dir);
}
