// flowrun as a user runs it, for the flowrun suites: the binary with arguments and an
// environment, its exit code, stdout and stderr; scratch folders and files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace flowrun_test {

inline const std::filesystem::path kFlowrun = FD_FLOWRUN;
inline const std::filesystem::path kPluginDir = FD_PLUGIN_DIR;
inline const std::filesystem::path kExamples = std::filesystem::path(FD_SOURCE_DIR) / "examples";

struct Result {
    int exit_code = -1;  // the shell's: 128 + N when flowrun died of signal N
    std::string out;
    std::string err;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);
std::string quote(const std::string& arg);
// How many nodes the built plugin's package.json lists.
std::size_t catalogue_size();

// Runs flowrun with `args` (and an optional environment prefix such as "FOO=1").
Result run_flowrun(const std::vector<std::string>& args, const std::string& env = "");

// `flowrun sandbox ARGS... > LINE_FILE &`: a sandbox of its own process, whose printed line is
// a credentials file. Stopped (SIGTERM) when destroyed.
class SandboxProcess {
  public:
    explicit SandboxProcess(const std::string& args);
    ~SandboxProcess();
    const std::filesystem::path& credentials_file() const { return line_file_; }

  private:
    std::filesystem::path line_file_;
    int pid_ = 0;
};

// A scratch folder named after the test, removed at its end.
class Scratch : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    std::filesystem::path root_;
};

}  // namespace flowrun_test
