#include "delivery_spool.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace lb::webhooks {
namespace {

// Cuts a file back to its last complete line; returns how many complete lines it holds.
long long repair_and_count(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return 0;  // absent (or not a file we could cut back)
    std::ifstream in(path, std::ios::binary);
    if (!in) return 0;
    std::stringstream content;
    content << in.rdbuf();
    std::string text = content.str();
    auto last_newline = text.rfind('\n');
    std::size_t keep = last_newline == std::string::npos ? 0 : last_newline + 1;
    if (keep != text.size()) std::filesystem::resize_file(path, keep, ec);
    return static_cast<long long>(std::count(text.begin(), text.begin() + static_cast<long>(keep), '\n'));
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line))
        if (!in.eof() && !line.empty()) lines.push_back(line);  // a line without '\n' was never acknowledged
    return lines;
}

void sync_directory(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

delivery_spool::delivery_spool(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("spool directory " + dir_ + ": " + ec.message());
    lock_fd_ = ::open((dir_ + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) throw std::runtime_error("spool directory " + dir_ + ": cannot create its lock file");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        throw std::runtime_error("spool directory " + dir_ + " is in use by another leaderboard process (give each its own --spool)");
    }
    pending_ = repair_and_count(current_path()) + repair_and_count(replay_path());
    open_current();
}

delivery_spool::~delivery_spool() {
    if (fd_ >= 0) ::close(fd_);
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the lock
}

void delivery_spool::open_current() {
    fd_ = ::open(current_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) throw std::runtime_error("cannot open the spool file in " + dir_);
    sync_directory(dir_);
}

bool delivery_spool::append(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (fd_ < 0) {
        // A write failed earlier and the file could not be cut back: cut it now (the disk may have
        // room again), then go on appending after its last whole line.
        repair_and_count(current_path());
        fd_ = ::open(current_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd_ < 0) return false;
    }
    std::string record = line + "\n";
    off_t before = ::lseek(fd_, 0, SEEK_END);
    // Not durable: cut the file back, so a later replay never applies what was refused (503).
    auto undo = [&] {
        if (before < 0 || ::ftruncate(fd_, before) != 0) ::close(std::exchange(fd_, -1));  // never append after a torn line
        return false;
    };
    std::size_t written = 0;
    while (written < record.size()) {
        ssize_t n = ::write(fd_, record.data() + written, record.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return undo();
        written += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0) return undo();
    ++pending_;
    return true;
}

bool delivery_spool::quarantine(const std::string& line) {
    std::lock_guard lock(mutex_);
    int fd = ::open((dir_ + "/quarantine.ndjson").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    std::string record = line + "\n";
    bool ok = ::write(fd, record.data(), record.size()) == static_cast<ssize_t>(record.size()) && ::fdatasync(fd) == 0;
    ::close(fd);
    return ok;
}

std::vector<std::string> delivery_spool::begin_replay() {
    std::lock_guard lock(mutex_);
    if (!std::filesystem::exists(replay_path())) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        std::error_code ec;
        std::filesystem::rename(current_path(), replay_path(), ec);
        open_current();
    }
    return read_lines(replay_path());
}

void delivery_spool::finish_replay() {
    std::lock_guard lock(mutex_);
    auto replayed = static_cast<long long>(read_lines(replay_path()).size());
    std::filesystem::remove(replay_path());
    sync_directory(dir_);
    pending_ -= replayed;
}

}  // namespace lb::webhooks
