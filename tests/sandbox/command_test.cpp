// `flowrun sandbox`: option parsing, the help text (every control endpoint with an example),
// the startup line that says how to reach it, readable start-up failures, and the command as a
// process of its own (sandbox_serve, a one-line main around run_sandbox_command) stopped by
// SIGTERM, SIGINT or the control channel.
#include "sandbox/sandbox_command.hpp"
#include "sandbox_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

extern char** environ;

namespace sandbox_test {
namespace {

using namespace std::chrono_literals;

bool parse(std::vector<std::string> args, fdsandbox::CommandOptions& options, std::string& error) {
    args.insert(args.begin(), "sandbox");
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    return fdsandbox::parse_sandbox_options(static_cast<int>(args.size()), argv.data(), options, error);
}

TEST(SandboxCommand, ParsesEveryOption) {
    fdsandbox::CommandOptions options;
    std::string error;
    ASSERT_TRUE(parse(
        {"--port",       "8443",       "--control-port",  "8444", "--api-key",      "k1",        "--domain", "acme",
         "--ca-file",    "/tmp/x.pem", "--seed-contacts", "5",    "--seed-tickets", "50",        "--seed",   "7",
         "--rate-limit", "200",        "--rate-window",   "3600", "--relaxed",      "--threads", "2",        "--listen",
         "127.0.0.1"},
        options, error))
        << error;
    EXPECT_EQ(options.config.port, 8443);
    EXPECT_TRUE(options.config.control_port_enabled);
    EXPECT_EQ(options.config.control_port, 8444);
    EXPECT_EQ(options.config.api_key, "k1");
    EXPECT_EQ(options.config.domain, "acme");
    EXPECT_EQ(options.config.ca_file, "/tmp/x.pem");
    EXPECT_EQ(options.seed.contacts, 5);
    EXPECT_EQ(options.seed.tickets, 50);
    EXPECT_EQ(options.seed.seed, 7u);
    EXPECT_EQ(options.config.rate_limit_budget, 200);
    EXPECT_EQ(options.config.rate_limit_window, std::chrono::seconds(3600));
    EXPECT_TRUE(options.config.relaxed_ticket_fields);
    EXPECT_EQ(options.config.threads, 2u);
    EXPECT_FALSE(options.help);
}

TEST(SandboxCommand, RefusesBadUsage) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"--port", "x"},
                                                                                      {"--port", "70000"},
                                                                                      {"--port"},
                                                                                      {"--frobnicate"},
                                                                                      {"--rate-window", "0"},
                                                                                      {"--api-key", ""}}) {
        fdsandbox::CommandOptions options;
        std::string error;
        EXPECT_FALSE(parse(args, options, error)) << args.front();
        EXPECT_FALSE(error.empty());
    }
    fdsandbox::CommandOptions options;
    std::string error;
    ASSERT_TRUE(parse({"--help", "--no-control"}, options, error));
    EXPECT_TRUE(options.help);
    EXPECT_FALSE(options.config.control_port_enabled);
    EXPECT_NE(fdsandbox::sandbox_usage().find("--seed-tickets"), std::string::npos);
}

TEST(SandboxCommand, TheStartupLineSaysHowToReachIt) {
    fdsandbox::Config config;
    config.control_port_enabled = true;
    fdsandbox::Sandbox sandbox(config);
    sandbox.start();
    const json::value line = parse_json(fdsandbox::startup_line(sandbox));
    EXPECT_EQ(line,
              parse_json(R"({"base_url":")" + sandbox.base_url() + R"(","ca_file":")" + sandbox.ca_file().string() +
                         R"(","api_key":"sandbox-api-key","domain":"sandbox",)"
                         R"("control_url":")" +
                         sandbox.control_url() + R"("})"));
}

// The command as a child process with its stdout on a pipe (stderr discarded, or on the same
// pipe with `capture_stderr`).
class ServeProcess {
  public:
    explicit ServeProcess(std::vector<std::string> args, bool capture_stderr = false) {
        args.insert(args.begin(), FD_SANDBOX_SERVE);
        std::vector<char*> argv;
        for (std::string& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        int pipe_fds[2];
        if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
        if (capture_stderr)
            posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
        else
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(pipe_fds[1]);
        stdout_fd_ = pipe_fds[0];
        if (spawned != 0) throw std::runtime_error("posix_spawn failed");
    }

    ~ServeProcess() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        close(stdout_fd_);
    }

    // Everything up to the first newline, or "" after `timeout`.
    std::string read_line(std::chrono::milliseconds timeout) {
        std::string line;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd poll_fd{stdout_fd_, POLLIN, 0};
            if (poll(&poll_fd, 1, 50) <= 0) continue;
            char c = 0;
            if (read(stdout_fd_, &c, 1) != 1) break;
            if (c == '\n') return line;
            line += c;
        }
        return {};
    }

    void signal(int number) { kill(pid_, number); }

    // The exit status, or -1 when it did not exit within `timeout`.
    int wait_exit(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(10ms);
        }
        return -1;
    }

  private:
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
};

// Starts the command, checks it serves what its startup line says, and returns that line.
json::object start_and_probe(ServeProcess& process) {
    const std::string line = process.read_line(10s);
    EXPECT_FALSE(line.empty()) << "no startup line";
    if (line.empty()) return {};
    json::object info = parse_json(line).as_object();
    fdtest::ClientOptions options = fdtest::options_for_url(std::string(info.at("base_url").as_string()));
    options.ca_file = std::string(info.at("ca_file").as_string());
    options.default_headers.emplace_back("Authorization",
                                         fdtest::basic_authorization(std::string(info.at("api_key").as_string()), "X"));
    fdtest::HttpsClient client(options);
    const fdtest::Response tickets = client.get("/api/v2/tickets?per_page=100&updated_since=2000-01-01");
    EXPECT_EQ(tickets.status, 200);
    EXPECT_EQ(parse_json(tickets.body).as_array().size(), 12u) << "seeded from the command line";
    return info;
}

TEST(SandboxCommandProcess, ServesUntilSigterm) {
    ServeProcess process({"--seed-tickets", "12", "--seed-contacts", "3", "--domain", "acme"});
    const json::object info = start_and_probe(process);
    EXPECT_EQ(info.at("domain"), "acme");
    EXPECT_TRUE(std::string(info.at("control_url").as_string()).starts_with("http://127.0.0.1:"));
    process.signal(SIGTERM);
    EXPECT_EQ(process.wait_exit(5s), 0);
}

TEST(SandboxCommandProcess, ServesUntilSigint) {
    ServeProcess process({"--seed-tickets", "12", "--no-control"});
    const json::object info = start_and_probe(process);
    EXPECT_EQ(info.at("control_url"), "");
    process.signal(SIGINT);
    EXPECT_EQ(process.wait_exit(5s), 0);
}

TEST(SandboxCommandProcess, StopsWhenTheControlChannelAsks) {
    ServeProcess process({"--seed-tickets", "12"});
    const json::object info = start_and_probe(process);
    fdtest::HttpsClient control(fdtest::options_for_url(std::string(info.at("control_url").as_string())));
    EXPECT_EQ(control.request("POST", "/control/shutdown").status, 202);
    EXPECT_EQ(process.wait_exit(5s), 0);
}

TEST(SandboxCommandProcess, HelpAndBadUsageExitCodes) {
    ServeProcess help({"--help"});
    EXPECT_EQ(help.read_line(5s), "usage: flowrun sandbox [options]");
    EXPECT_EQ(help.wait_exit(5s), 0);
    ServeProcess bad({"--bogus"});
    EXPECT_EQ(bad.wait_exit(5s), 2);
}

TEST(SandboxCommandProcess, APortInUseIsAFailureToStartSaidPlainly) {
    fdsandbox::Sandbox holder;
    holder.start();
    ServeProcess clash({"--port", std::to_string(holder.port())}, true);
    const std::string message = clash.read_line(5s);
    EXPECT_EQ(message, "flowrun sandbox: cannot listen on 127.0.0.1:" + std::to_string(holder.port()) +
                           ": Address already in use");
    EXPECT_EQ(clash.wait_exit(5s), 1);
}

TEST(SandboxCommand, HelpDocumentsEveryControlEndpointWithACurlExample) {
    const std::string usage = fdsandbox::sandbox_usage();
    for (const char* path :
         {"/control/reset", "/control/seed", "/control/faults", "/control/rate_limit", "/control/counters",
          "/control/requests", "/control/latency", "/control/accounts", "/control/shutdown"}) {
        const std::size_t described = usage.find(std::string(path) + " ");
        ASSERT_NE(described, std::string::npos) << path;
        EXPECT_NE(usage.find(std::string("curl -s"), described), std::string::npos) << path;
        EXPECT_NE(usage.find(std::string("C") + path), std::string::npos) << path << " has an example";
    }
}

TEST(SandboxCommand, ParsesAccountsLatencyAndDirectorySeeds) {
    fdsandbox::CommandOptions options;
    std::string error;
    ASSERT_TRUE(parse({"--account", "acme:k2", "--latency-ms", "50", "--seed-agents", "2", "--seed-groups", "3",
                       "--seed-companies", "4"},
                      options, error))
        << error;
    ASSERT_EQ(options.config.extra_accounts.size(), 1u);
    EXPECT_EQ(options.config.extra_accounts[0].domain, "acme");
    EXPECT_EQ(options.config.extra_accounts[0].api_key, "k2");
    EXPECT_EQ(options.config.response_latency, std::chrono::milliseconds(50));
    EXPECT_EQ(options.seed.agents, 2);
    EXPECT_EQ(options.seed.groups, 3);
    EXPECT_EQ(options.seed.companies, 4);
    for (const char* bad : {"acme", ":k", "acme:"}) {
        fdsandbox::CommandOptions refused;
        EXPECT_FALSE(parse({"--account", bad}, refused, error)) << bad;
    }
}

}  // namespace
}  // namespace sandbox_test
