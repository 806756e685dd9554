#include "live/viewer_groups.hpp"

#include <algorithm>

namespace lb::gateway {

viewer_groups::joined viewer_groups::join(const std::shared_ptr<live_client>& client, const std::string& me, group_key key,
                                          const engine::contest* c) {
    std::lock_guard lock(mutex_);
    joined out;
    auto old = membership_.find(client.get());
    auto same_view = [&](group_key other) {
        other.phase = 0;
        return other == key;
    };
    if (old != membership_.end() && same_view(old->second)) {
        key = old->second;
        leave_members(key, client.get());
    } else {
        key.phase = pick_phase(key);
        if (old != membership_.end()) leave_group(old->second, client.get());
    }
    membership_[client.get()] = key;
    auto& g = groups_[key];
    g.c = c;
    group_member m{client, me};
    if (g.loaded) {
        g.members.push_back(m);
        out.ready = true;
    } else {
        g.waiting.push_back(m);
        out.load = !g.loading;
        g.loading = true;
    }
    out.key = key;
    return out;
}

void viewer_groups::leave(const live_client* client) {
    std::lock_guard lock(mutex_);
    auto it = membership_.find(client);
    if (it == membership_.end()) return;
    auto key = it->second;
    membership_.erase(it);
    leave_group(key, client);
}

std::size_t viewer_groups::viewers() const {
    std::lock_guard lock(mutex_);
    return membership_.size();
}

std::set<std::string> viewer_groups::contests() const {
    std::lock_guard lock(mutex_);
    std::set<std::string> out;
    for (const auto& [key, g] : groups_) out.insert(key.contest);
    return out;
}

std::vector<std::shared_ptr<live_client>> viewer_groups::clients_of(const std::string& contest_id) const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<live_client>> out;
    for (const auto& [key, g] : groups_)
        if (key.contest == contest_id)
            for (const auto& m : g.members)
                if (auto client = m.client.lock()) out.push_back(std::move(client));
    return out;
}

// Small audiences stay in one phase (one board read per frame); past phase_after viewers
// there, newcomers join the phase with the fewest.
int viewer_groups::pick_phase(group_key base) const {
    auto size_of = [&](int phase) -> std::size_t {
        base.phase = phase;
        auto it = groups_.find(base);
        return it == groups_.end() ? 0 : it->second.members.size() + it->second.waiting.size();
    };
    std::size_t fewest = size_of(0);
    if (fewest < phase_after_) return 0;
    int chosen = 0;
    for (int phase = 1; phase < phases_; ++phase)
        if (auto size = size_of(phase); size < fewest) fewest = size, chosen = phase;
    return chosen;
}

// A group nobody watches any more is dropped, so no board goes on being read for nobody
// (one still loading is dropped when its read returns).
void viewer_groups::leave_group(const group_key& key, const live_client* client) {
    auto g = groups_.find(key);
    if (g == groups_.end()) return;
    leave_members(key, client);
    if (g->second.members.empty() && g->second.waiting.empty() && !g->second.loading) groups_.erase(g);
}

void viewer_groups::leave_members(const group_key& key, const live_client* client) {
    auto g = groups_.find(key);
    if (g == groups_.end()) return;
    auto gone = [&](const group_member& x) { return x.client.expired() || x.client.lock().get() == client; };
    std::erase_if(g->second.members, gone);
    std::erase_if(g->second.waiting, gone);
}

}  // namespace lb::gateway
