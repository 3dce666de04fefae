// `flowrun sandbox`: serves the Freshdesk sandbox until SIGINT/SIGTERM (or POST
// /control/shutdown), printing how to reach it as one JSON line on stdout.
#pragma once

#include "sandbox/sandbox.hpp"

#include <string>

namespace fdsandbox {

struct CommandOptions {
    Config config;
    SeedSpec seed;
    bool help = false;
};

// Parses `sandbox [options]` (argv[0] is "sandbox"). False, with `error` set, on bad usage.
bool parse_sandbox_options(int argc, char** argv, CommandOptions& options, std::string& error);
std::string sandbox_usage();
// {"base_url":...,"ca_file":...,"api_key":...,"domain":...,"control_url":...}
std::string startup_line(const Sandbox& sandbox);

}  // namespace fdsandbox

// Exit status: 0 after a clean shutdown, 1 when the sandbox cannot start, 2 on bad usage.
// Global, so that flowrun's main finds it without a qualifier.
int run_sandbox_command(int argc, char** argv);
