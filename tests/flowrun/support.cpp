#include "flowrun/support.hpp"

#include <boost/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace flowrun_test {
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string quote(const std::string& arg) {
    std::string out = "'";
    for (char c : arg)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

Result run_flowrun(const std::vector<std::string>& args, const std::string& env) {
    const fs::path err_file = fs::temp_directory_path() / ("flowrun_test_err_" + std::to_string(::getpid()));
    std::string command = env + " " + quote(kFlowrun.string());
    for (const std::string& arg : args)
        command += " " + quote(arg);
    command += " 2>" + quote(err_file.string()) + " </dev/null";
    Result result;
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        result.out.append(buffer, n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = read_file(err_file);
    fs::remove(err_file);
    return result;
}

SandboxProcess::SandboxProcess(const std::string& args) {
    static int count = 0;
    line_file_ = fs::temp_directory_path() /
                 ("flowrun_sandbox_" + std::to_string(::getpid()) + "_" + std::to_string(++count) + ".json");
    const std::string start =
        quote(kFlowrun.string()) + " sandbox " + args + " >" + quote(line_file_.string()) + " 2>/dev/null & echo $!";
    FILE* pipe = ::popen(start.c_str(), "r");
    char pid_text[32] = {};
    if (std::fgets(pid_text, sizeof pid_text, pipe)) pid_ = std::atoi(pid_text);
    ::pclose(pipe);
    for (int i = 0; i < 250 && read_file(line_file_).find('\n') == std::string::npos; ++i)
        ::usleep(20'000);
}

SandboxProcess::~SandboxProcess() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    fs::remove(line_file_);
}

void Scratch::SetUp() {
    root_ = fs::temp_directory_path() / ("flowrun_" + std::to_string(::getpid()) + "_" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
}

void Scratch::TearDown() {
    fs::remove_all(root_);
}

std::size_t catalogue_size() {
    return boost::json::parse(read_file(std::filesystem::path(FD_PLUGIN_DIR) / "package.json"))
        .at_pointer("/wfp/nodes")
        .as_array()
        .size();
}

}  // namespace flowrun_test
