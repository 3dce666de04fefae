// flowrun's command-line pieces shared by its commands.
#pragma once

#include <string>
#include <vector>

namespace flowrun {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Options common to the commands, and the positional arguments left over.
struct CommandLine {
    std::vector<std::string> positional;
    std::vector<std::string> plugin_dirs;  // --plugins DIR (repeatable)
    std::string input;                     // --input JSON|@FILE
    bool has_input = false;
    std::string credentials_file;  // --credentials FILE
    bool help = false;
};

// Parses argv after the command name. Returns false and sets `error` on a usage error.
bool parse_command_line(int argc, char** argv, CommandLine& out, std::string& error);

class PluginHost;

// Loads the plugins the command line points at, printing what failed on stderr.
void load_plugins(const CommandLine& cli, PluginHost& host);
// --input's text: the JSON itself, or the content of the file after '@'.
bool read_input(const std::string& spec, std::string& text, std::string& error);

int command_nodes(const CommandLine& cli);
int command_describe(const CommandLine& cli);
int command_invoke(const CommandLine& cli);
int command_run(const CommandLine& cli);

}  // namespace flowrun
