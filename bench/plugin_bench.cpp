// plugin_bench: the plugin against the limit, measured side by side in one run against one
// sandbox. Phases (pick with --phase, default all but rate):
//   compare      the limit, a bare Beast keep-alive client doing GET /api/v2/tickets/1 N times
//                on one connection, and the plugin doing the same N calls through the C ABI
//                (run_start to completion, envelope built), rounds interleaved; the sandbox's
//                handshake counter over the plugin's calls
//   threads      1, 4 and 16 host threads on one loaded plugin: throughput, p50/p99 latency
//   memory       resident memory with the plugin loaded and idle, and after --memory-calls calls
//   load         dlopen + init + reading every descriptor, microseconds
//   rate         --rate-calls calls under the sandbox's budget: calls lost to 429, share of the
//                allowed rate reached
//   cpu          --calls warm invokes and nothing else (for callgrind, see cpu_per_call.sh)
//   soak         --memory-calls calls of a mixed workload, resident memory sampled (soak.sh)
// Each phase prints one JSON line; bench/run_all.py turns them into the results table.
#include "sandbox/sandbox.hpp"
#include "support/https_client.hpp"
#include "wfp_host.hpp"

#include <boost/json.hpp>

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <thread>

namespace {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct Options {
    std::string base_url, ca_file, api_key, control_url;
    std::string plugin_dir = FD_PLUGIN_DIR;
    std::string phase = "all";
    int calls = 5000;
    int rounds = 3;
    int memory_calls = 100000;
    int rate_calls = 1000;
    int rate_budget = 200;
    int rate_window = 10;
    int spin_us = 200;  // the host helper's spin before sleeping; 0: sleep at once
    int here = 0;       // cpu phase: 1 calls through run_here (ABI 1.2) instead of run_start
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double percentile(std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
}

long resident_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

void emit(json::object line) {
    std::cout << json::serialize(line) << std::endl;
}

// The sandbox's control channel (plain HTTP on loopback). A connection per call: the
// sandbox closes idle ones, and a long phase sits between two calls.
class Control {
  public:
    explicit Control(std::string url) : url_(std::move(url)) {}
    json::object counters() {
        fdtest::HttpsClient client(fdtest::options_for_url(url_));
        return json::parse(client.get("/control/counters").body).as_object();
    }
    void rate_limit(int budget, int window) {
        fdtest::HttpsClient client(fdtest::options_for_url(url_));
        client.put_json("/control/rate_limit",
                        json::serialize(json::object{{"budget", budget}, {"window_seconds", window}}));
    }

  private:
    std::string url_;
};

std::string credentials(const Options& o) {
    return json::serialize(json::object{{"domain", "sandbox"},
                                        {"api_key", o.api_key},
                                        {"base_url", o.base_url},
                                        {"ca_file", o.ca_file},
                                        {"timeout_ms", 60000}});
}

// The library the plugin folder's package.json names.
std::string library_path(const Options& o) {
    std::ifstream in(o.plugin_dir + "/package.json");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return o.plugin_dir + "/" + std::string(json::parse(text).at("wfp").at("library").as_string());
}

std::unique_ptr<wfp::Plugin> load_plugin(const Options& o) {
    std::string error;
    auto plugin = wfp::Plugin::load(library_path(o), error);
    if (!plugin || !plugin->init(wfp::Plugin::default_host(), o.plugin_dir, error)) {
        throw std::runtime_error("cannot load the plugin: " + error);
    }
    plugin->set_spin_microseconds(static_cast<unsigned>(o.spin_us));
    return plugin;
}

const std::string kNode = "freshdesk.ticket.get";
const std::string kInput = R"({"TicketId":1})";

// One warm call through the ABI; false when the envelope is not a success. The status keys
// close the envelope, so they are looked for from its end (cheap: callgrind counts this host).
bool invoke(wfp::Plugin& plugin, const std::string& creds, bool here = false) {
    std::string envelope, error;
    const bool ran = here ? plugin.invoke_here(kNode, kInput, creds, envelope, error)
                          : plugin.invoke(kNode, kInput, creds, envelope, error);
    if (!ran) return false;
    return envelope.rfind("\"StatusCode\":200") != std::string::npos &&
           envelope.rfind("\"OriginalStatusCode\":200") != std::string::npos;
}

// One round of the limit: a bare keep-alive client, calls per second.
double limit_round(const Options& o) {
    fdtest::ClientOptions client_options = fdtest::options_for_url(o.base_url);
    client_options.ca_file = o.ca_file;
    client_options.default_headers = {{"Authorization", fdtest::basic_authorization(o.api_key, "X")},
                                      {"Accept", "application/json"}};
    fdtest::HttpsClient client(client_options);
    for (int i = 0; i < 100; ++i)
        client.get("/api/v2/tickets/1");  // warm
    const auto start = Clock::now();
    for (int i = 0; i < o.calls; ++i) {
        const fdtest::Response response = client.get("/api/v2/tickets/1");
        if (response.status != 200) throw std::runtime_error("limit: HTTP " + std::to_string(response.status));
        (void)json::parse(response.body);  // a client uses the answer
    }
    return o.calls / seconds_since(start);
}

// The limit and the plugin, rounds interleaved so both see the same machine.
void phase_compare(const Options& o) {
    auto plugin = load_plugin(o);
    const std::string creds = credentials(o);
    Control control(o.control_url);
    for (int i = 0; i < 100; ++i)
        invoke(*plugin, creds);  // warm: the pool holds its connection
    const json::object before = control.counters();
    std::vector<double> limit_rates, plugin_rates;
    int failed = 0;
    for (int round = 0; round < o.rounds; ++round) {
        limit_rates.push_back(limit_round(o));
        const json::object between = control.counters();
        const auto start = Clock::now();
        for (int i = 0; i < o.calls; ++i)
            failed += invoke(*plugin, creds) ? 0 : 1;
        plugin_rates.push_back(o.calls / seconds_since(start));
        const json::object after = control.counters();
        if (after.at("tls_handshakes") != between.at("tls_handshakes")) ++failed;  // the pool must hold
    }
    const json::object after = control.counters();
    emit({{"phase", "limit"}, {"calls_per_second", median(limit_rates)}, {"rounds", o.rounds}, {"calls", o.calls}});
    emit({{"phase", "plugin"},
          {"spin_us", o.spin_us},
          {"calls_per_second", median(plugin_rates)},
          {"rounds", o.rounds},
          {"calls", o.calls * o.rounds},
          {"failed", failed},
          {"ratio_to_limit", median(plugin_rates) / median(limit_rates)},
          {"plugin_tls_handshakes", after.at("tls_handshakes").as_int64() - before.at("tls_handshakes").as_int64() -
                                        o.rounds},  // each limit round makes one
          {"plugin_connections",
           after.at("connections_accepted").as_int64() - before.at("connections_accepted").as_int64() - o.rounds}});
}

void phase_threads(const Options& o) {
    auto plugin = load_plugin(o);
    const std::string creds = credentials(o);
    for (const int threads : {1, 4, 16}) {
        for (int i = 0; i < 50; ++i)
            invoke(*plugin, creds);
        const int per_thread = std::max(1, o.calls / threads);
        std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
        std::atomic<int> failed{0};
        const auto start = Clock::now();
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                auto& mine = latencies[static_cast<std::size_t>(t)];
                mine.reserve(static_cast<std::size_t>(per_thread));
                for (int i = 0; i < per_thread; ++i) {
                    const auto call = Clock::now();
                    if (!invoke(*plugin, creds)) ++failed;
                    mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - call).count());
                }
            });
        }
        for (auto& worker : workers)
            worker.join();
        const double elapsed = seconds_since(start);
        std::vector<double> all;
        for (auto& mine : latencies)
            all.insert(all.end(), mine.begin(), mine.end());
        std::sort(all.begin(), all.end());
        emit({{"phase", "threads"},
              {"threads", threads},
              {"calls_per_second", static_cast<double>(all.size()) / elapsed},
              {"p50_us", percentile(all, 0.50)},
              {"p99_us", percentile(all, 0.99)},
              {"failed", failed.load()}});
    }
}

void phase_memory(const Options& o) {
    const long before_load = resident_kib();
    auto plugin = load_plugin(o);
    const long idle = resident_kib();
    const std::string creds = credentials(o);
    std::vector<long> samples;
    for (int i = 1; i <= o.memory_calls; ++i) {
        invoke(*plugin, creds);
        if (i % std::max(1, o.memory_calls / 10) == 0) samples.push_back(resident_kib());
    }
    json::array series;
    for (long s : samples)
        series.push_back(s);
    emit({{"phase", "memory"},
          {"rss_kib_host_only", before_load},
          {"rss_kib_idle", idle},
          {"rss_kib_after", resident_kib()},
          {"calls", o.memory_calls},
          {"rss_kib_series", series}});
}

void phase_load(const Options& o) {
    std::vector<double> micros;
    const std::string library = library_path(o);
    for (int round = 0; round < 21; ++round) {
        const auto start = Clock::now();
        void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
        auto entry = reinterpret_cast<wfp_get_entry_v1_fn>(::dlsym(handle, WFP_ENTRY_SYMBOL));
        const wfp_plugin_api* api = entry();
        const wfp_host_api host = wfp::Plugin::default_host();
        api->init(&host, o.plugin_dir.c_str(), nullptr);
        std::size_t bytes = 0;
        for (std::size_t i = 0; i < api->node_count(); ++i)
            bytes += api->node_at(i)->inputs_schema.len;
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        api->deinit();
        ::dlclose(handle);
        if (bytes == 0) throw std::runtime_error("no descriptors");
    }
    emit({{"phase", "load"}, {"median_us", median(micros)}, {"rounds", 21}});
}

void phase_rate(const Options& o) {
    auto plugin = load_plugin(o);
    const std::string creds = credentials(o);
    Control control(o.control_url);
    control.rate_limit(o.rate_budget, o.rate_window);
    const std::int64_t sent_before = control.counters().at("requests").as_int64();
    int lost = 0;
    const auto start = Clock::now();
    for (int i = 0; i < o.rate_calls; ++i)
        lost += invoke(*plugin, creds) ? 0 : 1;
    const double elapsed = seconds_since(start);
    const std::int64_t sent = control.counters().at("requests").as_int64() - sent_before;  // API port only
    control.rate_limit(100000000, 60);
    const double allowed = static_cast<double>(o.rate_budget) / o.rate_window;
    emit({{"phase", "rate"},
          {"peer", "plugin"},
          {"calls", o.rate_calls},
          {"lost", lost},
          {"answered_429", sent - o.rate_calls},
          {"calls_per_second", (o.rate_calls - lost) / elapsed},
          {"seconds", elapsed},
          {"allowed_per_second", allowed},
          {"share_of_allowed", (o.rate_calls - lost) / elapsed / allowed}});
}

// A long mixed workload: reads, lists, searches, writes, deletes, bad input and 404s, with
// resident memory sampled as it goes. After warm-up it must stay flat.
void phase_soak(const Options& o) {
    auto plugin = load_plugin(o);
    const std::string creds = credentials(o);
    const std::vector<std::pair<std::string, std::string>> mix = {
        {"freshdesk.ticket.get", R"({"TicketId":1})"},
        {"freshdesk.ticket.get_many", R"({"PerPage":5})"},
        {"freshdesk.ticket.get_many", R"({"Status":2,"Priority":1,"PerPage":40,"Page":1})"},
        {"freshdesk.contact.get_many", R"({"PerPage":3})"},
        {"freshdesk.ticket.update", R"({"TicketId":2,"Priority":3})"},
        {"freshdesk.ticket.get", R"({"TicketId":999999})"},
        {"freshdesk.contact.get", R"({"ContactId":"not a number"})"},
        {"freshdesk.ticket.create", R"({"Subject":"Soak","Description":"D","Email":"soak@example.com"})"},
    };
    const int samples = 20;
    const int step = std::max(1, o.memory_calls / samples);
    json::array series;
    std::int64_t created = 0;
    const auto start = Clock::now();
    for (int i = 1; i <= o.memory_calls; ++i) {
        const auto& [node, input] = mix[static_cast<std::size_t>(i) % mix.size()];
        std::string envelope, error;
        plugin->invoke(node, input, creds, envelope, error);
        // Delete what the soak creates, so the sandbox does not grow with it.
        if (node == "freshdesk.ticket.create") {
            const json::value parsed = json::parse(envelope);
            if (const auto* id = parsed.as_object().if_contains("TicketId"); id && id->as_int64() > 0) {
                plugin->invoke("freshdesk.ticket.delete", R"({"TicketId":)" + std::to_string(id->as_int64()) + "}",
                               creds, envelope, error);
                ++created;
            }
        }
        if (i % step == 0) series.push_back(json::array{i, resident_kib()});
    }
    const auto& warm = series[static_cast<std::size_t>(samples / 5)].as_array();  // after the first fifth
    const auto& last = series.back().as_array();
    const double growth_per_100k = static_cast<double>(last[1].as_int64() - warm[1].as_int64()) /
                                   static_cast<double>(last[0].as_int64() - warm[0].as_int64()) * 100000.0;
    emit({{"phase", "soak"},
          {"calls", o.memory_calls},
          {"created_and_deleted", created},
          {"seconds", seconds_since(start)},
          {"rss_kib_series", series},
          {"growth_kib_per_100k_after_warmup", growth_per_100k}});
}

void phase_cpu(const Options& o) {
    auto plugin = load_plugin(o);
    const std::string creds = credentials(o);
    for (int i = 0; i < o.calls; ++i)
        invoke(*plugin, creds, o.here != 0);
    emit({{"phase", "cpu"}, {"calls", o.calls}, {"here", o.here}});
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    std::map<std::string, std::string*> strings = {{"--base-url", &o.base_url},     {"--ca-file", &o.ca_file},
                                                   {"--api-key", &o.api_key},       {"--control-url", &o.control_url},
                                                   {"--plugin-dir", &o.plugin_dir}, {"--phase", &o.phase}};
    std::map<std::string, int*> numbers = {{"--calls", &o.calls},
                                           {"--rounds", &o.rounds},
                                           {"--memory-calls", &o.memory_calls},
                                           {"--rate-calls", &o.rate_calls},
                                           {"--rate-budget", &o.rate_budget},
                                           {"--rate-window", &o.rate_window},
                                           {"--spin-us", &o.spin_us},
                                           {"--here", &o.here}};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strings.contains(argv[i])) {
            *strings[argv[i]] = argv[i + 1];
        } else if (numbers.contains(argv[i])) {
            *numbers[argv[i]] = std::stoi(argv[i + 1]);
        } else {
            std::cerr << "plugin_bench: unknown option " << argv[i] << "\n";
            return 2;
        }
    }
    // Without a sandbox given, one runs in this process (the figures then share its CPU).
    std::unique_ptr<fdsandbox::Sandbox> own;
    if (o.base_url.empty()) {
        fdsandbox::Config config;
        config.control_port_enabled = true;
        config.rate_limit_budget = 100000000;
        own = std::make_unique<fdsandbox::Sandbox>(config);
        own->start();
        fdsandbox::SeedSpec seed;
        seed.tickets = 10;
        seed.contacts = 5;
        own->seed(seed);
        o.base_url = own->base_url();
        o.ca_file = own->ca_file().string();
        o.api_key = own->api_key();
        o.control_url = own->control_url();
    }
    try {
        const bool all = o.phase == "all";
        if (o.phase == "load" || all) phase_load(o);
        if (o.phase == "compare" || all) phase_compare(o);
        if (o.phase == "threads" || all) phase_threads(o);
        if (o.phase == "memory" || all) phase_memory(o);
        if (o.phase == "rate") phase_rate(o);
        if (o.phase == "cpu") phase_cpu(o);
        if (o.phase == "soak") phase_soak(o);
    } catch (const std::exception& problem) {
        std::cerr << "plugin_bench: " << problem.what() << "\n";
        return 1;
    }
    return 0;
}
