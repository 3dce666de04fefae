// sandbox_bench: how fast the Freshdesk sandbox serves, so it is never the bottleneck of the
// plugin's benchmarks. Measures keep-alive HTTPS GETs of one ticket (one connection, then
// several in parallel) and the TLS handshake rate (a new connection per request), with the
// plain blocking Beast client of tests/support, and prints the figures.
//
//   sandbox_bench [--seconds S] [--connections N] [--server-threads N]
//   sandbox_bench --base-url URL --ca-file PEM --api-key KEY [--seconds S] ...   (a running
//   sandbox)
#include "sandbox/sandbox.hpp"
#include "support/https_client.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Target {
    std::string base_url;
    std::string ca_file;
    std::string api_key;
};

struct RunResult {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    double seconds = 0;
    std::vector<double> latencies_us;  // of the first connection
};

double process_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

fdtest::ClientOptions client_options(const Target& target, bool keep_alive) {
    fdtest::ClientOptions options = fdtest::options_for_url(target.base_url);
    options.ca_file = target.ca_file;
    options.keep_alive = keep_alive;
    options.default_headers.emplace_back("Authorization", fdtest::basic_authorization(target.api_key, "X"));
    return options;
}

// `connections` threads, each with its own client, GET `path` until `duration` is over.
RunResult run(const Target& target, const std::string& path, int connections, bool keep_alive,
              std::chrono::milliseconds duration) {
    std::atomic<std::uint64_t> requests{0}, failures{0};
    RunResult result;
    std::vector<std::thread> threads;
    const Clock::time_point start = Clock::now();
    const Clock::time_point end = start + duration;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            fdtest::HttpsClient client(client_options(target, keep_alive));
            while (Clock::now() < end) {
                const Clock::time_point before = Clock::now();
                try {
                    if (client.get(path).status == 200)
                        ++requests;
                    else
                        ++failures;
                } catch (const std::exception&) {
                    ++failures;
                }
                if (c == 0)
                    result.latencies_us.push_back(
                        std::chrono::duration<double, std::micro>(Clock::now() - before).count());
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.requests = requests;
    result.failures = failures;
    return result;
}

double percentile(std::vector<double> values, double fraction) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1))];
}

void report(const char* label, const RunResult& result, double cpu_seconds, const char* unit) {
    std::printf(
        "%-34s %9.0f %s/s  (%llu in %.2f s, p50 %.0f us, p99 %.0f us, %llu failed, process CPU "
        "%.0f%%)\n",
        label, static_cast<double>(result.requests) / result.seconds, unit,
        static_cast<unsigned long long>(result.requests), result.seconds, percentile(result.latencies_us, 0.50),
        percentile(result.latencies_us, 0.99), static_cast<unsigned long long>(result.failures),
        100.0 * cpu_seconds / result.seconds);
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 3;
    int connections = 4;
    unsigned server_threads = 1;
    Target target;
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (option == "--help" || !value) {
            std::cout << "usage: sandbox_bench [--seconds S] [--connections N] [--server-threads N]\n"
                         "       sandbox_bench --base-url URL --ca-file PEM --api-key KEY [--seconds "
                         "S]\n";
            return option == "--help" ? 0 : 2;
        }
        ++i;
        if (option == "--seconds")
            seconds = std::atof(value);
        else if (option == "--connections")
            connections = std::max(1, std::atoi(value));
        else if (option == "--server-threads")
            server_threads = static_cast<unsigned>(std::max(1, std::atoi(value)));
        else if (option == "--base-url")
            target.base_url = value;
        else if (option == "--ca-file")
            target.ca_file = value;
        else if (option == "--api-key")
            target.api_key = value;
        else {
            std::cerr << "sandbox_bench: unknown option " << option << "\n";
            return 2;
        }
    }
    const auto duration = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));

    std::unique_ptr<fdsandbox::Sandbox> sandbox;
    if (target.base_url.empty()) {
        fdsandbox::Config config;
        config.threads = server_threads;
        config.rate_limit_budget = 1'000'000'000;
        sandbox = std::make_unique<fdsandbox::Sandbox>(config);
        sandbox->start();
        sandbox->seed({.contacts = 10, .tickets = 100});
        target = {sandbox->base_url(), sandbox->ca_file().string(), sandbox->api_key()};
    }
    const std::string path = "/api/v2/tickets/1";
    const fdtest::Response probe = fdtest::HttpsClient(client_options(target, true)).get(path);
    if (probe.status != 200) {
        std::cerr << "sandbox_bench: GET " << path << " answered " << probe.status << "\n";
        return 1;
    }
    std::printf(
        "sandbox_bench: %s sandbox at %s, %u server thread(s), %u hardware threads; GET %s (%zu "
        "body bytes)\n",
        sandbox ? "in-process" : "external", target.base_url.c_str(), server_threads,
        std::thread::hardware_concurrency(), path.c_str(), probe.body.size());
    std::printf("(the client runs on the same machine and takes its share of the CPU)\n");

    double cpu = process_cpu_seconds();
    const RunResult single = run(target, path, 1, true, duration);
    report("keep-alive, 1 connection", single, process_cpu_seconds() - cpu, "req");

    cpu = process_cpu_seconds();
    const RunResult parallel = run(target, path, connections, true, duration);
    const std::string label = "keep-alive, " + std::to_string(connections) + " connections";
    report(label.c_str(), parallel, process_cpu_seconds() - cpu, "req");

    const std::uint64_t handshakes_before = sandbox ? sandbox->counters().tls_handshakes : 0;
    cpu = process_cpu_seconds();
    const RunResult handshakes = run(target, path, 1, false, duration);
    report("new TLS connection per request", handshakes, process_cpu_seconds() - cpu, "handshakes");
    if (sandbox) {
        const std::uint64_t counted = sandbox->counters().tls_handshakes - handshakes_before;
        std::printf(
            "%-34s %9.0f handshakes/s counted by the sandbox (ECDSA P-256, no session "
            "resumption)\n",
            "", static_cast<double>(counted) / handshakes.seconds);
        sandbox->stop();
    }
    return single.failures + parallel.failures + handshakes.failures == 0 ? 0 : 1;
}
