#include "run_registry.hpp"

namespace fd {

wfp_run* RunRegistry::create(wfp_on_complete on_complete, void* user_data) {
    auto run = std::make_unique<wfp_run>();
    run->on_complete = on_complete;
    run->user_data = user_data;
    std::lock_guard lock(mutex_);
    runs_.insert(run.get());
    return run.release();
}

void RunRegistry::with_run(wfp_run* run, const std::function<void(wfp_run&)>& action) {
    std::lock_guard lock(mutex_);
    if (runs_.contains(run)) action(*run);
}

void RunRegistry::release_by_host(wfp_run* run) {
    std::lock_guard lock(mutex_);
    if (!runs_.contains(run) || run->released_by_host) return;
    run->released_by_host = true;
    if (!run->completed && run->run) run->run->cancel();
    unref_locked(run);
}

void RunRegistry::release_after_completion(wfp_run* run) {
    std::lock_guard lock(mutex_);
    if (!runs_.contains(run)) return;
    run->completed = true;
    unref_locked(run);
}

void RunRegistry::unref_locked(wfp_run* run) {
    if (--run->references > 0) return;
    runs_.erase(run);
    delete run;
}

void RunRegistry::clear() {
    std::lock_guard lock(mutex_);
    for (wfp_run* run : runs_)
        delete run;
    runs_.clear();
}

}  // namespace fd
