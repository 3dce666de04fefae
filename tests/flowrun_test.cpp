// flowrun as a user runs it: the binary, its exit codes, stdout and stderr.
#include "flowrun/templates.hpp"
#include "flowrun/workflow.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kFlowrun = FD_FLOWRUN;
const fs::path kPluginDir = FD_PLUGIN_DIR;
const fs::path kRefusingPlugin = FD_REFUSING_PLUGIN;

struct Result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string quote(const std::string& arg) {
    std::string out = "'";
    for (char c : arg)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs flowrun with `args` (and an optional environment prefix such as "FOO=1").
Result run_flowrun(const std::vector<std::string>& args, const std::string& env = "") {
    const fs::path err_file = fs::temp_directory_path() / ("flowrun_test_err_" + std::to_string(::getpid()));
    std::string command = env + " " + quote(kFlowrun.string());
    for (const std::string& arg : args)
        command += " " + quote(arg);
    command += " 2>" + quote(err_file.string());
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

// A scratch folder of plugin folders, removed at the end of the test.
class PluginFolders : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("flowrun_plugins_" + std::to_string(::getpid()) + "_" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root_);
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    void copy_real_plugin(const std::string& name) { fs::copy(kPluginDir, root_ / name, fs::copy_options::recursive); }
    void write(const fs::path& path, const std::string& text) {
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }
    fs::path root_;
};

}  // namespace

// How many nodes the built plugin's package.json lists.
std::size_t catalogue_size() {
    return json::parse(read_file(fs::path(FD_PLUGIN_DIR) / "package.json")).at_pointer("/wfp/nodes").as_array().size();
}

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
    EXPECT_EQ(out.at("flags"), json::parse(R"(["idempotent","paginated"])"));
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
    std::ofstream(file) << R"({"PerPage": 500})";
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
    EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;

    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", "@/nonexistent/input.json"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"describe", "freshdesk.ticket.nope"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({});
    EXPECT_EQ(r.exit_code, 2);
}

TEST(Flowrun, HelpOnEveryCommand) {
    for (const std::string command : {"nodes", "describe", "invoke"}) {
        const Result r = run_flowrun({command, "--help"});
        EXPECT_EQ(r.exit_code, 0) << command;
        EXPECT_NE(r.out.find("usage: flowrun " + command), std::string::npos) << r.out;
    }
    const Result r = run_flowrun({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("usage: flowrun"), std::string::npos);
}

TEST_F(PluginFolders, BrokenPluginsAreReportedAndTheRestStillLoad) {
    copy_real_plugin("freshdesk");
    write(
        root_ / "missing-library/package.json",
        R"({"name":"missing","version":"1.0.0","wfp":{"library":"libnothere.so","abi":{"major":1,"minor":0},"nodes":[]}})");
    write(root_ / "future-abi/package.json",
          R"({"name":"future","version":"1.0.0","wfp":{"library":"x.so","abi":{"major":2,"minor":0},"nodes":[]}})");
    write(root_ / "garbage/package.json", "{ not json");
    fs::create_directories(root_ / "refusing");
    fs::copy_file(kRefusingPlugin, root_ / "refusing/librefusing.so");
    write(
        root_ / "refusing/package.json",
        R"({"name":"refusing","version":"0.0.1","wfp":{"library":"librefusing.so","abi":{"major":1,"minor":0},"nodes":[]}})");
    copy_real_plugin("lying-manifest");
    json::value manifest = json::parse(read_file(root_ / "lying-manifest/package.json"));
    manifest.at("wfp").at("nodes").as_array().push_back(json::parse(R"({"id":"freshdesk.company.get","version":1})"));
    write(root_ / "lying-manifest/package.json", json::serialize(manifest));

    const Result r = run_flowrun({"nodes", "--plugins", root_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).as_array().size(), catalogue_size()) << "the good plugin still serves its nodes";
    EXPECT_NE(r.err.find("libnothere.so"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ABI major 2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("garbage"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refuses every host"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("do not match"), std::string::npos) << r.err;
}

TEST_F(PluginFolders, PluginPathFromTheEnvironment) {
    copy_real_plugin("freshdesk");
    Result r = run_flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote(root_.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(json::parse(r.out).as_array()[0].at_pointer("/plugin/dir").as_string().find(root_.string()),
              std::string::npos);
    r = run_flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote((root_ / "empty").string()));
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(json::parse(r.out).as_array().size(), 0u);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------------------------
// Workflow files, without a plugin: parsing, references, rendering.

namespace {

json::value workflow_with(const std::string& nodes) {
    return json::parse(R"({"name":"t","nodes":)" + nodes + "}");
}

bool any_node(const std::string& type) {
    return type.starts_with("freshdesk.");
}

std::string parse_error(const std::string& nodes) {
    try {
        flowrun::parse_workflow(workflow_with(nodes), any_node);
    } catch (const flowrun::WorkflowError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST(WorkflowTemplates, WholeReferencesKeepTheirType) {
    const json::object outputs = json::parse(R"({"start":{"email":"a@example.com"},
        "create":{"TicketId":17,"Ticket":{"tags":["x"]}},"list":{"Tickets":[{"id":3},{"id":4}]}})")
                                     .as_object();
    EXPECT_EQ(flowrun::render(json::string("{{create.TicketId}}"), outputs), 17);
    EXPECT_EQ(flowrun::render(json::string("{{ create.Ticket.tags }}"), outputs), json::parse(R"(["x"])"));
    EXPECT_EQ(flowrun::render(json::string("id {{list.Tickets.1.id}} for {{start.email}}"), outputs),
              "id 4 for a@example.com");
    EXPECT_EQ(flowrun::render(json::string("{{create.Nope}}"), outputs), nullptr);
    EXPECT_EQ(flowrun::render(json::string("[{{create.Nope}}]"), outputs), "[]");
    EXPECT_EQ(flowrun::render(json::parse(R"({"a":["{{create.TicketId}}"]})"), outputs), json::parse(R"({"a":[17]})"));
    EXPECT_EQ(flowrun::references_in(json::parse(R"({"a":"{{x.y}} {{z}}","b":[1,"{{w.v}}"]})")),
              (std::vector<std::string>{"x.y", "z", "w.v"}));
}

TEST(WorkflowFiles, MistakesAreNamed) {
    EXPECT_NE(parse_error(R"([{"id":"s","type":"answer","text":"x"}])").find("start"), std::string::npos);
    EXPECT_NE(parse_error(R"([{"id":"s","type":"start"},{"id":"a","type":"freshdesk.ticket.get"}])").find("answer"),
              std::string::npos);
    EXPECT_NE(
        parse_error(
            R"([{"id":"s","type":"start"},{"id":"s","type":"freshdesk.ticket.get"},{"id":"a","type":"answer","text":"x"}])")
            .find("used twice"),
        std::string::npos);
    EXPECT_NE(parse_error(
                  R"([{"id":"s","type":"start"},{"id":"g","type":"slack.post"},{"id":"a","type":"answer","text":"x"}])")
                  .find("slack.post"),
              std::string::npos);
    const std::string forward = parse_error(
        R"([{"id":"s","type":"start"},{"id":"g","type":"freshdesk.ticket.get","input":{"TicketId":"{{later.TicketId}}"}},{"id":"later","type":"freshdesk.ticket.create"},{"id":"a","type":"answer","text":"x"}])");
    EXPECT_NE(forward.find("not an earlier node"), std::string::npos) << forward;
    EXPECT_NE(forward.find("nodes[1]"), std::string::npos) << forward;
    EXPECT_EQ(
        parse_error(
            R"([{"id":"s","type":"start","inputs":{"e":"x"}},{"id":"g","type":"freshdesk.ticket.get","input":{"TicketId":"{{s.e}}"}},{"id":"a","type":"answer","text":"{{g.Ticket.id}}"}])"),
        "");
}

TEST(WorkflowFiles, StepsRunInOrderOnEarlierOutputs) {
    const flowrun::Workflow workflow = flowrun::parse_workflow(
        workflow_with(R"([{"id":"start","type":"start","inputs":{"email":"a@example.com","n":1}},
            {"id":"create","type":"freshdesk.ticket.create","input":{"Email":"{{start.email}}"}},
            {"id":"get","type":"freshdesk.ticket.get","input":{"TicketId":"{{create.TicketId}}"}},
            {"id":"answer","type":"answer","text":"{{get.Ticket.id}}/{{start.n}}"}])"),
        any_node);
    std::vector<std::string> calls;
    const auto invoke = [&](const std::string& node, const std::string& input) {
        calls.push_back(node + " " + input);
        return node.ends_with("create") ? std::string(R"({"TicketId":42})") : std::string(R"({"Ticket":{"id":42}})");
    };
    int logged = 0;
    const flowrun::WorkflowResult result =
        flowrun::run_workflow(workflow, json::parse(R"({"n":2})").as_object(), invoke,
                              [&](const flowrun::WorkflowStep&, const std::string&) { ++logged; });
    EXPECT_EQ(calls, (std::vector<std::string>{R"(freshdesk.ticket.create {"Email":"a@example.com"})",
                                               R"(freshdesk.ticket.get {"TicketId":42})"}));
    EXPECT_EQ(logged, 2);
    EXPECT_EQ(result.answer, "42/2");
}

// ---------------------------------------------------------------------------------------------
// Test runs against the embedded sandbox, as the README's main job does.

TEST(FlowrunRun, TheSpecExampleCreatesATicketInTheEmbeddedSandbox) {
    const Result r = run_flowrun({"run", std::string(FD_SOURCE_DIR) + "/examples/create-ticket.workflow.json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("embedded Freshdesk sandbox"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[create] freshdesk.ticket.create ->"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.starts_with("Ticket ")) << r.out;
    EXPECT_NE(r.out.find("created for customer@example.com (StatusCode 200, Freshdesk answered 201)"),
              std::string::npos)
        << r.out;
    const std::string id = r.out.substr(7, r.out.find(' ', 7) - 7);
    EXPECT_GT(std::stoll(id), 0) << r.out;
}

TEST(FlowrunRun, TheLifecycleExampleRunsEveryNode) {
    const Result r =
        run_flowrun({"run", std::string(FD_SOURCE_DIR) + "/examples/contact-ticket-lifecycle.workflow.json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* step :
         {"[contact]", "[ticket]", "[escalate]", "[pending]", "[read]", "[delete_ticket]", "[delete_contact]"}) {
        EXPECT_NE(r.err.find(step), std::string::npos) << step;
    }
    EXPECT_EQ(r.err.find("\"StatusCode\":500"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\"StatusCode\":-1"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("escalated to status 3, priority 3, tags [\"billing\",\"export\"]"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("ticket deleted: true; contact deleted: true."), std::string::npos) << r.out;
}

TEST(FlowrunRun, StartInputsCanBeGivenAndBadFilesAreRefused) {
    Result r = run_flowrun({"run", std::string(FD_SOURCE_DIR) + "/examples/create-ticket.workflow.json", "--input",
                            R"({"email":"someone.else@example.com"})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("someone.else@example.com"), std::string::npos) << r.out;
    r = run_flowrun({"run", "/nonexistent.workflow.json"});
    EXPECT_EQ(r.exit_code, 2);
    r = run_flowrun({"run", std::string(FD_SOURCE_DIR) + "/package.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nodes"), std::string::npos) << r.err;
    r = run_flowrun({"run", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("usage: flowrun run"), std::string::npos);
}

TEST(FlowrunRun, InvokeWithoutCredentialsUsesTheSandboxAndSaysSo) {
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("embedded Freshdesk sandbox"), std::string::npos);
    const json::value envelope = json::parse(r.out);
    EXPECT_EQ(envelope.at("StatusCode"), 200);
    EXPECT_EQ(envelope.at_pointer("/Ticket/id"), 1);
}

TEST(FlowrunRun, CredentialsFromTheEnvironmentAreUsed) {
    // A domain and key from the environment: the embedded sandbox is not started, and the
    // refused connection shows the node went to the configured server.
    const Result r = run_flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":1})"},
                                 "FRESHDESK_API_KEY=k FRESHDESK_BASE_URL=https://127.0.0.1:1 FRESHDESK_TIMEOUT_MS=200");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("embedded"), std::string::npos) << r.err;
    EXPECT_NE(json::parse(r.out).at("ErrorMessage").as_string().find("127.0.0.1:1"), std::string::npos) << r.out;
}

TEST(FlowrunSandbox, ItsPrintedLineIsACredentialsFile) {
    // `flowrun sandbox > sandbox.json &`, then every command takes --credentials sandbox.json;
    // the control_url the line carries besides the credentials is ignored with a notice.
    const fs::path line_file = fs::temp_directory_path() / ("flowrun_sandbox_" + std::to_string(::getpid()) + ".json");
    const std::string start =
        quote(kFlowrun.string()) + " sandbox --seed-tickets 3 >" + quote(line_file.string()) + " 2>/dev/null & echo $!";
    FILE* pipe = ::popen(start.c_str(), "r");
    char pid_text[32] = {};
    ASSERT_NE(std::fgets(pid_text, sizeof pid_text, pipe), nullptr);
    ::pclose(pipe);
    const pid_t sandbox_pid = static_cast<pid_t>(std::atol(pid_text));
    for (int i = 0; i < 200 && read_file(line_file).find('\n') == std::string::npos; ++i)
        ::usleep(20'000);
    ASSERT_TRUE(json::parse(read_file(line_file)).as_object().contains("control_url"));

    const Result r = run_flowrun(
        {"invoke", "freshdesk.ticket.get", "--credentials", line_file.string(), "--input", R"({"TicketId":2})"});
    ::kill(sandbox_pid, SIGTERM);
    fs::remove(line_file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json::value envelope = json::parse(r.out);
    EXPECT_EQ(envelope.at("StatusCode"), 200) << r.out;
    EXPECT_EQ(envelope.at_pointer("/Ticket/id"), 2) << r.out;
    EXPECT_EQ(r.err.find("embedded"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ignoring \"control_url\""), std::string::npos) << r.err;
}
