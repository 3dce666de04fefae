// flowrun test: runs workflow files as tests, each against its own fresh embedded sandbox unless
// credentials are given, and reports one line per workflow and per unmet expectation.
#include "flowrun/cli.hpp"
#include "flowrun/credentials.hpp"
#include "flowrun/junit_report.hpp"
#include "flowrun/readable_message.hpp"
#include "flowrun/workflow_file.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace flowrun {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTestHelp =
    R"(usage: flowrun test PATH... [--credentials FILE] [--junit FILE] [--verbose] [--plugins DIR]

Runs workflow files as tests: each PATH is a workflow file or a folder, whose *.workflow.json
files run in name order. Without credentials each workflow runs against its own fresh
embedded Freshdesk sandbox, so workflows cannot disturb one another; with --credentials or
FRESHDESK_* they all run against that account.

A workflow passes when every step succeeded (see flowrun run --help: failures, on_error) and
every "expect" held. stdout gets one line per workflow (PASS or FAIL) and one per unmet
expectation (expected vs got), then "N passed, M failed". --junit FILE writes a JUnit XML
report as well; --verbose logs every step and its envelope on stderr.

exit codes: 0 every workflow passed; 1 one failed; 2 a usage error (no such PATH).
)";

// The workflow files PATHs name, or false (and a message) for a PATH that names none.
bool workflow_files(const std::vector<std::string>& paths, std::vector<std::string>& files) {
    for (const std::string& path : paths) {
        std::error_code error;
        if (!fs::is_directory(path, error)) {
            if (!fs::exists(path, error)) {
                std::cerr << "flowrun test: " << path << ": no such file or folder\n";
                return false;
            }
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
            if (entry.path().filename().string().ends_with(".workflow.json")) found.push_back(entry.path().string());
        }
        if (found.empty()) {
            std::cerr << "flowrun test: " << path << " holds no *.workflow.json file\n";
            return false;
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return true;
}

// Runs one file; its failures are the lines printed under FAIL.
TestCaseReport test_one(const std::string& path, const PluginHost& host, const CommandLine& cli) {
    TestCaseReport report{path, "flowrun", 0, {}};
    const auto started = std::chrono::steady_clock::now();
    const WorkflowFile file = load_workflow_file(path, host, nullptr);
    report.failures = file.problems;
    if (file.workflow) {
        report.classname = file.workflow->name.empty() ? "flowrun" : file.workflow->name;
        try {
            NodeRunner runner(host, cli.credentials_file, true);
            ProgressLine progress(true);
            const StepPrinter printer{std::cerr, cli.verbose, cli.verbose, cli.verbose};
            const WorkflowResult result = execute_workflow(*file.workflow, {}, runner, printer, progress);
            // A step that continued past its failure fails nothing by itself.
            for (const StepOutcome& outcome : result.succeeded() ? std::vector<StepOutcome>() : result.steps) {
                if (outcome.failed || !outcome.unmet.empty()) report.failures.push_back(step_line(outcome));
                for (const UnmetExpectation& unmet : outcome.unmet)
                    report.failures.push_back("step \"" + outcome.step->id + "\": " + unmet.describe());
            }
        } catch (const std::exception& problem) {
            report.failures.push_back(readable_message(problem));
        }
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

void print_report(const TestCaseReport& report) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f s", report.seconds);
    if (report.failures.empty()) {
        std::cout << "PASS " << report.name << " (" << seconds << ")\n";
        return;
    }
    std::cout << "FAIL " << report.name << " (" << seconds << ")\n";
    for (const std::string& failure : report.failures)
        std::cout << "  " << failure << "\n";
}

}  // namespace

int command_test(const CommandLine& cli) {
    if (cli.help) {
        std::cout << kTestHelp;
        return kExitOk;
    }
    std::vector<std::string> files;
    if (!workflow_files(cli.positional, files)) return kExitUsage;
    PluginHost host;
    if (load_plugins(cli, host) == kExitUsage) return kExitUsage;
    try {
        if (!resolve_credentials(cli.credentials_file)) {
            std::cerr << "flowrun test: no credentials given: each workflow runs against its own fresh embedded "
                         "Freshdesk sandbox\n";
        }
    } catch (const CredentialsError& problem) {
        std::cerr << "flowrun test: " << problem.what() << "\n";
        return kExitUsage;
    }
    std::vector<TestCaseReport> reports;
    std::size_t failed = 0;
    for (const std::string& file : files) {
        reports.push_back(test_one(file, host, cli));
        print_report(reports.back());
        failed += reports.back().failures.empty() ? 0 : 1;
    }
    std::cout << files.size() - failed << " passed, " << failed << " failed\n";
    std::string error;
    if (!cli.junit_file.empty() && !write_junit(cli.junit_file, reports, error)) {
        std::cerr << "flowrun test: " << error << "\n";
        return kExitFailure;
    }
    return failed ? kExitFailure : kExitOk;
}

}  // namespace flowrun
