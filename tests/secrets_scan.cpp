// The secrets scan: while this binary runs the fault matrix and the hostile-input table, every
// byte the plugin writes to stderr is captured; at the end every envelope, every log line the
// host received and all of stderr are searched for the API keys and their Basic-auth forms.
#include "plugin_fixture.hpp"

#include <openssl/evp.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace {

const std::vector<std::string> kKeys = {"matrix-secret-key-91b3", "hostile-secret-key-7d41"};

std::string basic_form(const std::string& key) {
    const std::string plain = key + ":X";
    std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

class SecretsScan : public ::testing::Environment {
  public:
    void SetUp() override {
        std::fflush(stderr);
        saved_stderr_ = ::dup(2);
        path_ = "/tmp/fd_secrets_scan_" + std::to_string(::getpid()) + ".stderr";
        FILE* capture = std::fopen(path_.c_str(), "w");
        ::dup2(::fileno(capture), 2);
        std::fclose(capture);
    }

    void TearDown() override {
        std::fflush(stderr);
        ::dup2(saved_stderr_, 2);
        ::close(saved_stderr_);
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream captured;
        captured << in.rdbuf();
        std::remove(path_.c_str());

        std::vector<std::string> needles;
        for (const std::string& key : kKeys) {
            needles.push_back(key);
            needles.push_back(basic_form(key));
        }
        std::size_t hits = 0;
        std::size_t bytes = captured.str().size();
        auto scan = [&](const std::string& text, const char* where) {
            for (const std::string& needle : needles) {
                if (text.find(needle) != std::string::npos) {
                    ++hits;
                    ADD_FAILURE() << "a secret in " << where << ": " << text.substr(0, 300);
                }
            }
        };
        for (const std::string& envelope : fdtest::envelopes_seen()) {
            scan(envelope, "an envelope");
            bytes += envelope.size();
        }
        for (const std::string& line : fdtest::plugin_log()) {
            scan(line, "a log line");
            bytes += line.size();
        }
        scan(captured.str(), "stderr");
        std::cout << "[ secrets  ] scanned " << fdtest::envelopes_seen().size() << " envelopes, "
                  << fdtest::plugin_log().size() << " log lines and " << captured.str().size() << " bytes of stderr ("
                  << bytes << " bytes) for " << needles.size() << " secret forms: " << hits << " hits\n";
        if (ran_a_big_suite() && !std::getenv("FD_ONLY_NODE")) {
            EXPECT_GT(fdtest::envelopes_seen().size(), 100u) << "the scan saw the matrix or the table";
        }
    }

  private:
    // ctest runs each test case in a process of its own: only the matrix and the table make
    // enough envelopes for the scan to have something to look at.
    static bool ran_a_big_suite() {
        const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
        for (int i = 0; i < unit.total_test_suite_count(); ++i) {
            const ::testing::TestSuite& suite = *unit.GetTestSuite(i);
            for (int j = 0; j < suite.total_test_count(); ++j) {
                const ::testing::TestInfo& test = *suite.GetTestInfo(j);
                const std::string name = test.name();
                if (test.should_run() && (name == "EveryNodeRefusesBeforeAnyIo" || name == "EveryNodeAgainstEveryFault")) {
                    return true;
                }
            }
        }
        return false;
    }

    int saved_stderr_ = -1;
    std::string path_;
};

const auto* const kRegistered = ::testing::AddGlobalTestEnvironment(new SecretsScan);

}  // namespace
