#include <doctest/doctest.h>

#include "cluster_slots.hpp"
#include "lua_script.hpp"
#include "redis_url.hpp"
#include "store_keys.hpp"

using namespace lb::engine;

namespace {

redis_value integer(long long n) { return {redis_value::type::integer, n, {}, {}}; }
redis_value text(std::string s) { return {redis_value::type::string, 0, std::move(s), {}}; }
redis_value array(std::vector<redis_value> items) { return {redis_value::type::array, 0, {}, std::move(items)}; }
redis_value range(long long first, long long last, std::string host, long long port) {
    return array({integer(first), integer(last), array({text(std::move(host)), integer(port), text("node-id")})});
}

}  // namespace

TEST_CASE("a key's slot is CRC16 XMODEM of its hash tag, as the cluster specification gives") {
    CHECK(crc16_xmodem("123456789") == 0x31C3);  // the specification's check value
    CHECK(key_slot("foo") == 12182);
    CHECK(key_slot("somekey") == 11058);
    CHECK(key_slot("{user1000}.following") == key_slot("{user1000}.followers"));
    CHECK(key_slot("{user1000}.following") == key_slot("user1000"));
    CHECK(key_slot("foo{}{bar}") == key_slot(std::string("foo{}{bar}")));  // an empty tag: the whole key
    CHECK(key_slot("foo{}{bar}") != key_slot("bar"));
    CHECK(key_slot("foo{{bar}}zap") == key_slot("{bar"));
    CHECK(key_slot("foo{bar}{zap}") == key_slot("bar"));
    CHECK(key_slot("no{close") == key_slot(std::string("no{close")));
    // Every key of a contest is in one slot: the contest's id.
    CHECK(key_slot(keys::ledger("geek-week")) == key_slot("geek-week"));
    CHECK(key_slot(keys::board("geek-week", "teams:city")) == key_slot(keys::delivery("geek-week", "abc")));
}

TEST_CASE("a command is routed by its first key, a script by its first declared key, SCAN by its pattern's tag") {
    CHECK(routing_key({{"HGET", "lb:{c}:ledger", "x"}}) == "lb:{c}:ledger");
    CHECK(routing_key({{"EVALSHA", "abc", "2", "lb:{c}:a", "lb:{c}:b", "arg"}}) == "lb:{c}:a");
    CHECK(routing_key({{"evalsha", "abc", "0", "arg"}}) == std::nullopt);
    lua_script script("return 1");
    CHECK(routing_key({{"1", "lb:{d}:log", "arg"}, &script}) == "lb:{d}:log");
    CHECK(routing_key({{"0", "arg"}, &script}) == std::nullopt);
    CHECK(routing_key({{"SCAN", "0", "MATCH", "lb:{c}:rebuild:*", "COUNT", "10"}}) == "{c}");
    CHECK(routing_key({{"SCAN", "0", "MATCH", "lb:*"}}) == std::nullopt);
    CHECK(routing_key({{"PING"}}) == std::nullopt);
    CHECK(routing_key({{"WAIT", "1", "100"}}) == std::nullopt);
    CHECK(routing_key({{"SCRIPT", "LOAD", "return 1"}}) == std::nullopt);
    CHECK(routing_key({{"GET"}}) == std::nullopt);
    CHECK(routing_key({{}}) == std::nullopt);
}

TEST_CASE("CLUSTER SLOTS gives the node of every slot; a partial or malformed map is refused") {
    auto map = slot_map::from_cluster_slots(
        array({range(0, 5460, "127.0.0.1", 7000), range(5461, 10922, "127.0.0.1", 7001), range(10923, 16383, "", 7002)}),
        "10.0.0.9");
    REQUIRE(map);
    CHECK(map->nodes().size() == 3);
    CHECK(*map->node_for_slot(0) == redis_address{"127.0.0.1", 7000});
    CHECK(*map->node_for_slot(5461) == redis_address{"127.0.0.1", 7001});
    CHECK(*map->node_for_slot(16383) == redis_address{"10.0.0.9", 7002});  // an empty host: the one asked
    CHECK(map->node_for_slot(16384) == nullptr);
    CHECK(map->node_for_slot(-1) == nullptr);
    map->move_slot(0, {"127.0.0.1", 7001});
    CHECK(*map->node_for_slot(0) == redis_address{"127.0.0.1", 7001});
    CHECK(*map->node_for_slot(1) == redis_address{"127.0.0.1", 7000});
    map->move_slot(2, {"127.0.0.1", 7003});  // a node not in the map yet
    CHECK(map->nodes().size() == 4);
    CHECK(*map->node_for_slot(2) == redis_address{"127.0.0.1", 7003});

    CHECK_FALSE(slot_map::from_cluster_slots(array({range(0, 16000, "h", 1)}), "h"));  // slots left unserved
    CHECK_FALSE(slot_map::from_cluster_slots(array({range(0, 16384, "h", 1)}), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(array({range(10, 5, "h", 1), range(0, 16383, "h", 1)}), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(array({range(0, 16383, "h", 0)}), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(array({range(0, 16383, "?", 7000)}), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(array({array({integer(0), integer(16383)})}), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(redis_value::error("ERR This instance has cluster support disabled"), "h"));
    CHECK_FALSE(slot_map::from_cluster_slots(array({}), "h"));
}

TEST_CASE("MOVED and ASK errors name the slot and the node") {
    auto moved = parse_redirect("MOVED 3999 127.0.0.1:6381");
    REQUIRE(moved);
    CHECK_FALSE(moved->ask);
    CHECK(moved->slot == 3999);
    CHECK(moved->node == redis_address{"127.0.0.1", 6381});
    auto ask = parse_redirect("ASK 1 ::1:7000");
    REQUIRE(ask);
    CHECK(ask->ask);
    CHECK(ask->node == redis_address{"::1", 7000});
    CHECK_FALSE(parse_redirect("MOVED 16384 h:1"));
    CHECK_FALSE(parse_redirect("MOVED 1 :7000"));
    CHECK_FALSE(parse_redirect("MOVED 1 h"));
    CHECK_FALSE(parse_redirect("MOVED x h:1"));
    CHECK_FALSE(parse_redirect("ERR unknown command"));
    CHECK_FALSE(parse_redirect("TRYAGAIN Multiple keys request during rehashing of slot"));
}

TEST_CASE("a cluster URL lists its nodes and allows database 0 only") {
    auto e = parse_redis_url("redis-cluster://10.0.0.1:7000,10.0.0.2/");
    REQUIRE(e);
    CHECK(e->in_cluster());
    REQUIRE(e->cluster_nodes.size() == 2);
    CHECK(e->cluster_nodes[0] == redis_address{"10.0.0.1", 7000});
    CHECK(e->cluster_nodes[1] == redis_address{"10.0.0.2", 6379});
    CHECK_FALSE(e->through_sentinels());
    CHECK(parse_redis_url("redis-cluster://h:7000"));
    CHECK(parse_redis_url("redis-cluster://h:7000/0"));
    CHECK_FALSE(parse_redis_url("redis-cluster://h:7000/1"));
    CHECK_FALSE(parse_redis_url("redis-cluster:///"));
    CHECK_FALSE(parse_redis_url("redis-cluster://a,,b/"));
    CHECK_FALSE(parse_redis_url("redis-cluster://u:pw@h:7000/"));
    CHECK(parse_redis_url("redis-cluster://h:7000/")->describe() == "the cluster of h:7000");
}
