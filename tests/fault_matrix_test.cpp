// Every node against every way the network or the server can fail: the documented envelope,
// within the deadline plus a small margin, no crash (and, in the sanitizer job, no leak), and
// never a create carried out twice for one run.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <functional>
#include <thread>

namespace {
namespace json = boost::json;
using namespace std::chrono_literals;
using fdsandbox::FaultKind;

using fdtest::NodeCase;

// What a fault does to the environment: a fault injected into the sandbox, or credentials
// that lead somewhere broken.
// Under a sanitizer the plugin's one io thread runs several times slower, and the 16 rows share
// it: deadlines (and their margin) stretch alike, so each row still tests the same thing.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::int64_t kSlowdown = 4;
#else
constexpr std::int64_t kSlowdown = 1;
#endif

struct FaultCase {
    using Inject = std::function<void(fdsandbox::Sandbox&)>;
    using Expect = std::function<void(const NodeCase&, const fdtest::Invocation&)>;
    FaultCase(std::string name_, Inject inject_, std::int64_t timeout_ms_, Expect expect_, std::string base_url = "",
              bool wrong_host = false)
        : name(std::move(name_)),
          inject(std::move(inject_)),
          timeout_ms(timeout_ms_ * kSlowdown),
          expect(std::move(expect_)),
          credentials_base_url(std::move(base_url)),
          wrong_host_sandbox(wrong_host) {}

    std::string name;
    std::function<void(fdsandbox::Sandbox&)> inject;
    std::int64_t timeout_ms = 2000;
    // The envelope expected, given the node.
    std::function<void(const NodeCase&, const fdtest::Invocation&)> expect;
    std::string credentials_base_url;  // "" = the sandbox
    bool wrong_host_sandbox = false;
};

fdsandbox::Fault fault(FaultKind kind, int count = 1000) {
    fdsandbox::Fault f;
    f.kind = kind;
    f.count = count;
    return f;
}

void expect_system_error(const fdtest::Invocation& r, const std::string& says) {
    EXPECT_EQ(r.status_code(), 500) << r.text;
    EXPECT_NE(r.message().find(says), std::string::npos) << "expected \"" << says << "\" in: " << r.message();
}

// A delete's 204 has no body that a body fault could damage: it arrives whole.
void expect_deleted(const fdtest::Invocation& r) {
    EXPECT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(r.envelope.at("Deleted"), true) << r.text;
}

// A create whose answer was lost may have happened: the message must say so.
void expect_maybe_created(const NodeCase& node, const fdtest::Invocation& r) {
    if (node.creates()) {
        EXPECT_NE(r.message().find("may or may not have been created"), std::string::npos) << r.message();
    }
}

std::vector<FaultCase> fault_table() {
    std::vector<FaultCase> table;
    table.push_back({"delay past the deadline",
                     [](fdsandbox::Sandbox& s) {
                         auto f = fault(FaultKind::delay_before_headers);
                         f.delay = 5s;
                         s.inject(f);
                     },
                     400,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         expect_system_error(r, "timeout");
                         EXPECT_EQ(r.original(), 0);
                         expect_maybe_created(node, r);
                     }});
    table.push_back({"slow drip of the body",
                     [](fdsandbox::Sandbox& s) {
                         auto f = fault(FaultKind::slow_body);
                         f.chunk_bytes = 8;
                         f.delay = 100ms;
                         s.inject(f);
                     },
                     600,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         if (node.deletes()) return;  // an empty 204 has nothing to drip
                         expect_system_error(r, "timeout");
                         expect_maybe_created(node, r);
                     }});
    table.push_back({"reset mid-body", [](fdsandbox::Sandbox& s) { s.inject(fault(FaultKind::reset_mid_body)); }, 2000,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         if (node.deletes()) return expect_deleted(r);
                         expect_system_error(r, "No usable answer");
                         expect_maybe_created(node, r);
                     }});
    table.push_back({"Content-Length longer than the body",
                     [](fdsandbox::Sandbox& s) { s.inject(fault(FaultKind::short_body)); }, 2000,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         if (node.deletes()) return expect_deleted(r);
                         expect_system_error(r, "No usable answer");
                         EXPECT_GE(r.original(), 200) << "the status line had arrived";
                         expect_maybe_created(node, r);
                     }});
    table.push_back({"malformed JSON", [](fdsandbox::Sandbox& s) { s.inject(fault(FaultKind::malformed_json)); }, 2000,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         if (node.deletes()) return expect_deleted(r);
                         expect_system_error(r, "could not be read");
                         EXPECT_GE(r.original(), 200);
                         expect_maybe_created(node, r);
                     }});
    for (const int status : {500, 502, 503}) {
        table.push_back({"HTTP " + std::to_string(status),
                         [status](fdsandbox::Sandbox& s) {
                             auto f = fault(FaultKind::status);
                             f.status = status;
                             s.inject(f);
                         },
                         2500,
                         [status](const NodeCase& node, const fdtest::Invocation& r) {
                             expect_system_error(r, "HTTP " + std::to_string(status));
                             EXPECT_EQ(r.original(), status);
                             expect_maybe_created(node, r);
                         }});
    }
    table.push_back({"429 storm",
                     [](fdsandbox::Sandbox& s) {
                         auto f = fault(FaultKind::rate_limited);
                         f.retry_after_seconds = 1;
                         s.inject(f);
                     },
                     1200,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "rate limit");
                         EXPECT_EQ(r.original(), 429);
                     }});
    table.push_back({"close without a response",
                     [](fdsandbox::Sandbox& s) { s.inject(fault(FaultKind::close_without_response)); }, 2000,
                     [](const NodeCase& node, const fdtest::Invocation& r) {
                         expect_system_error(r, "No usable answer");
                         EXPECT_EQ(r.original(), 0);
                         expect_maybe_created(node, r);
                     }});
    table.push_back(
        {"oversized body",
         [](fdsandbox::Sandbox& s) {
             auto f = fault(FaultKind::oversized_body);
             f.size_bytes = (32u << 20) + 4096;
             s.inject(f);
         },
         5000, [](const NodeCase&, const fdtest::Invocation& r) { expect_system_error(r, "larger than the limit"); }});
    table.push_back({"redirect to another host", [](fdsandbox::Sandbox& s) { s.inject(fault(FaultKind::redirect)); },
                     2000,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "not followed");
                         EXPECT_EQ(r.original(), 302);
                     }});
    table.push_back({"untrusted certificate", nullptr, 2000,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "not trusted");
                         EXPECT_EQ(r.original(), 0);
                         EXPECT_NE(r.message().find("Retrying will not help"), std::string::npos) << "settings to fix";
                     },
                     "untrusted"});
    table.push_back({"certificate for another host", nullptr, 2000,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "not trusted");
                         EXPECT_EQ(r.original(), 0);
                     },
                     "", true});
    table.push_back({"connection refused", nullptr, 1000,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "cannot connect");
                         EXPECT_EQ(r.original(), 0);
                     },
                     "https://127.0.0.1:1"});
    table.push_back({"DNS failure", nullptr, 2000,
                     [](const NodeCase&, const fdtest::Invocation& r) {
                         expect_system_error(r, "cannot resolve");
                         EXPECT_EQ(r.original(), 0);
                     },
                     "https://freshdesk-sandbox.invalid"});
    return table;
}

std::unique_ptr<fdsandbox::Sandbox> start_sandbox(bool wrong_host) {
    fdsandbox::Config config;
    config.api_key = "matrix-secret-key-91b3";
    config.rate_limit_budget = 1000000;
    // A certificate for another host: the CA is trusted, the name is not ours.
    if (wrong_host) config.certificate_hosts = {"somewhere-else.example.com"};
    auto started = std::make_unique<fdsandbox::Sandbox>(config);
    started->start();
    return started;
}

fdsandbox::Sandbox& sandbox() {
    static std::unique_ptr<fdsandbox::Sandbox> instance = start_sandbox(false);
    return *instance;
}

std::size_t posts_received(const fdsandbox::Sandbox& s) {
    std::size_t count = 0;
    for (const auto& request : s.requests())
        count += request.method == "POST" ? 1 : 0;
    return count;
}

}  // namespace

// Each fault gets a sandbox of its own and a thread: the rows run side by side through the one
// loaded plugin, which is also how a host uses it.
TEST(FaultMatrix, EveryNodeAgainstEveryFault) {
    const std::vector<FaultCase> faults = fault_table();
    const std::vector<NodeCase> nodes = fdtest::node_cases();
    std::atomic<std::size_t> cells{0};
    std::vector<std::thread> rows;
    for (const FaultCase& f : faults) {
        rows.emplace_back([&f, &cells, &nodes] {
            const std::unique_ptr<fdsandbox::Sandbox> server = start_sandbox(f.wrong_host_sandbox);
            // One call first, so that loading this sandbox's CA (16 rows at once, on the plugin's
            // one io thread) does not eat the first cell's short deadline.
            fdtest::seed_default(*server);
            fdtest::invoke(nodes.front().id, nodes.front().input, fdtest::credentials_for(*server, 5000));
            for (const NodeCase& node : nodes) {
                SCOPED_TRACE(node.id + " x " + f.name);
                fdtest::seed_default(*server);
                if (f.inject) f.inject(*server);
                json::object credentials = fdtest::credentials_for(*server, f.timeout_ms);
                if (f.credentials_base_url == "untrusted") {
                    credentials.erase("ca_file");
                } else if (!f.credentials_base_url.empty()) {
                    credentials["base_url"] = f.credentials_base_url;
                }
                const fdtest::Invocation r = fdtest::invoke(node.id, node.input, credentials);
                f.expect(node, r);
                EXPECT_LT(r.took.count(), f.timeout_ms + 1500 * kSlowdown) << "the deadline holds";
                for (const char* key : {"OriginalStatusCode", "StatusCode", "ErrorMessage"}) {
                    EXPECT_TRUE(r.envelope.contains(key)) << key;
                }
                if (node.creates() && f.name != "429 storm") {
                    EXPECT_LE(posts_received(*server), 1u) << "a create that may have landed is never sent twice";
                }
                ++cells;
            }
            server->stop();
        });
    }
    for (std::thread& row : rows)
        row.join();
    std::cout << "[ matrix   ] " << cells << " cells: " << nodes.size() << " nodes x " << faults.size() << " faults\n";
    EXPECT_EQ(cells, nodes.size() * faults.size());
}

// A delete run twice: a node flagged idempotent says the record is deleted (and that it already
// was); one that is not says what Freshdesk answered.
TEST(FaultMatrix, EveryNodeThatDeletesRunsTwice) {
    const json::object credentials = fdtest::credentials_for(sandbox());
    for (const NodeCase& node : fdtest::node_cases()) {
        if (!node.deletes()) continue;
        fdtest::seed_default(sandbox());
        const fdtest::Invocation first = fdtest::invoke(node.id, node.input, credentials);
        EXPECT_EQ(first.envelope.at("Deleted"), true) << first.text;
        const fdtest::Invocation again = fdtest::invoke(node.id, node.input, credentials);
        EXPECT_EQ(again.status_code(), 200) << again.text;
        if (node.flags & WFP_NODE_IDEMPOTENT) {
            EXPECT_EQ(again.envelope.at("Deleted"), true) << again.text;
            EXPECT_EQ(again.envelope.at("AlreadyDeleted"), true) << again.text;
            EXPECT_EQ(again.message(), "");
        } else {
            EXPECT_EQ(again.envelope.at("Deleted"), false) << again.text;
            EXPECT_FALSE(again.message().empty());
        }
    }
}
