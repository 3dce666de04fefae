// flowrun as a user runs it: nodes, describe, invoke, --version, the command line, credentials.
// Workflows, plugin folders and progress have their own files under flowrun/.
#include "flowrun/readable_message.hpp"
#include "flowrun/support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <boost/system/system_error.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <set>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace flowrun_test;

}  // namespace

TEST(Flowrun, NodesListsTheCatalogue) {
    const Result r = run_flowrun({"nodes"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> ids;
    const json::value nodes = json::parse(r.out);
    for (const json::value& node : nodes.as_array()) {
        ids.insert(std::string(node.at("id").as_string()));
        EXPECT_FALSE(node.at("display_name").as_string().empty());
    }
    EXPECT_EQ(ids.size(), catalogue_size());
    EXPECT_TRUE(ids.contains("freshdesk.ticket.get_many"));
    EXPECT_TRUE(ids.contains("freshdesk.contact.create"));
}

TEST(Flowrun, DescribePrintsTheSchemas) {
    const Result r = run_flowrun({"describe", "freshdesk.ticket.get_many"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::value out = json::parse(r.out);
    EXPECT_EQ(out.at("id"), "freshdesk.ticket.get_many");
    EXPECT_EQ(out.at("display_name"), "Get Many Tickets");
    EXPECT_TRUE(out.at_pointer("/schemas/options/properties").as_object().contains("UpdatedSince"));
    EXPECT_TRUE(out.at_pointer("/schemas/outputs/properties").as_object().contains("Pagination"));
    EXPECT_TRUE(out.at_pointer("/schemas/inputs").is_object());
    EXPECT_EQ(out.at_pointer("/schemas/credentials/properties/api_key/writeOnly"), true);
    EXPECT_EQ(out.at("flags"), json::parse(R"(["idempotent","paginated","read_only"])"));
}

TEST(Flowrun, DescribePrintsTheCanvasFieldsOfAbi11) {
    const Result r = run_flowrun({"describe", "freshdesk.ticket.get"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::value out = json::parse(r.out);
    EXPECT_EQ(out.at("category"), "Freshdesk");
    EXPECT_EQ(out.at("subtitle"), "Read one ticket");
    EXPECT_EQ(out.at("icon"), "icons/freshdesk.svg");
    EXPECT_EQ(out.at("field_order"), json::parse(R"(["TicketId"])"));
    EXPECT_EQ(out.at_pointer("/option_sources/TicketId/node"), "freshdesk.ticket.get_many");
    EXPECT_TRUE(out.at("rules").is_array());
    EXPECT_TRUE(out.at("credential_test_node").is_string());
}

TEST(Flowrun, VersionPrintsFlowrunsAndEachPlugins) {
    const Result r = run_flowrun({"--version"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("flowrun 0.")) << r.out;
    EXPECT_NE(r.out.find("\nfreshdesk-nodes 0."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(kPluginDir.string()), std::string::npos) << r.out;
}

TEST(Flowrun, InvokeWithBadInputPrintsTheEnvelope) {
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":"abc"})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::value envelope = json::parse(r.out);
    EXPECT_EQ(envelope.at("StatusCode"), -1);
    EXPECT_EQ(envelope.at("OriginalStatusCode"), 0);
    EXPECT_NE(envelope.at("ErrorMessage").as_string().find("TicketId"), std::string::npos);
    EXPECT_EQ(envelope.at("Ticket"), json::object());
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one JSON object on one line";
}

TEST(Flowrun, InvokeReadsInputFromAFile) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_input_" + std::to_string(::getpid()) + ".json");
    write_file(file, R"({"PerPage": 500})");
    const Result r = run_flowrun({"invoke", "freshdesk.contact.get_many", "--input", "@" + file.string()});
    fs::remove(file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(json::parse(r.out).at("ErrorMessage").as_string().find("PerPage"), std::string::npos);
}

TEST(Flowrun, UsageErrorsExitTwoWithAMessage) {
    Result r = run_flowrun({"invoke", "freshdesk.ticket.nope", "--input", "{}"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown node"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", "{TicketId: 6"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("not valid JSON (line 1, column 2: syntax error)"), std::string::npos) << r.err;

    r = run_flowrun({"describe", "freshdesk.ticket.nope"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({});
    EXPECT_EQ(r.exit_code, 2);
}

// Issue 12: `flowrun nodes extra` ignored the stray argument.
TEST(Flowrun, EveryCommandRefusesArgumentsItDoesNotTake) {
    const std::vector<std::vector<std::string>> calls = {
        {"nodes", "extra"},
        {"nodes", "--input", "{}"},
        {"describe", "freshdesk.ticket.get", "extra"},
        {"describe"},
        {"invoke", "freshdesk.ticket.get", "extra"},
        {"invoke", "freshdesk.ticket.get", "--verbose"},
        {"run", (kExamples / "create-ticket.workflow.json").string(), "extra"},
        {"run", (kExamples / "create-ticket.workflow.json").string(), "--junit", "x.xml"},
        {"run", (kExamples / "create-ticket.workflow.json").string(), "--verbose", "--quiet"},
        {"test", (kExamples / "create-ticket.workflow.json").string(), "--input", "{}"},
        {"test"},
        {"mcp", "extra"},
        {"--version", "extra"},
    };
    for (const std::vector<std::string>& call : calls) {
        const Result r = run_flowrun(call);
        EXPECT_EQ(r.exit_code, 2) << call[0] << " " << (call.size() > 1 ? call.back() : "");
        EXPECT_NE(r.err.find("flowrun " + call[0]), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
}

// Issue 12: `cannot read input file nofile.json` gave no reason.
TEST(Flowrun, AnUnreadableFileSaysWhy) {
    Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", "@/nonexistent/input.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read /nonexistent/input.json: No such file or directory"), std::string::npos) << r.err;
    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", "@" + fs::temp_directory_path().string()});
    EXPECT_NE(r.err.find("Is a directory"), std::string::npos) << r.err;
    r = run_flowrun({"run", "/nonexistent.workflow.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--credentials", "/nonexistent.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read /nonexistent.json: No such file or directory"), std::string::npos) << r.err;
}

TEST(Flowrun, AFileWithoutPermissionSaysSo) {
    const fs::path locked = fs::temp_directory_path() / ("flowrun_locked_" + std::to_string(::getpid()));
    write_file(locked, "{}");
    ::chmod(locked.c_str(), 0);
    // root reads any file whatever its mode: then flowrun runs as nobody (setpriv, util-linux).
    const std::string as_nobody = ::geteuid() == 0 ? "setpriv --reuid 65534 --regid 65534 --clear-groups" : "";
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", "@" + locked.string()}, as_nobody);
    fs::remove(locked);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot read " + locked.string() + ": Permission denied"), std::string::npos) << r.err;
}

// Issue 12: messages showed `[boost.json:3 at …basic_parser_impl.hpp…]`, `[system:98 at …]`.
TEST(Flowrun, MessagesCarryNoSourceLocations) {
    static constexpr boost::source_location kWhere = BOOST_CURRENT_LOCATION;
    const boost::system::error_code code(98, boost::system::system_category(), &kWhere);
    ASSERT_NE(boost::system::system_error(code, "bind").what(), "bind: " + code.message()) << "Boost adds a location";
    const std::string text = flowrun::readable_message(boost::system::system_error(code, "bind"));
    EXPECT_EQ(text, "bind: " + code.message());
    EXPECT_EQ(flowrun::readable_message(std::runtime_error("plain [kept]")), "plain [kept]");

    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId": tru})"});
    EXPECT_EQ(r.err.find(".hpp"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("boost"), std::string::npos) << r.err;
}

TEST(Flowrun, HelpOnEveryCommand) {
    for (const std::string command : {"nodes", "describe", "invoke", "run", "test", "mcp"}) {
        const Result r = run_flowrun({command, "--help"});
        EXPECT_EQ(r.exit_code, 0) << command;
        EXPECT_NE(r.out.find("usage: flowrun " + command), std::string::npos) << r.out;
    }
    const Result r = run_flowrun({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("usage: flowrun"), std::string::npos);
    EXPECT_NE(r.out.find("exit codes:"), std::string::npos);
}

TEST(Flowrun, InvokeWithoutCredentialsUsesTheSandboxAndSaysSo) {
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("embedded Freshdesk sandbox"), std::string::npos);
    const json::value envelope = json::parse(r.out);
    EXPECT_EQ(envelope.at("StatusCode"), 200);
    EXPECT_EQ(envelope.at_pointer("/Ticket/id"), 1);
}

TEST(Flowrun, CredentialsFromTheEnvironmentAreUsed) {
    // A domain and key from the environment: the embedded sandbox is not started, and the
    // refused connection shows the node went to the configured server.
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"},
                                 "FRESHDESK_API_KEY=k FRESHDESK_BASE_URL=https://127.0.0.1:1 FRESHDESK_TIMEOUT_MS=200");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("embedded"), std::string::npos) << r.err;
    EXPECT_NE(json::parse(r.out).at("ErrorMessage").as_string().find("127.0.0.1:1"), std::string::npos) << r.out;
}

// Issue 12: with credentials from the environment, errors named JSON keys (`At least one of
// domain, base_url`).
TEST(Flowrun, CredentialErrorsFromTheEnvironmentNameTheVariables) {
    Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"}, "FRESHDESK_API_KEY=k");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string message(json::parse(r.out).at("ErrorMessage").as_string());
    EXPECT_NE(message.find("FRESHDESK_DOMAIN, FRESHDESK_BASE_URL"), std::string::npos) << message;
    EXPECT_EQ(message.find("domain,"), std::string::npos) << message;

    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"},
                    "FRESHDESK_API_KEY=k FRESHDESK_DOMAIN=acme FRESHDESK_TIMEOUT_MS=soon");
    message = std::string(json::parse(r.out).at("ErrorMessage").as_string());
    EXPECT_NE(message.find("FRESHDESK_TIMEOUT_MS must be"), std::string::npos) << message;

    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"},
                    "FRESHDESK_API_KEY=k FRESHDESK_DOMAIN=acme FRESHDESK_MAX_CONNECTIONS=0");
    message = std::string(json::parse(r.out).at("ErrorMessage").as_string());
    EXPECT_NE(message.find("FRESHDESK_MAX_CONNECTIONS must be an integer from 1 to 64"), std::string::npos) << message;
}

TEST(FlowrunSandbox, ItsPrintedLineIsACredentialsFileAcceptedQuietly) {
    // `flowrun sandbox > sandbox.json &`, then every command takes --credentials sandbox.json;
    // the control_url the line carries besides the credentials is dropped without a word
    // (it once printed `ignoring "control_url"` on every call).
    const SandboxProcess sandbox("--seed-tickets 3");
    const fs::path& line_file = sandbox.credentials_file();
    json::object line = json::parse(read_file(line_file)).as_object();
    ASSERT_TRUE(line.contains("control_url"));
    line["unexpected"] = "x";
    const fs::path with_more = line_file.string() + ".more";
    write_file(with_more, json::serialize(line));

    const Result r = run_flowrun(
        {"invoke", "freshdesk.ticket.get", "--credentials", line_file.string(), "--input", R"({"TicketId":2})"});
    const Result more = run_flowrun(
        {"invoke", "freshdesk.ticket.get", "--credentials", with_more.string(), "--input", R"({"TicketId":2})"});
    fs::remove(with_more);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::value envelope = json::parse(r.out);
    EXPECT_EQ(envelope.at("StatusCode"), 200) << r.out;
    EXPECT_EQ(envelope.at_pointer("/Ticket/id"), 2) << r.out;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_NE(more.err.find("ignoring \"unexpected\""), std::string::npos) << more.err;
    EXPECT_EQ(more.err.find("control_url"), std::string::npos) << more.err;
}
