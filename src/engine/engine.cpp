#include "engine/engine.hpp"

#include "core/envelope.hpp"
#include "core/input_validation.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace fd {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

class RunState final : public Run {
public:
    RunState(const NodeSpec& node, std::string input, std::string credentials, RunCompletion done)
        : node_(node), input_(std::move(input)), credentials_(std::move(credentials)), done_(std::move(done)) {}

    void cancel() override { cancelled_ = true; }
    bool cancelled() const { return cancelled_; }
    const NodeSpec& node() const { return node_; }
    const std::string& input() const { return input_; }

    // The one place a run ends.
    void complete(const json::object& envelope) {
        if (completed_.exchange(true)) return;
        RunCompletion done = std::move(done_);
        done(json::serialize(envelope));
    }

private:
    const NodeSpec& node_;
    std::string input_;
    std::string credentials_;
    RunCompletion done_;
    std::atomic<bool> cancelled_{false};
    std::atomic<bool> completed_{false};
};

}  // namespace

struct Engine::Impl {
    explicit Impl(EngineOptions engine_options)
        : options(std::move(engine_options)), work(asio::make_work_guard(io)) {
        for (const NodeSpec& node : catalog.nodes()) {
            validators.emplace(&node, std::make_unique<InputValidator>(node.inputs, node.options, node.display_name));
        }
        for (unsigned i = 0; i < std::max(1u, options.threads); ++i) threads.emplace_back([this] { io.run(); });
    }

    void execute(const std::shared_ptr<RunState>& run) {
        const NodeSpec& node = run->node();
        const ValidatedInput input = validators.at(&node)->validate(run->input());
        if (!input.ok) {
            run->complete(status_envelope(node, kStatusInvalidInput, 0, input.error));
        } else if (run->cancelled()) {
            run->complete(status_envelope(node, kStatusSystemError, 0, "The run was cancelled before it reached Freshdesk"));
        } else {
            run->complete(status_envelope(node, kStatusSystemError, 0,
                                          "The HTTPS transport is not built yet: the input is valid but nothing was sent to Freshdesk"));
        }
    }

    EngineOptions options;
    NodeCatalog catalog;
    std::map<const NodeSpec*, std::unique_ptr<InputValidator>> validators;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::vector<std::thread> threads;
    std::mutex mutex;
    bool stopped = false;
};

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Engine::~Engine() { shutdown(); }

const NodeCatalog& Engine::catalog() const { return impl_->catalog; }

std::shared_ptr<Run> Engine::start(const NodeSpec& node, std::string_view input_json,
                                   std::string_view credentials_json, RunCompletion done) {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return nullptr;
    auto run = std::make_shared<RunState>(node, std::string(input_json), std::string(credentials_json), std::move(done));
    asio::post(impl_->io, [impl = impl_.get(), run] { impl->execute(run); });
    return run;
}

void Engine::shutdown() {
    {
        std::lock_guard lock(impl_->mutex);
        if (impl_->stopped) return;
        impl_->stopped = true;
    }
    impl_->work.reset();
    for (std::thread& thread : impl_->threads) thread.join();
    impl_->threads.clear();
}

}  // namespace fd
