#include <doctest/doctest.h>

#include <set>

#include "live/frame_slots.hpp"

using namespace std::chrono_literals;
using lb::gateway::frame_slots;

namespace {
const auto origin = frame_slots::clock::time_point{} + 1000s;
}

TEST_CASE("the frame interval is cut into one phase per tick, each owning its own slots") {
    frame_slots slots(origin, 10ms, 80ms);
    CHECK(slots.phases() == 8);
    CHECK(slots.slot_at_or_after(0, origin) == origin);
    CHECK(slots.slot_at_or_after(3, origin) == origin + 30ms);
    CHECK(slots.slot_at_or_after(3, origin + 31ms) == origin + 110ms);
    CHECK(slots.slot_at_or_after(7, origin + 150ms) == origin + 150ms);
    std::set<long long> offsets;
    for (int phase = 0; phase < slots.phases(); ++phase)
        offsets.insert((slots.slot_at_or_after(phase, origin + 1s) - origin) / 1ms % 80);
    CHECK(offsets.size() == 8);  // no two phases share a tick
}

TEST_CASE("ticks keep to the grid whatever time the last one ended") {
    frame_slots slots(origin, 10ms, 80ms);
    CHECK(slots.tick_at_or_after(origin + 10ms) == origin + 10ms);
    CHECK(slots.tick_at_or_after(origin + 10ms + 1us) == origin + 20ms);
    CHECK(slots.tick_at_or_after(origin + 19ms) == origin + 20ms);
}

TEST_CASE("a late frame keeps its phase's grid, and frames stay half an interval apart") {
    frame_slots slots(origin, 10ms, 80ms);
    // Slot at +20 ms, sent 6 ms late: the next slot is +100 ms, not +106 ms or +180 ms.
    CHECK(slots.next_after(2, origin + 26ms) == origin + 100ms);
    CHECK(slots.next_after(2, origin + 20ms) == origin + 100ms);
    // Sent more than half an interval late: that slot is given up, not squeezed in.
    CHECK(slots.next_after(2, origin + 61ms) == origin + 180ms);
    // An idle group sends at once, off the grid; its next frame waits for a slot 40 ms or more later.
    CHECK(slots.next_after(5, origin + 203ms) == origin + 290ms);
    CHECK(slots.next_after(5, origin + 165ms) == origin + 210ms);
}

TEST_CASE("over any second a phase sends at most one frame per slot it owns") {
    frame_slots slots(origin, 10ms, 80ms);
    auto next = origin;
    int frames = 0;
    // A frame is due at every tick (events keep coming); ticks are late by 0..9 ms.
    for (auto t = origin; t < origin + 1s; t += 10ms) {
        auto tick = t + std::chrono::milliseconds((t - origin) / 1ms % 7);
        if (tick >= next) ++frames, next = slots.next_after(4, tick);
    }
    CHECK(frames <= 13);  // 1000 / 80 = 12.5
    CHECK(frames >= 12);
}

TEST_CASE("a tick longer than the interval means a single phase") {
    frame_slots slots(origin, 100ms, 80ms);
    CHECK(slots.phases() == 1);
    CHECK(slots.next_after(0, origin + 5ms) == origin + 80ms);
}
