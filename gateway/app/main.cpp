#include <csignal>

#include "app/cli.hpp"

int main(int argc, char** argv) {
    // A write to a connection whose other end is gone (Redis killed, a viewer vanished) must be an
    // error the code handles (EPIPE), not a signal that ends the process without a word.
    std::signal(SIGPIPE, SIG_IGN);
    return lb::gateway::run_cli({argv, argv + argc});
}
