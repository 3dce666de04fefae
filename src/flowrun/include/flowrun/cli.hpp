// flowrun's command-line pieces shared by its commands.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace flowrun {

// Exit codes of every command (flowrun --help lists them).
inline constexpr int kExitOk = 0;       // it worked; for run and test: every step and expectation held
inline constexpr int kExitFailure = 1;  // something ran and failed: a step, an expectation, a plugin
inline constexpr int kExitUsage = 2;    // a usage error or an invalid workflow file: nothing ran

// The options a command takes; anything else on its command line is refused.
enum Option : unsigned {
    kPlugins = 1u << 0,      // --plugins DIR (repeatable)
    kInput = 1u << 1,        // --input JSON|@FILE
    kCredentials = 1u << 2,  // --credentials FILE
    kVerbose = 1u << 3,      // --verbose
    kQuiet = 1u << 4,        // --quiet
    kJunit = 1u << 5,        // --junit FILE
};

// Options common to the commands, and the positional arguments left over.
struct CommandLine {
    std::vector<std::string> positional;
    std::vector<std::string> plugin_dirs;
    std::string input;
    bool has_input = false;
    std::string credentials_file;
    std::string junit_file;
    bool verbose = false;
    bool quiet = false;
    bool help = false;
};

// Parses argv after the command name, accepting only the options in `allowed` (a mask of
// Option). Returns false and sets `error` on a usage error.
bool parse_command_line(int argc, char** argv, unsigned allowed, CommandLine& out, std::string& error);

class PluginHost;

// Loads the plugins the command line points at, printing what it refused on stderr. Returns
// kExitOk, kExitFailure when a plugin was refused (the others are loaded), or kExitUsage when a
// --plugins folder does not exist.
int load_plugins(const CommandLine& cli, PluginHost& host);

// Runs a command's body, saying on stderr what a NodeRunner may throw: a credentials file that
// cannot be used is a usage error (kExitUsage), anything else (the embedded sandbox could not
// start) a failure (kExitFailure).
int with_runner_errors(std::string_view command, const std::function<int()>& body);

int command_nodes(const CommandLine& cli);
int command_describe(const CommandLine& cli);
int command_invoke(const CommandLine& cli);
int command_run(const CommandLine& cli);
int command_test(const CommandLine& cli);
int command_mcp(const CommandLine& cli);
int command_version(const CommandLine& cli);

}  // namespace flowrun
