#pragma once
// Nothing from outside may stop the process or one of its threads. Three parts:
//  - answer_once wraps a request's respond: the first answer goes out; if every copy
//    of it is dropped unanswered (a handler threw on some later, asynchronous step),
//    the request still gets one 500 "internal" answer.
//  - run_shielded runs an event loop; an exception escaping one handler is reported
//    and the loop goes on with the next (Asio allows run() again after a throw).
//  - shielded runs one step (a timer's tick, a viewer's message) and reports what it throws.
// Reports are one line each, naming where it happened and the routes it left
// unanswered, never a body or a secret.
#include <atomic>
#include <exception>
#include <string>
#include <string_view>

#include "common/api_types.hpp"

namespace lb::gateway {

respond_fn answer_once(respond_fn respond, std::string route_label);

void report_failure(std::string_view where, std::string_view what);
void report_current_exception(std::string_view where);  // call inside a catch block
long long failures_reported();

template <class Step>
bool shielded(std::string_view where, Step&& step) noexcept {
    try {
        step();
        return true;
    } catch (...) {
        report_current_exception(where);
        return false;
    }
}

template <class Context>
void run_shielded(Context& io, std::string_view where) {
    for (;;) {
        try {
            io.run();
            return;
        } catch (...) {
            report_current_exception(where);
        }
    }
}

}  // namespace lb::gateway
