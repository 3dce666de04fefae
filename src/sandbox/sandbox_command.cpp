#include "sandbox/sandbox_command.hpp"

#include "sandbox/query_params.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <signal.h>
#include <ctime>
#include <iostream>
#include <string_view>

namespace fdsandbox {
namespace {

bool read_number(std::string_view option, const char* text, std::int64_t minimum, std::int64_t maximum,
                 std::int64_t& value, std::string& error) {
    const std::optional<std::int64_t> number = parse_integer(text);
    if (!number || *number < minimum || *number > maximum) {
        error = std::string(option) + " takes an integer from " + std::to_string(minimum) + " to " +
                std::to_string(maximum) + ", got \"" + text + "\"";
        return false;
    }
    value = *number;
    return true;
}

}  // namespace

std::string sandbox_usage() {
    return R"(usage: flowrun sandbox [options]

Serves a local emulator of the Freshdesk API v2 over HTTPS on loopback, with its own CA, until
SIGINT/SIGTERM (or POST {control_url}/control/shutdown). Prints one JSON line on stdout:
{"base_url":...,"ca_file":...,"api_key":...,"domain":...,"control_url":...}

options:
  --port N             API port (default 0: any free port)
  --control-port N     JSON control channel port, plain HTTP on loopback (default 0: any free port)
  --no-control         no control channel
  --listen ADDRESS     address to listen on (default 127.0.0.1)
  --api-key KEY        the API key clients must send as Basic user name (default sandbox-api-key)
  --domain NAME        the account: NAME.freshdesk.com (default sandbox)
  --ca-file PATH       where to write the CA certificate (default: a fresh temporary file)
  --seed-contacts N    seed N deterministic contacts
  --seed-tickets N     seed N deterministic tickets (created over the last 90 days)
  --seed N             seed value for the generated data (default 1)
  --rate-limit N       API credits per window (default 3000)
  --rate-window S      rate-limit window in seconds (default 60)
  --relaxed            ticket create needs no status/priority/subject/description (defaults apply)
  --threads N          server threads (default 1)
  --help               this text
)";
}

bool parse_sandbox_options(int argc, char** argv, CommandOptions& options, std::string& error) {
    options.config.control_port_enabled = true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                error = std::string(option) + " needs a value";
                return nullptr;
            }
            return argv[++i];
        };
        std::int64_t number = 0;
        if (option == "--help" || option == "-h") {
            options.help = true;
        } else if (option == "--relaxed") {
            options.config.relaxed_ticket_fields = true;
        } else if (option == "--no-control") {
            options.config.control_port_enabled = false;
        } else if (option == "--port" || option == "--control-port") {
            const char* text = value();
            if (!text || !read_number(option, text, 0, 65535, number, error)) return false;
            (option == "--port" ? options.config.port : options.config.control_port) =
                static_cast<std::uint16_t>(number);
        } else if (option == "--listen" || option == "--api-key" || option == "--domain" || option == "--ca-file") {
            const char* text = value();
            if (!text) return false;
            if (*text == '\0') {
                error = std::string(option) + " needs a non-empty value";
                return false;
            }
            if (option == "--listen") options.config.listen_address = text;
            if (option == "--api-key") options.config.api_key = text;
            if (option == "--domain") options.config.domain = text;
            if (option == "--ca-file") options.config.ca_file = text;
        } else if (option == "--seed-contacts" || option == "--seed-tickets") {
            const char* text = value();
            if (!text || !read_number(option, text, 0, 1000000, number, error)) return false;
            (option == "--seed-contacts" ? options.seed.contacts : options.seed.tickets) = static_cast<int>(number);
        } else if (option == "--seed") {
            const char* text = value();
            if (!text || !read_number(option, text, 0, 4294967295LL, number, error)) return false;
            options.seed.seed = static_cast<std::uint32_t>(number);
        } else if (option == "--rate-limit") {
            const char* text = value();
            if (!text || !read_number(option, text, 0, 1000000000000LL, number, error)) return false;
            options.config.rate_limit_budget = number;
        } else if (option == "--rate-window") {
            const char* text = value();
            if (!text || !read_number(option, text, 1, 31LL * 24 * 3600, number, error)) return false;
            options.config.rate_limit_window = std::chrono::seconds(number);
        } else if (option == "--threads") {
            const char* text = value();
            if (!text || !read_number(option, text, 1, 64, number, error)) return false;
            options.config.threads = static_cast<unsigned>(number);
        } else {
            error = "unknown option \"" + std::string(option) + "\"";
            return false;
        }
    }
    return true;
}

std::string startup_line(const Sandbox& sandbox) {
    return boost::json::serialize(boost::json::object{{"base_url", sandbox.base_url()},
                                                      {"ca_file", sandbox.ca_file().string()},
                                                      {"api_key", sandbox.api_key()},
                                                      {"domain", sandbox.domain()},
                                                      {"control_url", sandbox.control_url()}});
}

}  // namespace fdsandbox

int run_sandbox_command(int argc, char** argv) {
    using namespace fdsandbox;
    CommandOptions options;
    std::string error;
    if (!parse_sandbox_options(argc, argv, options, error)) {
        std::cerr << "flowrun sandbox: " << error << "\n\n" << sandbox_usage();
        return 2;
    }
    if (options.help) {
        std::cout << sandbox_usage();
        return 0;
    }

    // Signals are taken synchronously by this thread: blocked here before the server threads
    // start (they inherit the mask), then waited for with sigtimedwait.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigset_t previous_mask;
    pthread_sigmask(SIG_BLOCK, &stop_signals, &previous_mask);

    int status = 0;
    try {
        Sandbox sandbox(options.config);
        sandbox.start();
        sandbox.seed(options.seed);
        std::cout << startup_line(sandbox) << std::endl;
        std::cerr << "flowrun sandbox: Freshdesk API v2 emulator at " << sandbox.base_url() << "/api/v2 (account "
                  << sandbox.domain() << ".freshdesk.com); trust " << sandbox.ca_file().string()
                  << ", authenticate with Basic " << sandbox.api_key() << ":X";
        if (!sandbox.control_url().empty()) std::cerr << "; control at " << sandbox.control_url() << "/control";
        std::cerr << ". Ctrl-C stops it." << std::endl;

        for (;;) {
            const timespec poll_interval{0, 200 * 1000 * 1000};
            const int signal = sigtimedwait(&stop_signals, nullptr, &poll_interval);
            if (signal == SIGINT || signal == SIGTERM) {
                std::cerr << "flowrun sandbox: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping"
                          << std::endl;
                break;
            }
            if (sandbox.wait_for_shutdown_request(std::chrono::milliseconds(0))) {
                std::cerr << "flowrun sandbox: shutdown requested, stopping" << std::endl;
                break;
            }
        }
        sandbox.stop();
    } catch (const std::exception& failure) {
        std::cerr << "flowrun sandbox: " << failure.what() << std::endl;
        status = 1;
    }
    // Take any stop signal still pending (a second Ctrl-C) before unblocking: it must not kill
    // the process after a clean shutdown.
    const timespec no_wait{0, 0};
    while (sigtimedwait(&stop_signals, nullptr, &no_wait) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    return status;
}
