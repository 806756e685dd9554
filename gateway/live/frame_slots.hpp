#pragma once
// When a group of viewers may get its next frame. Time is cut into ticks; a
// frame interval holds `phases` ticks, and phase p owns the ticks
// origin + p * tick + k * interval. Viewers of a large board are spread over the
// phases, so one merge's frames are written a slice at a time, and each viewer
// still gets at most one frame per interval.
#include <algorithm>
#include <chrono>

namespace lb::gateway {

class frame_slots {
public:
    using clock = std::chrono::steady_clock;

    frame_slots(clock::time_point origin, std::chrono::milliseconds tick, std::chrono::milliseconds interval)
        : origin_(origin), tick_(tick), interval_(interval), phases_(std::max<long long>(1, interval / tick)) {}

    int phases() const { return static_cast<int>(phases_); }

    // The first tick at or after t: the hub's timer keeps to this grid.
    clock::time_point tick_at_or_after(clock::time_point t) const { return origin_ + ceil_periods(t - origin_, tick_) * tick_; }

    // The first slot of the phase at or after t.
    clock::time_point slot_at_or_after(int phase, clock::time_point t) const {
        auto first = origin_ + phase * tick_;
        return first + ceil_periods(t - first, interval_) * interval_;
    }

    // After a frame sent at `sent`: the phase's first slot at least half an interval later.
    // A tick that came a little late keeps the grid (the next slot is one interval after the
    // one it served), and a frame sent off the grid by an idle group is not followed a few
    // milliseconds later by the next.
    clock::time_point next_after(int phase, clock::time_point sent) const {
        return slot_at_or_after(phase, sent + interval_ / 2);
    }

private:
    static long long ceil_periods(clock::duration span, clock::duration period) {
        if (span <= clock::duration::zero()) return 0;
        return (span + period - std::chrono::nanoseconds(1)) / period;
    }

    clock::time_point origin_;
    std::chrono::milliseconds tick_;
    std::chrono::milliseconds interval_;
    long long phases_;
};

}  // namespace lb::gateway
