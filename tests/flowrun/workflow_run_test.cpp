// flowrun run and flowrun test as a user runs them, against the embedded sandbox: exit codes,
// what stderr says per step, the Answer, and the test command's report.
#include "flowrun/support.hpp"

#include <gtest/gtest.h>

namespace {
namespace fs = std::filesystem;
using namespace flowrun_test;

std::string example(const std::string& name) {
    return (kExamples / name).string();
}

// A ticket that does not exist, then an update of what the get returned.
constexpr const char* kMissingTicket = R"({"name": "missing ticket", "nodes": [
  {"id": "start", "type": "start", "input": {"id": 999}},
  {"id": "get", "type": "freshdesk.ticket.get", "input": {"TicketId": "{{start.id}}"}ON_ERROR},
  {"id": "upd", "type": "freshdesk.ticket.update", "input": {"TicketId": "{{get.Ticket.id}}", "Status": 3}},
  {"id": "answer", "type": "answer", "text": "updated {{upd.Ticket.id}}"}]})";

std::string missing_ticket(const std::string& on_error) {
    std::string text = kMissingTicket;
    return text.replace(text.find("ON_ERROR"), 8, on_error);
}

}  // namespace

TEST(FlowrunRun, TheSpecExampleCreatesATicketInTheEmbeddedSandbox) {
    const Result r = run_flowrun({"run", example("create-ticket.workflow.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("embedded Freshdesk sandbox"), std::string::npos) << r.err;
    EXPECT_NE(
        r.err.find("step \"create\" (freshdesk.ticket.create): StatusCode 200, OriginalStatusCode 201, TicketId "),
        std::string::npos)
        << r.err;
    EXPECT_TRUE(r.out.starts_with("Ticket ")) << r.out;
    EXPECT_NE(r.out.find("created for customer@example.com (StatusCode 200, Freshdesk answered 201)"),
              std::string::npos)
        << r.out;
}

// Issue 12: one readable line per step; whole envelopes (personal data) only with --verbose.
TEST(FlowrunRun, LogsAreOneLinePerStepAndEnvelopesOnlyWhenVerbose) {
    const Result r = run_flowrun({"run", example("contact-ticket-lifecycle.workflow.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* line :
         {R"(step "contact" (freshdesk.contact.create): StatusCode 200, OriginalStatusCode 201, Contact.id )",
          R"(step "escalate" (freshdesk.ticket.update): StatusCode 200, OriginalStatusCode 200, Ticket.id )",
          R"(step "pending" (freshdesk.ticket.get_many): StatusCode 200, OriginalStatusCode 200, Tickets: )",
          R"(step "delete_ticket" (freshdesk.ticket.delete): StatusCode 200, OriginalStatusCode 204, TicketId )"}) {
        EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
    }
    EXPECT_EQ(r.err.find("jane.roe@example.com"), std::string::npos) << "no personal data without --verbose";
    EXPECT_NE(r.out.find("escalated to status 3, priority 3, tags [\"billing\",\"export\"]"), std::string::npos)
        << r.out;

    const Result verbose = run_flowrun({"run", example("contact-ticket-lifecycle.workflow.json"), "--verbose"});
    EXPECT_EQ(verbose.exit_code, 0);
    EXPECT_NE(verbose.err.find("envelope {\"Contact\":{"), std::string::npos) << verbose.err;
    EXPECT_NE(verbose.err.find("jane.roe@example.com"), std::string::npos);

    const Result quiet = run_flowrun({"run", example("create-ticket.workflow.json"), "--quiet"});
    EXPECT_EQ(quiet.exit_code, 0);
    EXPECT_TRUE(quiet.err.empty()) << quiet.err;
    EXPECT_TRUE(quiet.out.starts_with("Ticket ")) << quiet.out;
}

// Issue 12: a 404 on Get a Ticket went on to Update with an empty TicketId, exit 0.
TEST(FlowrunRun, AFailedStepStopsTheRunWithExitOne) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_missing_" + std::to_string(::getpid()) + ".json");
    write_file(file, missing_ticket(""));
    Result r = run_flowrun({"run", file.string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << "no Answer with holes in it: " << r.out;
    EXPECT_NE(
        r.err.find(
            R"(step "get" (freshdesk.ticket.get) FAILED: StatusCode 200, OriginalStatusCode 404, TicketId 999, ErrorMessage ")"),
        std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("step \"upd\""), std::string::npos) << "nothing after the failed step runs";
    EXPECT_NE(r.err.find("the run stopped at step \"get\""), std::string::npos) << r.err;

    r = run_flowrun({"run", file.string(), "--quiet"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("FAILED"), std::string::npos) << "errors still show with --quiet";

    write_file(file, missing_ticket(R"(, "on_error": "continue")"));
    r = run_flowrun({"run", file.string()});
    fs::remove(file);
    EXPECT_NE(r.err.find(R"(step "get" (freshdesk.ticket.get) failed (on_error: continue))"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(R"(step "upd" (freshdesk.ticket.update) FAILED: StatusCode -1)"), std::string::npos) << r.err;
    EXPECT_EQ(r.exit_code, 1);
}

TEST(FlowrunRun, OnErrorContinueAndExpectationsLetAWorkflowHandleADuplicate) {
    const Result r = run_flowrun({"run", example("duplicate-contact.workflow.json")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(
        r.err.find(
            R"(step "create" (freshdesk.contact.create): StatusCode 200, OriginalStatusCode 409, ExistingContactId )"),
        std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("now has phone +55 11 5555 0100"), std::string::npos) << r.out;
}

TEST(FlowrunRun, AnUnmetExpectationFailsTheRun) {
    const fs::path dir = fs::temp_directory_path() / ("flowrun_expect_" + std::to_string(::getpid()));
    std::string text = read_file(example("create-ticket.workflow.json"));
    text.replace(text.find("\"Ticket.status\": 2"), 18, "\"Ticket.status\": 4");
    write_file(dir / "wrong.workflow.json", text);
    const Result r = run_flowrun({"run", (dir / "wrong.workflow.json").string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("expected Ticket.status = 4, got 2"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    const Result test = run_flowrun({"test", dir.string(), example("create-ticket.workflow.json")});
    fs::remove_all(dir);
    EXPECT_EQ(test.exit_code, 1);
    EXPECT_NE(test.out.find("FAIL " + (dir / "wrong.workflow.json").string()), std::string::npos) << test.out;
    EXPECT_NE(test.out.find("  step \"create\": expected Ticket.status = 4, got 2\n"), std::string::npos) << test.out;
    EXPECT_NE(test.out.find("PASS " + example("create-ticket.workflow.json")), std::string::npos) << test.out;
    EXPECT_TRUE(test.out.ends_with("1 passed, 1 failed\n")) << test.out;
}

// Issue 12: `inputs` on a step ran it with {}, unknown keys were ignored, {{get.Ticket.subjekt}}
// rendered as "", `--input '{"emial": …}'` was accepted. Now nothing runs and all is said.
TEST(FlowrunRun, AnInvalidWorkflowFileRunsNothingAndExitsTwo) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_invalid_" + std::to_string(::getpid()) + ".json");
    write_file(file, R"({"name": "bad", "nodes": [
      {"id": "start", "type": "start", "input": {"email": "a@example.com"}},
      {"id": "get", "type": "freshdesk.ticket.get", "input": {"TicketId": 1}, "if": "{{start.email}}"},
      {"id": "answer", "type": "answer", "text": "{{get.Ticket.subjekt}} {{start.email"}]})");
    const Result r = run_flowrun({"run", file.string(), "--input", R"({"emial": "b@example.com"})"});
    fs::remove(file);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err.find("sandbox"), std::string::npos) << "nothing ran: " << r.err;
    const std::string f = file.string();
    for (const std::string& line :
         {f + R"(: step "get", field "if": is not a key here)",
          f + R"(: step "answer", field "text": {{get.Ticket.subjekt}}: Ticket has no field "subjekt")",
          f + R"(: step "answer", field "text": a "{{" is not closed with "}}")",
          f + R"(: step "start", field "emial": --input gives a field the Start node does not declare)"}) {
        EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
    }
}

TEST(FlowrunRun, AWorkflowThatIsNotJsonSaysWhere) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_notjson_" + std::to_string(::getpid()) + ".json");
    write_file(file, "{\n  \"nodes\": [\n    {\"id\": start}]}");
    const Result r = run_flowrun({"run", file.string()});
    fs::remove(file);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(file.string() + ": not valid JSON: line 3, column 12: syntax error"), std::string::npos)
        << r.err;
}

TEST(FlowrunRun, TheOldInputsSpellingStillRunsWithANotice) {
    const fs::path file = fs::temp_directory_path() / ("flowrun_old_" + std::to_string(::getpid()) + ".json");
    write_file(file, R"({"nodes": [{"id": "start", "type": "start", "inputs": {"id": 1}},
      {"id": "get", "type": "freshdesk.ticket.get", "inputs": {"TicketId": "{{start.id}}"}},
      {"id": "answer", "type": "answer", "text": "{{get.Ticket.id}}"}]})");
    const Result r = run_flowrun({"run", file.string(), "--input", R"({"id": 2})"});
    fs::remove(file);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "2\n");
    EXPECT_NE(r.err.find(R"(step "get", field "inputs": "inputs" is the old spelling; write "input")"),
              std::string::npos)
        << r.err;
}

// The examples are tests: the README's test command runs them (CTest runs `flowrun test examples`).
TEST(FlowrunTest, RunsAFolderEachWorkflowInItsOwnSandboxAndWritesJunit) {
    const fs::path junit = fs::temp_directory_path() / ("flowrun_junit_" + std::to_string(::getpid()) + ".xml");
    const Result r = run_flowrun({"test", kExamples.string(), "--junit", junit.string()});
    const std::string xml = read_file(junit);
    fs::remove(junit);
    std::size_t examples = 0;
    for (const auto& entry : fs::directory_iterator(kExamples)) {
        examples += entry.path().string().ends_with(".workflow.json") ? 1 : 0;
    }
    const std::string count = std::to_string(examples);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(r.out.ends_with(count + " passed, 0 failed\n")) << r.out;
    EXPECT_NE(r.out.find("PASS " + example("create-ticket.workflow.json")), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("each workflow runs against its own fresh embedded Freshdesk sandbox"), std::string::npos);
    EXPECT_NE(xml.find(R"(<testsuite name="flowrun test" tests=")" + count + R"(" failures="0")"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find(R"(classname="Create a support ticket")"), std::string::npos) << xml;
}

TEST(FlowrunTest, AnInvalidFileFailsWithItsProblemsAndAMissingPathIsAUsageError) {
    const fs::path dir = fs::temp_directory_path() / ("flowrun_testdir_" + std::to_string(::getpid()));
    write_file(dir / "bad.workflow.json", R"({"nodes": [{"id": "start", "type": "start"}]})");
    write_file(dir / "ignored.json", "{}");
    const fs::path junit = dir / "report.xml";
    Result r = run_flowrun({"test", dir.string(), "--junit", junit.string()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("FAIL " + (dir / "bad.workflow.json").string()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(R"(field "nodes": must list the Start node)"), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with("0 passed, 1 failed\n")) << r.out;
    EXPECT_NE(read_file(junit).find("<failure message="), std::string::npos);
    r = run_flowrun({"test", (dir / "nothing-here").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no such file or folder"), std::string::npos) << r.err;
    fs::remove_all(dir);
}
