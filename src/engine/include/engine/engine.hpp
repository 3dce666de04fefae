// The engine runs nodes: it checks the input, carries out the Freshdesk operation and always
// ends in one envelope, on its own threads (an io_context it owns, joined by shutdown()).
#pragma once

#include "core/node_catalog.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

// Called exactly once per run, on an engine thread, never from inside Engine::start.
using RunCompletion = std::function<void(const std::string& envelope_json)>;
// Called on an engine thread while a run reads many pages, at most a few times a second, never
// after the run's completion: items read so far, and the total expected (-1 when unknown).
using RunProgress = std::function<void(std::uint64_t items_so_far, std::int64_t total)>;

// A started run. cancel() is thread-safe, idempotent, and a no-op once the run completed.
class Run {
  public:
    virtual ~Run() = default;
    virtual void cancel() = 0;
};

// Runs that will go on the calling thread: run() validates, sends, reads and calls each
// completion (and progress) on that thread, and returns after the last completion has returned.
// Destroying it gives its lane back; shutdown() waits for every one to be destroyed.
class HereRun {
  public:
    virtual ~HereRun() = default;
    virtual void run() noexcept = 0;
};

// One run of those: its node, its strings (valid until the run's completion has returned), its
// completion and progress.
struct HereItem {
    const NodeSpec* node = nullptr;
    std::string_view input_json;
    std::string_view credentials_json;
    RunCompletion done;
    RunProgress progress;
};
// Gives item `index`; asked once per item, in order, as that run is about to start.
using HereItems = std::function<HereItem(std::size_t index)>;

struct EngineOptions {
    std::vector<EmbeddedFile> node_files;  // the node records and schemas (see node_catalog.hpp)
    unsigned threads = 1;
    std::string extra_ca_file;                                       // from the host; trusted besides the system store
    std::function<void(int level, const std::string& message)> log;  // never given secrets
};

class Engine {
  public:
    explicit Engine(EngineOptions options);
    ~Engine();  // shutdown()
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const NodeCatalog& catalog() const;

    // Starts a run of `node`. The strings are read before start() returns (validated and
    // parsed; nothing keeps them). Returns nullptr (and never calls `done`) when the engine has
    // shut down. `progress` may be empty.
    std::shared_ptr<Run> start(const NodeSpec& node, std::string_view input_json, std::string_view credentials_json,
                               RunCompletion done, RunProgress progress = {});

    // Prepares `count` runs on the caller's thread, at most `in_flight` at a time (each that
    // completes makes room for the next, in order), with a lane (an io_context and a client)
    // lent to them; nullptr when the engine has shut down. A caller that runs calls serially
    // gets the same lane back, so its connections stay warm. cancel() is not offered: the
    // timeout bounds each run, and shutdown() cancels them (those not yet started complete as
    // cancelled).
    std::unique_ptr<HereRun> prepare_here(std::size_t count, std::size_t in_flight, HereItems items);

    // Cancels the runs in flight, lets their completions run, waits for the runs on callers'
    // threads to end, joins the threads. Idempotent; never from inside a completion.
    void shutdown();

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace fd
