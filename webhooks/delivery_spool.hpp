#pragma once
// A local, append-only, fsync'ed queue of verified deliveries that could not
// reach Redis. Neither host retries a failed delivery, so a delivery we
// answered 2xx must survive until it is applied; replays are idempotent
// (the award script dedupes by delivery id), so a crash mid-replay is safe.
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace lb::webhooks {

class delivery_spool {
public:
    // Creates dir if needed, locks it for this process (flock on dir/lock: a second
    // process on the same folder would interleave replays and lose deliveries), and drops
    // a torn last line (never acknowledged). Throws std::runtime_error when the directory
    // cannot be used or another process holds it.
    explicit delivery_spool(std::string dir);
    ~delivery_spool();
    delivery_spool(const delivery_spool&) = delete;
    delivery_spool& operator=(const delivery_spool&) = delete;

    // Appends one line (no '\n' inside) and fsyncs; false if it is not durable, and then
    // nothing of it stays in the file (a full disk, an I/O error).
    bool append(const std::string& line);

    // Sets the pending lines aside for replay and returns them; a replay left
    // unfinished by a crash comes first. Call finish_replay once all are applied.
    std::vector<std::string> begin_replay();
    void finish_replay();
    bool has_pending() const { return pending_.load() > 0; }
    long long pending() const { return pending_.load(); }  // lines kept and not yet replayed
    // Keeps a line that cannot be replayed in quarantine.ndjson (fsync'ed), for an operator to look at.
    bool quarantine(const std::string& line);

private:
    void open_current();
    std::string current_path() const { return dir_ + "/deliveries.ndjson"; }
    std::string replay_path() const { return dir_ + "/replaying.ndjson"; }

    std::mutex mutex_;
    std::string dir_;
    int fd_ = -1;
    int lock_fd_ = -1;
    std::atomic<long long> pending_{0};
};

}  // namespace lb::webhooks
