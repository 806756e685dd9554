#include <doctest/doctest.h>

#include "redis_url.hpp"
#include "sentinel.hpp"
#include "live/award_feed.hpp"

using namespace lb::engine;

TEST_CASE("a direct Redis URL gives host, port and database") {
    auto e = parse_redis_url("redis://10.0.0.5:6380/3");
    REQUIRE(e);
    CHECK(e->host == "10.0.0.5");
    CHECK(e->port == 6380);
    CHECK(e->database == 3);
    CHECK_FALSE(e->through_sentinels());
    CHECK(parse_redis_url("redis://")->port == 6379);
    CHECK_FALSE(parse_redis_url("redis://u:secret@h:6379/0"));  // no passwords in URLs
    CHECK_FALSE(parse_redis_url("redis://h:0/0"));
    CHECK_FALSE(parse_redis_url("redis://h:6379/x"));
    CHECK_FALSE(parse_redis_url("http://h:6379/0"));
}

TEST_CASE("a sentinel URL lists the sentinels, the primary's name and the database") {
    auto e = parse_redis_url("redis-sentinel://s1:26380,10.0.0.2,s3:26381/mymaster/4");
    REQUIRE(e);
    CHECK(e->through_sentinels());
    REQUIRE(e->sentinels.size() == 3);
    CHECK(e->sentinels[0].host == "s1");
    CHECK(e->sentinels[0].port == 26380);
    CHECK(e->sentinels[1].host == "10.0.0.2");
    CHECK(e->sentinels[1].port == 26379);  // Sentinel's own default
    CHECK(e->sentinels[2].port == 26381);
    CHECK(e->primary_name == "mymaster");
    CHECK(e->database == 4);
    CHECK(parse_redis_url("redis-sentinel://s1/lb")->database == 0);
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1:26379"));          // no name
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1:26379/"));         // empty name
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1:26379/a b"));      // not a name
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1:99999/lb"));
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1,,s2/lb"));         // an empty sentinel
    CHECK_FALSE(parse_redis_url("redis-sentinel://x:y@s1/lb"));
    CHECK_FALSE(parse_redis_url("redis-sentinel://s1/lb/-1"));
}

TEST_CASE("the sentinels' answers are read strictly") {
    redis_value address{redis_value::type::array, 0, "", {{redis_value::type::string, 0, "10.0.0.7", {}},
                                                          {redis_value::type::string, 0, "6381", {}}}};
    auto primary = read_primary_address(address);
    REQUIRE(primary);
    CHECK(primary->host == "10.0.0.7");
    CHECK(primary->port == 6381);
    CHECK_FALSE(read_primary_address(redis_value{}));  // nil: the name is not monitored
    address.elements[1].text = "63x";
    CHECK_FALSE(read_primary_address(address));
    address.elements[1].text = "70000";
    CHECK_FALSE(read_primary_address(address));
    CHECK_FALSE(read_primary_address(redis_value::error("ERR unknown command")));

    redis_value role{redis_value::type::array, 0, "", {{redis_value::type::string, 0, "master", {}}}};
    CHECK(role_is_primary(role));
    role.elements[0].text = "slave";
    CHECK_FALSE(role_is_primary(role));
    CHECK_FALSE(role_is_primary(redis_value::error("LOADING")));

    CHECK(switch_concerns("lb 127.0.0.1 7001 127.0.0.1 7002", "lb"));
    CHECK_FALSE(switch_concerns("lb2 127.0.0.1 7001 127.0.0.1 7002", "lb"));
    CHECK_FALSE(switch_concerns("lb", "lb"));
}

TEST_CASE("reads go to a replica only when it is up and linked to its primary") {
    auto replica = [](std::string ip, std::string port, std::string flags, std::string link) {
        redis_value r{redis_value::type::array, 0, "", {}};
        for (auto [k, v] : std::vector<std::pair<std::string, std::string>>{
                 {"name", ip + ":" + port}, {"ip", ip}, {"port", port}, {"flags", flags}, {"master-link-status", link}})
            r.elements.push_back({redis_value::type::string, 0, k, {}}), r.elements.push_back({redis_value::type::string, 0, v, {}});
        return r;
    };
    redis_value list{redis_value::type::array, 0, "", {replica("10.0.0.2", "6380", "s_down,slave", "ok"),
                                                        replica("10.0.0.3", "6381", "slave", "err"),
                                                        replica("10.0.0.4", "6382", "slave,disconnected", "ok"),
                                                        replica("10.0.0.5", "6383", "slave", "ok")}};
    auto chosen = read_healthy_replica(list);
    REQUIRE(chosen);
    CHECK(chosen->host == "10.0.0.5");
    CHECK(chosen->port == 6383);
    list.elements.pop_back();
    CHECK_FALSE(read_healthy_replica(list));  // none healthy: the caller reads the primary
    CHECK_FALSE(read_healthy_replica(redis_value::error("ERR No such master with that name")));
}

TEST_CASE("award-log ids compare by time, then by sequence") {
    using lb::gateway::log_id_before;
    CHECK(log_id_before("0-0", "1-0"));
    CHECK(log_id_before("1733100000000-5", "1733100000000-12"));   // not as text
    CHECK(log_id_before("999-9", "1000-0"));
    CHECK_FALSE(log_id_before("1000-0", "999-9"));
    CHECK_FALSE(log_id_before("5-5", "5-5"));
}
