// A progress line while a node reads many pages: on a terminal only, and never with --quiet.
#include "flowrun/support.hpp"

#include <gtest/gtest.h>

#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
namespace fs = std::filesystem;
using namespace flowrun_test;

// Runs flowrun on a pseudo-terminal (stdout and stderr both), as a person at a terminal does.
std::string run_on_terminal(const std::vector<std::string>& args) {
    int terminal = -1;
    const pid_t child = ::forkpty(&terminal, nullptr, nullptr, nullptr);
    if (child == 0) {
        std::vector<char*> argv{const_cast<char*>(kFlowrun.c_str())};
        for (const std::string& arg : args)
            argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        ::execv(kFlowrun.c_str(), argv.data());
        ::_exit(127);
    }
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(terminal, buffer, sizeof buffer)) > 0;)
        out.append(buffer, static_cast<std::size_t>(n));
    ::close(terminal);
    ::waitpid(child, nullptr, 0);
    return out;
}

// Every contact: five pages of 100 from a sandbox seeded with 450.
constexpr const char* kEveryContact = R"({"ReturnAll": true})";
constexpr const char* kSeed = "--seed-contacts 450";

}  // namespace

TEST(FlowrunProgress, ALongRunShowsItsProgressOnATerminal) {
    const SandboxProcess sandbox(kSeed);
    const std::string credentials = sandbox.credentials_file().string();
    const std::string terminal = run_on_terminal(
        {"invoke", "freshdesk.contact.get_many", "--input", kEveryContact, "--credentials", credentials});
    EXPECT_NE(terminal.find("flowrun: freshdesk.contact.get_many: 100 items read..."), std::string::npos)
        << terminal.substr(0, 300);
    EXPECT_NE(terminal.find("\r\033[K{"), std::string::npos) << "the line is erased before the envelope";
    const Result piped =
        run_flowrun({"invoke", "freshdesk.contact.get_many", "--input", kEveryContact, "--credentials", credentials});
    EXPECT_EQ(piped.exit_code, 0);
    EXPECT_EQ(piped.err.find("items read"), std::string::npos) << "not in a pipe or a log: " << piped.err;
}

TEST(FlowrunProgress, NotWithQuiet) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_progress_" + std::to_string(::getpid()) + ".json");
    write_file(file, R"({"nodes": [{"id": "start", "type": "start"},
      {"id": "all", "type": "freshdesk.contact.get_many", "input": )" +
                         std::string(kEveryContact) + R"(},
      {"id": "answer", "type": "answer", "text": "{{all.Pagination.pages_read}} pages"}]})");
    const SandboxProcess sandbox(kSeed);
    const std::string credentials = sandbox.credentials_file().string();
    const std::string loud = run_on_terminal({"run", file.string(), "--credentials", credentials});
    const std::string quiet = run_on_terminal({"run", file.string(), "--quiet", "--credentials", credentials});
    fs::remove(file);
    EXPECT_NE(loud.find("flowrun: step \"all\": 100 items read..."), std::string::npos) << loud.substr(0, 300);
    EXPECT_EQ(quiet.find("items read"), std::string::npos) << quiet;
    EXPECT_EQ(quiet, "5 pages\r\n") << "only the Answer";
}
