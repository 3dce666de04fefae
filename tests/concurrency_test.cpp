// One loaded plugin, many host threads: thousands of runs mixed across nodes, with cancels
// thrown in at random moments. Every run completes exactly once, nothing deadlocks, and deinit
// with runs in flight completes them and returns. Built and run under ThreadSanitizer in CI.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <dlfcn.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;

const std::string kPluginDir = fdtest::plugin_dir();

// The raw table: this suite calls init and deinit itself.
const wfp_plugin_api& api() {
    static const wfp_plugin_api* table = [] {
        void* handle = ::dlopen(fdtest::plugin_library().c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) throw std::runtime_error(::dlerror());
        return reinterpret_cast<wfp_get_entry_v1_fn>(::dlsym(handle, WFP_ENTRY_SYMBOL))();
    }();
    return *table;
}

using wfp::str;

// Counts completions per run and checks each run completes once.
struct Ledger {
    explicit Ledger(std::size_t runs) : calls(runs) {}
    std::vector<std::atomic<int>> calls;
    std::atomic<std::size_t> completed{0};
    std::atomic<std::size_t> bad_envelopes{0};
    std::mutex mutex;
    std::condition_variable all_done;
};

struct Ticket {
    Ledger* ledger;
    std::size_t index;
};

void on_complete(void* user_data, wfp_run* run, wfp_str envelope) {
    auto* ticket = static_cast<Ticket*>(user_data);
    Ledger& ledger = *ticket->ledger;
    boost::system::error_code error;
    const json::value parsed = json::parse(std::string_view(envelope.ptr, envelope.len), error);
    if (error || !parsed.is_object() || !parsed.get_object().contains("StatusCode")) ++ledger.bad_envelopes;
    ledger.calls[ticket->index].fetch_add(1);
    // Half the runs are released from inside their callback.
    if (ticket->index % 2 == 0) api().run_release(run);
    if (ledger.completed.fetch_add(1) + 1 == ledger.calls.size()) {
        std::lock_guard lock(ledger.mutex);
        ledger.all_done.notify_all();
    }
}

// Every node's example, the same with ids that point at nothing, and a refused input.
std::vector<std::pair<std::string, std::string>> run_mix() {
    std::vector<std::pair<std::string, std::string>> mix;
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        mix.emplace_back(c.id, c.input);
        if (!c.missing_input.empty()) mix.emplace_back(c.id, c.missing_input);
        mix.emplace_back(c.id, R"({"NoSuchField":1})");
    }
    return mix;
}

// Every answer held back 5 s before its headers: runs waiting on it are in flight for deinit.
fdsandbox::Fault answers_in_five_seconds() {
    fdsandbox::Fault slow;
    slow.kind = fdsandbox::FaultKind::delay_before_headers;
    slow.delay = 5s;
    slow.count = 1000;
    return slow;
}

fdsandbox::Config unlimited() {
    fdsandbox::Config config;
    config.rate_limit_budget = 1'000'000;
    return config;
}

// Starts and seeds the sandbox, initialises the plugin, and returns the sandbox's credentials
// ("" when init failed).
std::string seeded_and_initialised(fdsandbox::Sandbox& sandbox) {
    sandbox.start();
    fdtest::seed_default(sandbox);
    const wfp_host_api host{sizeof(wfp_host_api), WFP_ABI_MAJOR, WFP_ABI_MINOR, nullptr, nullptr, {nullptr, 0}};
    if (api().init(&host, kPluginDir.c_str(), nullptr) != WFP_OK) return "";
    return json::serialize(json::object{{"domain", sandbox.domain()},
                                        {"api_key", sandbox.api_key()},
                                        {"base_url", sandbox.base_url()},
                                        {"ca_file", sandbox.ca_file().string()}});
}

}  // namespace

TEST(Concurrency, SixteenThreadsMixedRunsWithRandomCancels) {
    fdsandbox::Sandbox sandbox(unlimited());
    const std::string credentials = seeded_and_initialised(sandbox);
    ASSERT_FALSE(credentials.empty());
    const std::vector<std::pair<std::string, std::string>> mix = run_mix();

    constexpr std::size_t kThreads = 16;
    constexpr std::size_t kPerThread = 150;
    Ledger ledger(kThreads * kPerThread);
    std::vector<Ticket> tickets(kThreads * kPerThread);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 random(static_cast<unsigned>(t));
            for (std::size_t i = 0; i < kPerThread; ++i) {
                const std::size_t index = t * kPerThread + i;
                tickets[index] = {&ledger, index};
                const auto& [node, input] = mix[random() % mix.size()];
                wfp_run_request request{sizeof(wfp_run_request), str(node), str(input), str(credentials), nullptr};
                wfp_run* run = nullptr;
                ASSERT_EQ(api().run_start(&request, on_complete, &tickets[index], &run), WFP_OK);
                const unsigned dice = random() % 10;
                if (dice < 3) api().run_cancel(run);  // right away
                if (dice == 3) {
                    std::this_thread::sleep_for(std::chrono::microseconds(random() % 2000));
                    api().run_cancel(run);  // a little later, in flight or done
                }
                if (index % 2 == 1) api().run_release(run);  // the others release in their callback
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    {
        std::unique_lock lock(ledger.mutex);
        ASSERT_TRUE(ledger.all_done.wait_for(lock, 120s, [&] { return ledger.completed == ledger.calls.size(); }))
            << ledger.completed << " of " << ledger.calls.size() << " completed: a run was lost or deadlocked";
    }
    for (std::size_t i = 0; i < ledger.calls.size(); ++i)
        ASSERT_EQ(ledger.calls[i], 1) << "run " << i;
    EXPECT_EQ(ledger.bad_envelopes, 0u);
    api().deinit();
}

// ABI 1.2 run_here from many threads at once (each thread its own lane, warm after its first
// call), then deinit from another thread while some of them wait on a slow server: every call
// completes on its own thread exactly once and returns, and deinit returns promptly.
TEST(Concurrency, RunHereFromManyThreadsAndADeinitWhileTheyWait) {
    fdsandbox::Sandbox sandbox(unlimited());
    const std::string credentials = seeded_and_initialised(sandbox);
    ASSERT_FALSE(credentials.empty());
    const std::vector<std::pair<std::string, std::string>> mix = run_mix();

    struct Call {
        int calls = 0;
        std::thread::id thread;
        bool envelope_ok = false;
    };
    const auto here = [&](const std::string& node, const std::string& input, Call& call) {
        wfp_run_request request{sizeof(wfp_run_request), str(node), str(input), str(credentials), nullptr};
        return api().run_here(
            &request,
            [](void* user_data, wfp_run*, wfp_str envelope) {
                auto& c = *static_cast<Call*>(user_data);
                ++c.calls;
                c.thread = std::this_thread::get_id();
                const json::value parsed = json::parse(std::string_view(envelope.ptr, envelope.len));
                c.envelope_ok = parsed.is_object() && parsed.as_object().contains("StatusCode");
            },
            &call);
    };
    constexpr std::size_t kThreads = 8;
    constexpr std::size_t kPerThread = 60;
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (std::size_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 random(static_cast<unsigned>(t));
            for (std::size_t i = 0; i < kPerThread; ++i) {
                const auto& [node, input] = mix[random() % mix.size()];
                Call call;
                const int status = here(node, input, call);
                if (status != WFP_OK || call.calls != 1 || call.thread != std::this_thread::get_id() ||
                    !call.envelope_ok) {
                    ++wrong;
                }
            }
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);

    // Now some calls wait on a server that answers in 5 s; deinit cancels them.
    sandbox.inject(answers_in_five_seconds());
    std::vector<Call> waiting(4);
    std::vector<int> statuses(waiting.size(), -99);
    threads.clear();
    for (std::size_t i = 0; i < waiting.size(); ++i)
        threads.emplace_back([&, i] { statuses[i] = here("freshdesk.ticket.get", R"({"TicketId":1})", waiting[i]); });
    std::this_thread::sleep_for(500ms);  // the requests are out, waiting on the slow server
    const auto started = std::chrono::steady_clock::now();
    api().deinit();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "deinit does not wait for the server";
    for (std::thread& thread : threads)
        thread.join();
    for (std::size_t i = 0; i < waiting.size(); ++i) {
        EXPECT_EQ(statuses[i], WFP_OK) << i;
        EXPECT_EQ(waiting[i].calls, 1) << i;
    }
    sandbox.clear_faults();
}

TEST(Concurrency, DeinitWithRunsInFlightCompletesThemAndReturns) {
    fdsandbox::Sandbox sandbox;
    sandbox.start();
    sandbox.inject(answers_in_five_seconds());
    const std::string credentials = json::serialize(json::object{
        {"api_key", sandbox.api_key()}, {"base_url", sandbox.base_url()}, {"ca_file", sandbox.ca_file().string()}});
    const wfp_host_api host{sizeof(wfp_host_api), WFP_ABI_MAJOR, WFP_ABI_MINOR, nullptr, nullptr, {nullptr, 0}};
    ASSERT_EQ(api().init(&host, kPluginDir.c_str(), nullptr), WFP_OK);
    constexpr std::size_t kRuns = 64;
    Ledger ledger(kRuns);
    std::vector<Ticket> tickets(kRuns);
    const std::string input = R"({"TicketId":1})";
    const std::string node = "freshdesk.ticket.get";
    for (std::size_t i = 0; i < kRuns; ++i) {
        tickets[i] = {&ledger, i};
        wfp_run_request request{sizeof(wfp_run_request), str(node), str(input), str(credentials), nullptr};
        wfp_run* run = nullptr;
        ASSERT_EQ(api().run_start(&request, on_complete, &tickets[i], &run), WFP_OK);
        if (i % 2 == 1) api().run_release(run);
    }
    std::this_thread::sleep_for(200ms);  // the requests are out, waiting on the slow server
    const auto started = std::chrono::steady_clock::now();
    api().deinit();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "deinit does not wait for the server";
    EXPECT_EQ(ledger.completed, kRuns) << "every run in flight completed before deinit returned";
    for (std::size_t i = 0; i < kRuns; ++i)
        EXPECT_EQ(ledger.calls[i], 1);
    sandbox.clear_faults();
}

namespace {

// One run through run_start, waited for: its envelope and how long it took.
struct Finished {
    json::object envelope;
    std::chrono::milliseconds took{};
};

struct Pending {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<std::string> envelope;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    wfp_run* run = nullptr;

    Finished wait() {
        std::unique_lock lock(mutex);
        EXPECT_TRUE(done.wait_for(lock, 30s, [&] { return envelope.has_value(); })) << "the run completed";
        Finished finished{envelope ? json::parse(*envelope).as_object() : json::object{}, {}};
        finished.took =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        return finished;
    }
};

void start_run(Pending& pending, const std::string& credentials, const std::string& input = R"({"TicketId":1})") {
    wfp_run_request request{sizeof(wfp_run_request), str("freshdesk.ticket.get"), str(input), str(credentials),
                            nullptr};
    auto done = [](void* user_data, wfp_run*, wfp_str envelope) {
        auto& p = *static_cast<Pending*>(user_data);
        std::lock_guard lock(p.mutex);
        p.envelope = std::string(envelope.ptr, envelope.len);
        p.done.notify_all();
    };
    ASSERT_EQ(api().run_start(&request, done, &pending, &pending.run), WFP_OK);
}

std::string with_cap(const fdsandbox::Sandbox& sandbox, int cap, int timeout_ms) {
    json::object credentials{{"api_key", sandbox.api_key()},
                             {"base_url", sandbox.base_url()},
                             {"ca_file", sandbox.ca_file().string()},
                             {"timeout_ms", timeout_ms}};
    if (cap > 0) credentials["max_connections"] = cap;
    return json::serialize(credentials);
}

bool initialised() {
    const wfp_host_api host{sizeof(wfp_host_api), WFP_ABI_MAJOR, WFP_ABI_MINOR, nullptr, nullptr, {nullptr, 0}};
    return api().init(&host, kPluginDir.c_str(), nullptr) == WFP_OK;
}

// A seeded sandbox that adds `latency` to every answer.
std::unique_ptr<fdsandbox::Sandbox> slow_sandbox(std::chrono::milliseconds latency) {
    fdsandbox::Config config = unlimited();
    config.response_latency = latency;
    auto sandbox = std::make_unique<fdsandbox::Sandbox>(config);
    sandbox->start();
    fdtest::seed_default(*sandbox);
    return sandbox;
}

}  // namespace

// Twelve runs at once on an account capped at two connections: all succeed over two
// connections. Without a cap (max_connections absent) the default of four holds.
TEST(Concurrency, AnAccountHoldsAtMostItsCapOfConnectionsAndTheRestWaitTheirTurn) {
    const auto server = slow_sandbox(50ms);
    const fdsandbox::Sandbox& sandbox = *server;
    ASSERT_TRUE(initialised());
    for (const int cap : {2, 0}) {
        const std::string credentials = with_cap(sandbox, cap, 20000);
        std::vector<Pending> runs(12);
        for (Pending& pending : runs)
            start_run(pending, credentials);
        for (Pending& pending : runs) {
            const Finished finished = pending.wait();
            EXPECT_EQ(finished.envelope.at("StatusCode"), 200) << json::serialize(finished.envelope);
            api().run_release(pending.run);
        }
        // The first round opened two; the second (default cap 4) two more beside them.
        EXPECT_EQ(sandbox.counters().connections_accepted, cap == 2 ? 2u : 4u) << "cap " << cap;
    }
    api().deinit();
}

// Cap one, a slow server: a run waiting for the connection ends at its own deadline, or at once
// when cancelled, saying what it was waiting for; the run holding the connection is unaffected
// and the connection is reused afterwards.
TEST(Concurrency, ARunWaitingForAConnectionEndsAtItsDeadlineOrWhenCancelled) {
    const auto server = slow_sandbox(600ms);
    const fdsandbox::Sandbox& sandbox = *server;
    ASSERT_TRUE(initialised());
    Pending holder, timed_out, cancelled;
    start_run(holder, with_cap(sandbox, 1, 20000));
    start_run(timed_out, with_cap(sandbox, 1, 200));
    start_run(cancelled, with_cap(sandbox, 1, 20000));
    std::this_thread::sleep_for(50ms);
    api().run_cancel(cancelled.run);

    const Finished late = timed_out.wait();
    EXPECT_EQ(late.envelope.at("StatusCode"), 500) << json::serialize(late.envelope);
    EXPECT_NE(std::string(late.envelope.at("ErrorMessage").as_string()).find("waiting for a free connection"),
              std::string::npos)
        << late.envelope.at("ErrorMessage");
    EXPECT_LT(late.took, 550ms) << "it did not wait for the connection to come free";
    const Finished gave_up = cancelled.wait();
    EXPECT_NE(std::string(gave_up.envelope.at("ErrorMessage").as_string()).find("cancelled"), std::string::npos)
        << gave_up.envelope.at("ErrorMessage");
    EXPECT_LT(gave_up.took, 550ms);
    EXPECT_EQ(holder.wait().envelope.at("StatusCode"), 200);

    Pending after;
    start_run(after, with_cap(sandbox, 1, 20000));
    EXPECT_EQ(after.wait().envelope.at("StatusCode"), 200);
    EXPECT_EQ(sandbox.counters().connections_accepted, 1u) << "one connection served all";
    for (Pending* p : {&holder, &timed_out, &cancelled, &after})
        api().run_release(p->run);
    api().deinit();
}

// The cap counts the engine's connections and those of callers' threads (run_here) together,
// and neither side stalls on a connection the other holds idle.
TEST(Concurrency, RunHereAndRunStartShareTheCapWithoutStalling) {
    const auto server = slow_sandbox(0ms);
    const std::string credentials = with_cap(*server, 1, 5000);
    ASSERT_TRUE(initialised());
    for (int round = 0; round < 3; ++round) {
        Pending started;
        start_run(started, credentials);
        EXPECT_EQ(started.wait().envelope.at("StatusCode"), 200);
        api().run_release(started.run);
        std::string envelope;
        wfp_run_request request{sizeof(wfp_run_request), str("freshdesk.ticket.get"), str(R"({"TicketId":1})"),
                                str(credentials), nullptr};
        const auto before = std::chrono::steady_clock::now();
        ASSERT_EQ(api().run_here(
                      &request,
                      [](void* user_data, wfp_run*, wfp_str text) {
                          *static_cast<std::string*>(user_data) = std::string(text.ptr, text.len);
                      },
                      &envelope),
                  WFP_OK);
        EXPECT_LT(std::chrono::steady_clock::now() - before, 2s) << "run_here did not wait out its deadline";
        EXPECT_EQ(json::parse(envelope).at("StatusCode"), 200) << envelope;
    }
    api().deinit();
}

namespace {

// Runs `runs` Get a Ticket calls in one run_here_many, `in_flight` at a time; each call's
// envelope, and the thread each callback ran on.
struct HereMany {
    std::vector<std::string> envelopes;
    std::vector<int> calls;
    std::vector<std::thread::id> threads;
    int status = -99;
};

HereMany run_here_many(const std::string& credentials, std::size_t runs, std::size_t in_flight) {
    struct Call {
        HereMany* result;
        std::size_t index;
    };
    HereMany result;
    result.envelopes.resize(runs);
    result.calls.resize(runs);
    result.threads.resize(runs);
    const wfp_run_request request{sizeof(wfp_run_request), str("freshdesk.ticket.get"), str(R"({"TicketId":1})"),
                                  str(credentials), nullptr};
    std::vector<const wfp_run_request*> requests(runs, &request);
    std::vector<Call> calls;
    std::vector<void*> user_data;
    for (std::size_t i = 0; i < runs; ++i)
        calls.push_back({&result, i});
    for (Call& call : calls)
        user_data.push_back(&call);
    result.status = api().run_here_many(
        requests.data(), runs, in_flight,
        [](void* user_data, wfp_run*, wfp_str envelope) {
            const auto& call = *static_cast<Call*>(user_data);
            call.result->envelopes[call.index] = std::string(envelope.ptr, envelope.len);
            call.result->calls[call.index] += 1;
            call.result->threads[call.index] = std::this_thread::get_id();
        },
        user_data.data());
    return result;
}

}  // namespace

// ABI 1.3 run_here_many keeps its runs in flight together on the calling thread: 24 runs, 4 at
// a time, open exactly 4 connections (one at a time would open 1); with the account capped at
// 2, 8 at a time share 2 connections. Every run succeeds on the calling thread.
TEST(Concurrency, RunHereManyKeepsItsRunsInFlightTogetherWithinTheCap) {
    const auto server = slow_sandbox(20ms);
    const fdsandbox::Sandbox& sandbox = *server;
    ASSERT_TRUE(initialised());
    const auto check = [](const HereMany& result) {
        EXPECT_EQ(result.status, WFP_OK);
        for (std::size_t i = 0; i < result.calls.size(); ++i) {
            EXPECT_EQ(result.calls[i], 1) << i;
            EXPECT_EQ(result.threads[i], std::this_thread::get_id()) << i;
            EXPECT_EQ(json::parse(result.envelopes[i]).at("StatusCode"), 200) << result.envelopes[i];
        }
    };
    check(run_here_many(with_cap(sandbox, 8, 20000), 24, 4));
    EXPECT_EQ(sandbox.counters().connections_accepted, 4u);
    api().deinit();  // closes them

    const auto capped = slow_sandbox(20ms);
    ASSERT_TRUE(initialised());
    check(run_here_many(with_cap(*capped, 2, 20000), 24, 8));
    EXPECT_EQ(capped->counters().connections_accepted, 2u);
    api().deinit();
}

// deinit from another thread while run_here_many waits on a slow server: the runs in flight
// complete as cancelled, those not yet started too, each exactly once on the calling thread,
// and both run_here_many and deinit return promptly.
TEST(Concurrency, DeinitEndsARunHereManyPromptlyWithEveryRunCompleted) {
    const auto server = slow_sandbox(0ms);
    ASSERT_TRUE(initialised());
    server->inject(answers_in_five_seconds());
    HereMany result;
    std::thread caller([&] {
        result = run_here_many(with_cap(*server, 4, 20000), 20, 4);
        for (const std::thread::id& id : result.threads)
            EXPECT_EQ(id, std::this_thread::get_id());
    });
    std::this_thread::sleep_for(500ms);  // four requests are out, waiting on the slow server
    const auto started = std::chrono::steady_clock::now();
    api().deinit();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "deinit does not wait for the server";
    caller.join();
    EXPECT_EQ(result.status, WFP_OK);
    for (std::size_t i = 0; i < result.calls.size(); ++i) {
        EXPECT_EQ(result.calls[i], 1) << i;
        const json::value envelope = json::parse(result.envelopes[i]);
        EXPECT_NE(envelope.at("StatusCode"), 200) << result.envelopes[i];
        EXPECT_NE(envelope.at("ErrorMessage").as_string().find("cancel"), json::string::npos) << result.envelopes[i];
    }
    server->clear_faults();
}
