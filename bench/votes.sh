#!/usr/bin/env bash
# A public vote at scale: 10,000 members' ballots (approval, k = 3) on 200 entries, as members
# leave them, then the vote closes (a config reload moves closes_at into the past) and every
# void re-tallies before it is answered. Prints the time from the reload to the tally being
# applied (the tally pass runs once a second, so up to a second of it is waiting) and the median
# of timed voids (each reads every ballot, counts them and applies 200 awards).
# usage: bench/votes.sh [voters=10000] [entries=200] [voids=7]
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/bench_env.sh"
voters=${1:-10000} entries=${2:-200} voids=${3:-7}
build_release
start_redis
python3 "$root/bench/vote_fixture.py" config "$entries" open > "$work/config.json"
python3 "$root/bench/vote_fixture.py" store "$entries" "$voters" | redis-cli -p "$redis_port" --pipe >/dev/null
echo "ballots stored: $(redis-cli -p "$redis_port" HLEN 'lb:{camp}:vote:video:ballots'), entries: $(redis-cli -p "$redis_port" HLEN 'lb:{camp}:vote:video:entries')"
start_server
python3 "$root/bench/vote_fixture.py" config "$entries" closed > "$work/config.json"
python3 "$root/bench/vote_fixture.py" measure "http://127.0.0.1:$port" "$redis_port" "$voids"
