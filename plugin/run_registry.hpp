// The runs the host holds handles to. A wfp_run lives until both the host released it and its
// completion callback returned. Every handle the host passes in is looked up here first, so a
// stale or foreign pointer is ignored instead of dereferenced.
#pragma once

#include "wfp_plugin.h"

#include "engine/engine.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_set>

struct wfp_run {
    std::shared_ptr<fd::Run> run;
    wfp_on_complete on_complete = nullptr;
    void* user_data = nullptr;
    bool completed = false;  // guarded by the registry's mutex, as are the two below
    bool released_by_host = false;
    int references = 2;  // the host's handle and the pending completion
};

namespace fd {

class RunRegistry {
  public:
    wfp_run* create(wfp_on_complete on_complete, void* user_data);
    // Calls `action` with the run if it is registered (under the registry lock: keep it short
    // and never call the host from it).
    void with_run(wfp_run* run, const std::function<void(wfp_run&)>& action);
    // The host gives its handle back: cancels the run if it has not completed.
    void release_by_host(wfp_run* run);
    // The completion callback has returned.
    void release_after_completion(wfp_run* run);
    // Frees every run still registered (after the engine has shut down).
    void clear();

  private:
    void unref_locked(wfp_run* run);

    std::mutex mutex_;
    std::unordered_set<wfp_run*> runs_;
};

}  // namespace fd
