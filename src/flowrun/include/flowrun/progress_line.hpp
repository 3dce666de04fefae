// A progress line on stderr while a long run reads page after page ("step \"all\": 300 of 1200
// items"), redrawn in place. Only on a terminal: in a log file or a pipe it would be noise.
#pragma once

#include "wfp_host.hpp"

#include <atomic>
#include <string>

namespace flowrun {

class ProgressLine {
  public:
    // Draws only when `wanted` and stderr is a terminal.
    explicit ProgressLine(bool wanted);

    // The callback for one run, labelled `label`; empty (no progress asked) when not drawing.
    wfp::Plugin::Progress for_run(std::string label);
    // Erases the line, if one was drawn, so the next line starts clean.
    void clear();

  private:
    bool enabled_;
    std::atomic<bool> drawn_{false};
};

}  // namespace flowrun
