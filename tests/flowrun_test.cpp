// flowrun as a user runs it: the binary, its exit codes, stdout and stderr.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <sys/wait.h>

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
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs flowrun with `args` (and an optional environment prefix such as "FOO=1").
Result flowrun(const std::vector<std::string>& args, const std::string& env = "") {
    const fs::path err_file = fs::temp_directory_path() / ("flowrun_test_err_" + std::to_string(::getpid()));
    std::string command = env + " " + quote(kFlowrun.string());
    for (const std::string& arg : args) command += " " + quote(arg);
    command += " 2>" + quote(err_file.string());
    Result result;
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
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

    void copy_real_plugin(const std::string& name) {
        fs::copy(kPluginDir, root_ / name, fs::copy_options::recursive);
    }
    void write(const fs::path& path, const std::string& text) {
        fs::create_directories(path.parent_path());
        std::ofstream(path) << text;
    }
    fs::path root_;
};

}  // namespace

TEST(Flowrun, NodesListsTheTenNodes) {
    const Result r = flowrun({"nodes"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> ids;
    const json::value nodes = json::parse(r.out);
    for (const json::value& node : nodes.as_array()) {
        ids.insert(std::string(node.at("id").as_string()));
        EXPECT_FALSE(node.at("display_name").as_string().empty());
    }
    EXPECT_EQ(ids.size(), 10u);
    EXPECT_TRUE(ids.contains("freshdesk.ticket.get_many"));
    EXPECT_TRUE(ids.contains("freshdesk.contact.create"));
}

TEST(Flowrun, DescribePrintsTheSchemas) {
    const Result r = flowrun({"describe", "freshdesk.ticket.get_many"});
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
    const Result r = flowrun({"invoke", "freshdesk.ticket.get", "--input", R"({"TicketId":"abc"})"});
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
    const Result r = flowrun({"invoke", "freshdesk.contact.get_many", "--input", "@" + file.string()});
    fs::remove(file);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(json::parse(r.out).at("ErrorMessage").as_string().find("PerPage"), std::string::npos);
}

TEST(Flowrun, UsageErrorsExitTwoWithAMessage) {
    Result r = flowrun({"invoke", "freshdesk.ticket.nope", "--input", "{}"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown node"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    r = flowrun({"invoke", "freshdesk.ticket.get", "--input", "{TicketId: 6"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("not valid JSON"), std::string::npos) << r.err;

    r = flowrun({"invoke", "freshdesk.ticket.get", "--input", "@/nonexistent/input.json"});
    EXPECT_EQ(r.exit_code, 2);
    r = flowrun({"describe", "freshdesk.ticket.nope"});
    EXPECT_EQ(r.exit_code, 2);
    r = flowrun({"invoke", "freshdesk.ticket.get", "--input"});
    EXPECT_EQ(r.exit_code, 2);
    r = flowrun({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    r = flowrun({});
    EXPECT_EQ(r.exit_code, 2);
}

TEST(Flowrun, HelpOnEveryCommand) {
    for (const std::string command : {"nodes", "describe", "invoke"}) {
        const Result r = flowrun({command, "--help"});
        EXPECT_EQ(r.exit_code, 0) << command;
        EXPECT_NE(r.out.find("usage: flowrun " + command), std::string::npos) << r.out;
    }
    const Result r = flowrun({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("usage: flowrun"), std::string::npos);
}

TEST_F(PluginFolders, BrokenPluginsAreReportedAndTheRestStillLoad) {
    copy_real_plugin("freshdesk");
    write(root_ / "missing-library/package.json",
          R"({"name":"missing","version":"1.0.0","wfp":{"library":"libnothere.so","abi":{"major":1,"minor":0},"nodes":[]}})");
    write(root_ / "future-abi/package.json",
          R"({"name":"future","version":"1.0.0","wfp":{"library":"x.so","abi":{"major":2,"minor":0},"nodes":[]}})");
    write(root_ / "garbage/package.json", "{ not json");
    fs::create_directories(root_ / "refusing");
    fs::copy_file(kRefusingPlugin, root_ / "refusing/librefusing.so");
    write(root_ / "refusing/package.json",
          R"({"name":"refusing","version":"0.0.1","wfp":{"library":"librefusing.so","abi":{"major":1,"minor":0},"nodes":[]}})");
    copy_real_plugin("lying-manifest");
    json::value manifest = json::parse(read_file(root_ / "lying-manifest/package.json"));
    manifest.at("wfp").at("nodes").as_array().push_back(json::parse(R"({"id":"freshdesk.company.get","version":1})"));
    write(root_ / "lying-manifest/package.json", json::serialize(manifest));

    const Result r = flowrun({"nodes", "--plugins", root_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).as_array().size(), 10u) << "the good plugin still serves its nodes";
    EXPECT_NE(r.err.find("libnothere.so"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("ABI major 2"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("garbage"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("refuses every host"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("do not match"), std::string::npos) << r.err;
}

TEST_F(PluginFolders, PluginPathFromTheEnvironment) {
    copy_real_plugin("freshdesk");
    Result r = flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote(root_.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(json::parse(r.out).as_array()[0].at_pointer("/plugin/dir").as_string().find(root_.string()),
              std::string::npos);
    r = flowrun({"nodes"}, "FLOWRUN_PLUGIN_PATH=" + quote((root_ / "empty").string()));
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(json::parse(r.out).as_array().size(), 0u);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}
