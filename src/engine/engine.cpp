#include "engine/engine.hpp"

#include "core/envelope.hpp"
#include "core/input_validation.hpp"
#include "core/plugin_info.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/field_definitions.hpp"
#include "freshdesk/node_mapping.hpp"
#include "freshdesk/operation.hpp"
#include "freshdesk/response_reading.hpp"
#include "transport/handshake_gate.hpp"
#include "transport/https_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace fd {
namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// Replaces every occurrence of `secret` in `text`.
void redact(std::string& text, const std::string& secret) {
    if (secret.size() < 4) return;
    constexpr std::string_view kRedacted = "[redacted]";
    for (std::size_t from = 0;;) {
        // glibc's memmem: a skip table without std::boyer_moore_horspool_searcher's set-up cost
        // (a 256-entry table per search, about 1k instructions per call and secret).
        const void* found = ::memmem(text.data() + from, text.size() - from, secret.data(), secret.size());
        if (found == nullptr) return;
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
        text.replace(at, secret.size(), kRedacted);
        from = at + kRedacted.size();
    }
}

// The envelope of a run the plugin itself could not carry through (a bug, or out of memory).
json::object internal_error_envelope(const NodeSpec& node, const char* what) {
    return status_envelope(node, kStatusSystemError, 0, std::string("Internal error in the plugin: ") + what);
}

}  // namespace

namespace {

// What a run sends with and whose handlers run it: the engine's io threads and client, or a
// lane lent to a caller's thread (prepare_here).
struct Lane {
    Lane(asio::io_context& io_in, transport::HttpsClient& client_in) : io(io_in), client(client_in) {}
    asio::io_context& io;
    transport::HttpsClient& client;
};

// An io_context and a client of its own, run by the thread that borrowed it.
struct OwnedLane {
    explicit OwnedLane(const transport::ClientOptions& options) : io(1), client(io, options) {}
    asio::io_context io;
    transport::HttpsClient client;
};

// One run: input -> credentials -> the operation's requests -> one envelope. Its steps are
// sequential (each request starts from the completion of the previous one), so only cancel()
// comes from another thread: it is guarded by the mutex.
class RunState final : public Run, public std::enable_shared_from_this<RunState> {
  public:
    RunState(Engine::Impl& engine, Lane lane, const NodeSpec& node, std::string_view input,
             std::string_view credentials, RunCompletion done, RunProgress progress)
        : engine_(engine),
          lane_(lane),
          node_(node),
          input_(input),
          credentials_(credentials),
          done_(std::move(done)),
          progress_(std::move(progress)) {}

    void cancel() override;
    // Runs the steps up to the first request in the caller's thread (see Engine::start).
    void execute_in_caller() noexcept {
        in_caller_ = true;
        execute();
        in_caller_ = false;
        input_ = {};  // the caller's: valid only until here
        credentials_ = {};
    }
    // Both catch everything: a bug must end the run with an envelope, not the host process.
    void execute() noexcept;
    void on_outcome(transport::Outcome outcome) noexcept;
    // Ends a run its lane left unfinished (a bug): it must still get its envelope. Checked
    // first, so a completed run (every run, normally) builds no envelope here.
    void abandon() noexcept {
        {
            std::lock_guard lock(mutex_);
            if (completed_) return;
        }
        internal_error("the run ended without an answer");
    }

  private:
    void start_operation();
    void continue_operation(transport::Outcome outcome);
    void internal_error(const char* what) noexcept;
    void send(transport::HttpRequest request);
    void report_progress();
    void complete(json::object envelope, std::string_view verbatim_key = {}, std::string_view verbatim = {});
    bool cancelled() {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }

    Engine::Impl& engine_;
    Lane lane_;
    const NodeSpec& node_;
    // The caller's input and credentials, borrowed while execute_in_caller() reads them (the
    // run keeps what they became: the operation's parameters and the connection settings).
    std::string_view input_;
    std::string_view credentials_;
    RunCompletion done_;
    RunProgress progress_;
    Clock::time_point last_progress_{};
    std::shared_ptr<const freshdesk::ConnectionSettings> settings_;  // set once the credentials are read
    // The answer's JSON and the envelope built from it live here and go with the run in one
    // piece: no allocation and no free per value. Declared before the operation that uses it.
    // Nothing from it outlives the run (the field cache copies what it keeps).
    json::monotonic_resource arena_;
    std::unique_ptr<freshdesk::Operation> operation_;
    Clock::time_point deadline_;
    int attempts_ = 0;
    std::string method_;  // of the request in flight: a POST may have created something

    std::atomic<bool> in_caller_{false};  // completions then go through the io threads
    std::mutex mutex_;
    bool cancelled_ = false;
    bool completed_ = false;
    std::shared_ptr<transport::Exchange> exchange_;
};

}  // namespace

struct Engine::Impl {
    explicit Impl(EngineOptions engine_options)
        : options(std::move(engine_options)),
          catalog(options.node_files),
          mappings(catalog),
          work(asio::make_work_guard(io)),
          settings_reader(catalog),
          pacer(std::make_shared<transport::RatePacer>()),
          tls_contexts(transport::make_tls_context_cache()),
          pool(std::make_shared<transport::ConnectionPool>(transport::PoolLimits{})),
          handshakes(std::make_shared<transport::HandshakeGate>()),
          client(io, client_options()) {
        for (const NodeSpec& node : catalog.nodes()) {
            validators.emplace(&node, std::make_unique<InputValidator>(node));
        }
        for (unsigned i = 0; i < std::max(1u, options.threads); ++i)
            threads.emplace_back([this] { io.run(); });
    }

    // Every client of the engine (its own and its lanes') shares the pacer, the TLS contexts, the
    // connection pool (so an account's cap holds across them) and the handshake gate. Called
    // once those are made.
    transport::ClientOptions client_options() const {
        transport::ClientOptions client;
        client.user_agent = std::string(kPluginName) + "/" + kPluginVersion;
        client.extra_ca_file = options.extra_ca_file;
        client.pacer = pacer;
        client.tls_contexts = tls_contexts;
        client.pool = pool;
        client.handshakes = handshakes;
        return client;
    }

    // A lane for a caller's thread: the last one given back (its connection is the warmest).
    // Under `mutex`, with `stopped` checked.
    // Counted only once it exists: a lane that failed to be made is never waited for.
    std::unique_ptr<OwnedLane> borrow_lane_locked() {
        std::unique_ptr<OwnedLane> lane;
        if (idle_lanes.empty()) {
            lane = std::make_unique<OwnedLane>(client_options());
        } else {
            lane = std::move(idle_lanes.back());
            idle_lanes.pop_back();
        }
        ++lanes_lent;
        return lane;
    }

    void give_back(std::unique_ptr<OwnedLane> lane) {
        std::lock_guard lock(mutex);
        idle_lanes.push_back(std::move(lane));
        --lanes_lent;
        lanes_returned.notify_all();
    }

    // Registers a run so shutdown() cancels it; one that comes after shutdown is cancelled at
    // once (it completes as cancelled, as every run must complete).
    void admit(const std::shared_ptr<RunState>& run) {
        {
            std::lock_guard lock(mutex);
            if (!stopped) {
                in_flight.insert(run);
                return;
            }
        }
        run->cancel();
    }

    void forget(const std::shared_ptr<RunState>& run) {
        std::lock_guard lock(mutex);
        in_flight.erase(run);
    }

    EngineOptions options;
    NodeCatalog catalog;
    freshdesk::NodeMappings mappings;
    freshdesk::FieldCache field_cache;
    std::map<const NodeSpec*, std::unique_ptr<InputValidator>> validators;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    freshdesk::ConnectionSettingsReader settings_reader;
    std::shared_ptr<transport::RatePacer> pacer;
    std::shared_ptr<transport::TlsContextCache> tls_contexts;
    std::shared_ptr<transport::ConnectionPool> pool;
    std::shared_ptr<transport::HandshakeGate> handshakes;
    transport::HttpsClient client;
    std::vector<std::thread> threads;
    std::mutex mutex;
    bool stopped = false;
    std::set<std::shared_ptr<RunState>> in_flight;
    std::vector<std::unique_ptr<OwnedLane>> idle_lanes;  // guarded by mutex, as is the count
    std::size_t lanes_lent = 0;
    std::condition_variable lanes_returned;
};

namespace {

void RunState::cancel() {
    std::shared_ptr<transport::Exchange> exchange;
    {
        std::lock_guard lock(mutex_);
        if (cancelled_ || completed_) return;
        cancelled_ = true;
        exchange = exchange_;
    }
    if (exchange) exchange->cancel();
}

void RunState::execute() noexcept {
    try {
        start_operation();
    } catch (const std::exception& problem) {
        internal_error(problem.what());
    } catch (...) {
        internal_error("unknown error");
    }
}

void RunState::on_outcome(transport::Outcome outcome) noexcept {
    try {
        continue_operation(std::move(outcome));
    } catch (const std::exception& problem) {
        internal_error(problem.what());
    } catch (...) {
        internal_error("unknown error");
    }
}

void RunState::internal_error(const char* what) noexcept {
    try {
        complete(internal_error_envelope(node_, what));
    } catch (...) {
        // Out of memory while reporting: nothing sensible is left to do for this run.
    }
}

void RunState::start_operation() {
    const ValidatedInput input = engine_.validators.at(&node_)->validate(input_);
    if (!input.ok) return complete(status_envelope(node_, kStatusInvalidInput, 0, input.error));
    freshdesk::SettingsResult settings = engine_.settings_reader.read(credentials_);
    if (!settings.ok) return complete(status_envelope(node_, kStatusInvalidInput, 0, settings.error));
    settings_ = std::move(settings.settings);
    if (cancelled()) {
        return complete(
            status_envelope(node_, kStatusSystemError, 0, "The run was cancelled before it reached Freshdesk."));
    }
    const freshdesk::OperationContext context{settings_->endpoint.account, &engine_.field_cache,
                                              json::storage_ptr(&arena_)};
    operation_ = freshdesk::make_operation(node_, engine_.mappings.of(node_), input.params, context);
    deadline_ = Clock::now() + settings_->timeout;
    freshdesk::Step step = operation_->first_step();
    if (!step.invalid_input.empty())
        return complete(status_envelope(node_, kStatusInvalidInput, 0, step.invalid_input));
    send(std::move(*step.next));
}

void RunState::send(transport::HttpRequest request) {
    std::lock_guard lock(mutex_);
    method_ = request.method;
    exchange_ = lane_.client.send(
        std::shared_ptr<const transport::Endpoint>(settings_, &settings_->endpoint), std::move(request), deadline_,
        [self = shared_from_this()](transport::Outcome outcome) { self->on_outcome(std::move(outcome)); });
    if (cancelled_) exchange_->cancel();
}

void RunState::continue_operation(transport::Outcome outcome) {
    attempts_ = outcome.attempts;
    const freshdesk::RunFacts facts{node_, *settings_, *operation_, attempts_, method_};
    if (!outcome.response) return complete(freshdesk::failure_envelope(facts, outcome.failure));
    const transport::HttpResponse& response = *outcome.response;
    const bool success = response.status >= 200 && response.status <= 299;
    std::optional<freshdesk::Step> step;
    try {
        step = success ? operation_->on_success(response) : operation_->on_refusal(response);
    } catch (const freshdesk::MalformedAnswer& problem) {
        return complete(freshdesk::malformed_envelope(facts, response.status, problem.what()));
    }
    if (!step) {
        json::object envelope = freshdesk::response_envelope(facts, response);
        for (auto& [key, value] : operation_->refusal_outputs(response))
            envelope[key] = std::move(value);
        return complete(std::move(envelope));
    }
    if (!step->invalid_input.empty()) {
        return complete(status_envelope(node_, kStatusInvalidInput, 0, std::move(step->invalid_input)));
    }
    if (!step->next) {
        const std::string verbatim_key = std::move(step->verbatim_output);
        return complete(freshdesk::success_envelope(facts, response.status, std::move(*step)), verbatim_key,
                        verbatim_key.empty() ? std::string_view() : std::string_view(response.body));
    }
    if (cancelled()) {
        transport::Failure failure{transport::FailureKind::cancelled, "between two requests to Freshdesk", 0, false};
        return complete(freshdesk::failure_envelope(facts, failure));
    }
    report_progress();
    send(std::move(*step->next));
}

// At most four reports a second: a host redraws a progress line, not a log.
void RunState::report_progress() {
    const std::optional<freshdesk::ItemCount> count = operation_->items_read();
    const Clock::time_point now = Clock::now();
    if (!progress_ || !count || now - last_progress_ < std::chrono::milliseconds(250)) return;
    last_progress_ = now;
    try {
        progress_(count->so_far, count->total);
    } catch (...) {
        // A host callback that throws must not end the run.
    }
}

// The one place a run ends.
void RunState::complete(json::object envelope, std::string_view verbatim_key, std::string_view verbatim) {
    {
        std::lock_guard lock(mutex_);
        if (completed_) return;
        completed_ = true;
        exchange_.reset();
    }
    std::string text = envelope_text(envelope, verbatim_key, verbatim);
    // A server that echoes the Authorization header must not get the key into an envelope.
    if (settings_) {
        for (const std::string& secret : settings_->secrets)
            redact(text, secret);
    }
    auto deliver = [self = shared_from_this(), text = std::move(text)] {
        RunCompletion done = std::move(self->done_);
        done(text);
        self->engine_.forget(self);
    };
    // Never call back from inside run_start: a run that ends there is delivered by an io thread.
    if (in_caller_) {
        asio::post(lane_.io, std::move(deliver));
    } else {
        deliver();
    }
}

// Runs on the caller's thread: the thread runs the borrowed lane's io_context until every run
// has completed (completions are the lane's handlers), then gives the lane back. Each run has a
// slot; its completion starts the next item in the same slot.
class LaneBatch final : public HereRun {
  public:
    LaneBatch(Engine::Impl& engine, std::size_t count, std::size_t in_flight, HereItems items)
        : engine_(engine),
          count_(count),
          items_(std::move(items)),
          slots_(std::min(count, std::max<std::size_t>(in_flight, 1))) {}
    ~LaneBatch() override {
        slots_.clear();
        if (lane_) engine_.give_back(std::move(lane_));
    }
    // Made apart from the constructor, so a batch that failed to be made holds no lane.
    void lend(std::unique_ptr<OwnedLane> lane) noexcept { lane_ = std::move(lane); }

    void run() noexcept override {
        for (std::size_t slot = 0; slot < slots_.size(); ++slot)
            start_in(slot);
        for (;;) {
            drain();
            // The lane ran out of work: every run has completed, or one was left unfinished (a
            // bug) and is delivered here, on this thread (its completion starts the next item).
            bool left = false;
            for (std::size_t slot = 0; slot < slots_.size(); ++slot) {
                if (std::shared_ptr<RunState> unfinished = slots_[slot].run) {
                    unfinished->abandon();
                    // Still there: it had completed, but its envelope never reached the caller.
                    if (slots_[slot].run == unfinished) fail(slot, "the run ended without an answer");
                    left = true;
                }
            }
            if (!left) return;
        }
    }

  private:
    struct Slot {
        std::shared_ptr<RunState> run;
        RunCompletion done;  // the caller's, for the run in this slot
        const NodeSpec* node = nullptr;
    };

    void drain() noexcept {
        for (;;) {
            try {
                lane_->io.restart();
                lane_->io.run();  // returns when no handler is left
                return;
            } catch (...) {
                // A handler that threw ends only itself, as on the io threads.
            }
        }
    }

    // Starts the next item, if any, in `slot`. A run that ends at once is delivered by the lane
    // (execute_in_caller posts it), so this never recurses through a completion.
    void start_in(std::size_t slot) noexcept {
        slots_[slot].run.reset();
        if (next_ == count_) return;
        try {
            HereItem item = items_(next_++);
            slots_[slot].done = std::move(item.done);
            slots_[slot].node = item.node;
            // Small enough for std::function's own storage: no allocation per run.
            RunCompletion done = [this, slot](const std::string& envelope) { finish(slot, envelope); };
            auto run = std::make_shared<RunState>(engine_, Lane(lane_->io, lane_->client), *item.node, item.input_json,
                                                  item.credentials_json, std::move(done), std::move(item.progress));
            engine_.admit(run);
            slots_[slot].run = run;
            run->execute_in_caller();
        } catch (...) {
            fail(slot, "out of memory");  // before the run existed
        }
    }

    void finish(std::size_t slot, const std::string& envelope) {
        RunCompletion done = std::move(slots_[slot].done);
        done(envelope);
        start_in(slot);
    }

    // The slot's run cannot end with its own envelope: the caller still gets one (if memory
    // allows), and the next item starts from the lane (a failure must not recurse into the next).
    void fail(std::size_t slot, const char* what) noexcept {
        RunCompletion done = std::move(slots_[slot].done);
        try {
            if (done && slots_[slot].node) done(envelope_text(internal_error_envelope(*slots_[slot].node, what)));
        } catch (...) {
            // Out of memory while reporting: nothing sensible is left to do for this run.
        }
        post_start(slot);
    }

    void post_start(std::size_t slot) noexcept {
        slots_[slot].run.reset();
        try {
            asio::post(lane_->io, [this, slot] { start_in(slot); });
        } catch (...) {
            next_ = count_;  // not even that: the batch gives up on the items not started
        }
    }

    Engine::Impl& engine_;
    std::unique_ptr<OwnedLane> lane_;
    const std::size_t count_;
    HereItems items_;
    std::size_t next_ = 0;
    boost::container::small_vector<Slot, 1> slots_;  // run_here's one slot allocates nothing
};

}  // namespace

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Engine::~Engine() {
    shutdown();
}

const NodeCatalog& Engine::catalog() const {
    return impl_->catalog;
}

std::shared_ptr<Run> Engine::start(const NodeSpec& node, std::string_view input_json, std::string_view credentials_json,
                                   RunCompletion done, RunProgress progress) {
    auto run = std::make_shared<RunState>(*impl_, Lane(impl_->io, impl_->client), node, input_json, credentials_json,
                                          std::move(done), std::move(progress));
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return nullptr;
        impl_->in_flight.insert(run);
    }
    // Validation, credentials and writing the request happen in the caller's thread: waking an
    // io thread only to begin would cost as much as the request itself on loopback.
    run->execute_in_caller();
    return run;
}

std::unique_ptr<HereRun> Engine::prepare_here(std::size_t count, std::size_t in_flight, HereItems items) {
    // Lent under the lock, so shutdown() either refuses the batch or waits for it; runs it
    // starts later are admitted one by one (admit cancels those that come after shutdown).
    auto batch = std::make_unique<LaneBatch>(*impl_, count, in_flight, std::move(items));
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return nullptr;
    batch->lend(impl_->borrow_lane_locked());
    return batch;
}

void Engine::shutdown() {
    std::set<std::shared_ptr<RunState>> runs;
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return;
        impl_->stopped = true;
        runs = impl_->in_flight;
    }
    // Runs in flight complete as cancelled; then nothing keeps the threads busy.
    for (const auto& run : runs)
        run->cancel();
    runs.clear();
    std::vector<std::unique_ptr<OwnedLane>> lanes;
    {
        // Runs on callers' threads end once cancelled; their lanes come back before they go.
        std::unique_lock lock(impl_->mutex);
        impl_->lanes_returned.wait(lock, [&] { return impl_->lanes_lent == 0; });
        lanes.swap(impl_->idle_lanes);
    }
    lanes.clear();
    impl_->work.reset();
    for (std::thread& thread : impl_->threads)
        thread.join();
    impl_->threads.clear();
    impl_->client.close_idle();
}

}  // namespace fd
