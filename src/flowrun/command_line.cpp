// Reading a command's arguments: each command names the options it takes, and anything else
// is a usage error, so a typo never silently changes what runs.
#include "flowrun/cli.hpp"
#include "flowrun/credentials.hpp"
#include "flowrun/plugin_host.hpp"
#include "flowrun/readable_message.hpp"

#include <iostream>
#include <string_view>

namespace flowrun {

namespace {

struct OptionSpec {
    std::string_view name;
    Option bit;
    bool takes_value;
};

constexpr OptionSpec kOptions[] = {
    {"--plugins", kPlugins, true},  {"--input", kInput, true},  {"--credentials", kCredentials, true},
    {"--verbose", kVerbose, false}, {"--quiet", kQuiet, false}, {"--junit", kJunit, true},
};

void store(const OptionSpec& option, std::string value, CommandLine& out) {
    switch (option.bit) {
        case kPlugins:
            out.plugin_dirs.push_back(std::move(value));
            break;
        case kInput:
            out.input = std::move(value);
            out.has_input = true;
            break;
        case kCredentials:
            out.credentials_file = std::move(value);
            break;
        case kJunit:
            out.junit_file = std::move(value);
            break;
        case kVerbose:
            out.verbose = true;
            break;
        case kQuiet:
            out.quiet = true;
            break;
    }
}

}  // namespace

bool parse_command_line(int argc, char** argv, unsigned allowed, CommandLine& out, std::string& error) {
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            out.help = true;
            continue;
        }
        if (!arg.starts_with("-") || arg == "-") {
            out.positional.emplace_back(arg);
            continue;
        }
        const OptionSpec* option = nullptr;
        for (const OptionSpec& candidate : kOptions) {
            if (candidate.name == arg && (allowed & candidate.bit)) option = &candidate;
        }
        if (!option) {
            error = "unknown option " + std::string(arg);
            return false;
        }
        std::string value;
        if (option->takes_value) {
            if (i + 1 >= argc) {
                error = std::string(arg) + " needs a value";
                return false;
            }
            value = argv[++i];
        }
        store(*option, std::move(value), out);
    }
    if (out.verbose && out.quiet) {
        error = "--verbose and --quiet contradict each other";
        return false;
    }
    return true;
}

int load_plugins(const CommandLine& cli, PluginHost& host) {
    const PluginSearch search = plugin_search_dirs(cli.plugin_dirs);
    if (search.from_command_line) {
        for (const std::filesystem::path& dir : search.dirs) {
            std::error_code error;
            if (!std::filesystem::is_directory(dir, error)) {
                std::cerr << "flowrun: --plugins " << dir.string() << ": no such folder\n";
                return kExitUsage;
            }
        }
    }
    const LoadReport report = host.load_all(search.dirs);
    for (const std::string& problem : report.refused)
        std::cerr << "flowrun: " << problem << "\n";
    for (const std::string& note : report.notes) {
        if (!cli.quiet) std::cerr << "flowrun: note: " << note << "\n";
    }
    return report.refused.empty() ? kExitOk : kExitFailure;
}

int with_runner_errors(std::string_view command, const std::function<int()>& body) {
    try {
        return body();
    } catch (const CredentialsError& problem) {
        std::cerr << "flowrun " << command << ": " << problem.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& problem) {
        std::cerr << "flowrun " << command << ": " << readable_message(problem) << "\n";
        return kExitFailure;
    }
}

}  // namespace flowrun
