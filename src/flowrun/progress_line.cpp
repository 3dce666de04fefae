#include "flowrun/progress_line.hpp"

#include <unistd.h>

#include <cstdio>

namespace flowrun {

ProgressLine::ProgressLine(bool wanted) : enabled_(wanted && ::isatty(STDERR_FILENO)) {}

wfp::Plugin::Progress ProgressLine::for_run(std::string label) {
    if (!enabled_) return {};
    // Called on a plugin thread while the command's thread waits for the run, so nothing else
    // writes to stderr meanwhile. stdio, unbuffered on stderr, writes each line at once.
    return [this, label = std::move(label)](std::uint64_t so_far, std::int64_t total) {
        const std::string of_total = total >= 0 ? " of " + std::to_string(total) : "";
        std::fprintf(stderr, "\r\033[Kflowrun: %s: %llu%s items read...", label.c_str(),
                     static_cast<unsigned long long>(so_far), of_total.c_str());
        drawn_ = true;
    };
}

void ProgressLine::clear() {
    if (drawn_.exchange(false)) std::fputs("\r\033[K", stderr);
}

}  // namespace flowrun
