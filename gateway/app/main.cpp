#include "app/cli.hpp"

int main(int argc, char** argv) { return lb::gateway::run_cli({argv, argv + argc}); }
