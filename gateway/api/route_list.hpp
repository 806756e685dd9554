#pragma once
#include <vector>

#include "api/route_table.hpp"

namespace lb::gateway {

// Every route the server answers (route_list.cpp).
std::vector<route> api_routes();

}  // namespace lb::gateway
