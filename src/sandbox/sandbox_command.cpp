#include "sandbox/sandbox_command.hpp"

#include "sandbox/query_params.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/system_error.hpp>

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

namespace {

constexpr std::string_view kUsage = R"(usage: flowrun sandbox [options]

Serves a local emulator of the Freshdesk API v2 over HTTPS on loopback, with its own CA, until
SIGINT/SIGTERM (or POST {control_url}/control/shutdown). Prints one JSON line on stdout, usable as
a credentials file: {"base_url":...,"ca_file":...,"api_key":...,"domain":...,"control_url":...}

options:
  --port N               API port (default 0: any free port)
  --control-port N       JSON control channel port, plain HTTP on loopback (default 0: any free port)
  --no-control           no control channel
  --listen ADDRESS       address to listen on (default 127.0.0.1)
  --api-key KEY          the API key clients send as Basic user name (default sandbox-api-key)
  --domain NAME          the account: NAME.freshdesk.com (default sandbox)
  --account NAME:KEY     serve another account NAME.freshdesk.com with API key KEY (repeatable); on
                         127.0.0.1 the key chooses the account
  --ca-file PATH         where to write the CA certificate (default: a fresh temporary file)
  --seed-contacts N      seed N deterministic contacts
  --seed-tickets N       seed N deterministic tickets (created over the last 90 days)
  --seed-agents N        add N agents to the default 4 (likewise --seed-groups, --seed-companies,
  --seed-groups N        whose defaults are 3 each)
  --seed-companies N
  --seed N               seed value for the generated data (default 1)
  --rate-limit N         API credits per window, per account (default 3000)
  --rate-window S        rate-limit window in seconds (default 60)
  --latency-ms N         wait N milliseconds before every API answer (default 0)
  --relaxed              ticket create needs no status/priority/subject/description (defaults apply)
  --threads N            server threads (default 1)
  --help                 this text

control channel (plain HTTP on loopback at control_url; JSON in and out; 400 {"error":...} on a
bad request). C stands for the control_url the startup line prints:
  GET    /control                what the startup line says
           curl -s C/control
  POST   /control/reset          every account's data back to its defaults; counters, request
                                 log, faults and rate-limit windows cleared
           curl -s -X POST C/control/reset
  POST   /control/seed           add deterministic data (to "domain", default the primary account)
           curl -s -X POST C/control/seed -d '{"contacts":20,"tickets":50,"agents":2,"groups":1,"companies":2}'
  POST   /control/faults         inject faults (an object or an array): kinds delay_before_headers,
                                 slow_body, reset_mid_body, short_body, malformed_json, status,
                                 rate_limited, close_without_response, oversized_body, redirect
           curl -s C/control/faults -d '{"kind":"status","status":503,"count":2,"path_prefix":"/api/v2/tickets"}'
  GET    /control/faults         {"pending":N} fault uses left;  DELETE clears them
           curl -s -X DELETE C/control/faults
  PUT    /control/rate_limit     every account's budget and window: {"budget":N,"window_seconds":S}
           curl -s -X PUT C/control/rate_limit -d '{"budget":50,"window_seconds":60}'
  GET    /control/counters       requests, connections_accepted, tls_handshakes, bytes_received, bytes_sent
           curl -s C/control/counters
  GET    /control/requests       the request log (?since=N skips the first N);  DELETE empties it
           curl -s 'C/control/requests?since=0'
  PUT    /control/latency        {"ms":N} waited before every API answer;  GET reads it
           curl -s -X PUT C/control/latency -d '{"ms":50}'
  POST   /control/accounts       serve another account {"domain","api_key","seed":{...}};  GET lists them
           curl -s C/control/accounts -d '{"domain":"acme","api_key":"acme-key","seed":{"tickets":10}}'
  POST   /control/shutdown       stop this command
           curl -s -X POST C/control/shutdown
)";

bool read_text(std::string_view option, const char* text, std::string& out, std::string& error) {
    if (*text == '\0') {
        error = std::string(option) + " needs a non-empty value";
        return false;
    }
    out = text;
    return true;
}

// --account NAME:KEY
bool read_account(const char* text, std::vector<AccountSpec>& accounts, std::string& error) {
    const std::string_view value = text;
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size()) {
        error = "--account takes NAME:KEY, got \"" + std::string(value) + "\"";
        return false;
    }
    accounts.push_back({std::string(value.substr(0, colon)), std::string(value.substr(colon + 1)), {}});
    return true;
}

// Options taking a number: their range and where the number goes.
bool read_numeric_option(std::string_view option, const char* text, CommandOptions& options, std::string& error,
                         bool& known) {
    struct NumericOption {
        std::string_view name;
        std::int64_t minimum, maximum;
        void (*store)(CommandOptions&, std::int64_t);
    };
    static constexpr NumericOption kOptions[] = {
        {"--port", 0, 65535, [](CommandOptions& o, std::int64_t n) { o.config.port = static_cast<std::uint16_t>(n); }},
        {"--control-port", 0, 65535,
         [](CommandOptions& o, std::int64_t n) { o.config.control_port = static_cast<std::uint16_t>(n); }},
        {"--seed-contacts", 0, 1000000,
         [](CommandOptions& o, std::int64_t n) { o.seed.contacts = static_cast<int>(n); }},
        {"--seed-tickets", 0, 1000000, [](CommandOptions& o, std::int64_t n) { o.seed.tickets = static_cast<int>(n); }},
        {"--seed-agents", 0, 10000, [](CommandOptions& o, std::int64_t n) { o.seed.agents = static_cast<int>(n); }},
        {"--seed-groups", 0, 10000, [](CommandOptions& o, std::int64_t n) { o.seed.groups = static_cast<int>(n); }},
        {"--seed-companies", 0, 100000,
         [](CommandOptions& o, std::int64_t n) { o.seed.companies = static_cast<int>(n); }},
        {"--seed", 0, 4294967295LL,
         [](CommandOptions& o, std::int64_t n) { o.seed.seed = static_cast<std::uint32_t>(n); }},
        {"--rate-limit", 0, 1000000000000LL, [](CommandOptions& o, std::int64_t n) { o.config.rate_limit_budget = n; }},
        {"--rate-window", 1, 31LL * 24 * 3600,
         [](CommandOptions& o, std::int64_t n) { o.config.rate_limit_window = std::chrono::seconds(n); }},
        {"--latency-ms", 0, 600000,
         [](CommandOptions& o, std::int64_t n) { o.config.response_latency = std::chrono::milliseconds(n); }},
        {"--threads", 1, 64, [](CommandOptions& o, std::int64_t n) { o.config.threads = static_cast<unsigned>(n); }},
    };
    for (const NumericOption& spec : kOptions) {
        if (spec.name != option) continue;
        known = true;
        std::int64_t number = 0;
        if (!read_number(option, text, spec.minimum, spec.maximum, number, error)) return false;
        spec.store(options, number);
        return true;
    }
    known = false;
    return true;
}

// Options taking text; `known` false when `option` is none of them.
bool read_text_option(std::string_view option, const char* text, CommandOptions& options, std::string& error,
                      bool& known) {
    known = true;
    Config& config = options.config;
    if (option == "--listen") return read_text(option, text, config.listen_address, error);
    if (option == "--api-key") return read_text(option, text, config.api_key, error);
    if (option == "--domain") return read_text(option, text, config.domain, error);
    if (option == "--account") return read_account(text, config.extra_accounts, error);
    if (option == "--ca-file") {
        std::string path;
        if (!read_text(option, text, path, error)) return false;
        config.ca_file = path;
        return true;
    }
    known = false;
    return true;
}

}  // namespace

std::string sandbox_usage() {
    return std::string(kUsage);
}

bool parse_sandbox_options(int argc, char** argv, CommandOptions& options, std::string& error) {
    options.config.control_port_enabled = true;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        if (option == "--help" || option == "-h") {
            options.help = true;
        } else if (option == "--relaxed") {
            options.config.relaxed_ticket_fields = true;
        } else if (option == "--no-control") {
            options.config.control_port_enabled = false;
        } else {
            // Every other option takes a value: an unknown one is reported as such first.
            const char* text = i + 1 < argc ? argv[i + 1] : "";
            bool known = false;
            std::string value_error;
            if (!read_numeric_option(option, text, options, value_error, known) ||
                (!known && !read_text_option(option, text, options, value_error, known))) {
                error = i + 1 < argc ? value_error : std::string(option) + " needs a value";
                return false;
            }
            if (!known) {
                error = "unknown option \"" + std::string(option) + "\"";
                return false;
            }
            ++i;
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

namespace {

// Until SIGINT, SIGTERM (blocked, so taken here) or a shutdown asked over the control channel.
void wait_for_stop(fdsandbox::Sandbox& sandbox, const sigset_t& stop_signals) {
    for (;;) {
        const timespec poll_interval{0, 200 * 1000 * 1000};
        const int signal = sigtimedwait(&stop_signals, nullptr, &poll_interval);
        if (signal == SIGINT || signal == SIGTERM) {
            std::cerr << "flowrun sandbox: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping" << std::endl;
            return;
        }
        if (sandbox.wait_for_shutdown_request(std::chrono::milliseconds(0))) {
            std::cerr << "flowrun sandbox: shutdown requested, stopping" << std::endl;
            return;
        }
    }
}

}  // namespace

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

        wait_for_stop(sandbox, stop_signals);
        sandbox.stop();
    } catch (const boost::system::system_error& failure) {  // its what() carries source locations
        std::cerr << "flowrun sandbox: " << failure.code().message() << std::endl;
        status = 1;
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
