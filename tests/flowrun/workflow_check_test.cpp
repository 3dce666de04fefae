// Workflow files without a plugin: the checks before a run, references, rendering, and the
// run's failure semantics with a stand-in for the nodes.
#include "flowrun/workflow_check.hpp"
#include "flowrun/output_paths.hpp"
#include "flowrun/support.hpp"
#include "flowrun/templates.hpp"
#include "flowrun/workflow.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace {
namespace json = boost::json;
using flowrun_test::kExamples;
using flowrun_test::read_file;

// Outputs of the stand-in nodes: a ticket with a few fields, a list, a free-form object.
const json::value kTicketOutputs = json::parse(R"({"type":"object","properties":{
    "TicketId":{"type":"integer"},
    "Ticket":{"type":"object","properties":{"id":{"type":"integer"},"subject":{"type":"string"},
        "tags":{"type":"array","items":{"type":"string"}},"custom_fields":{"type":"object"}}},
    "Tickets":{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer"}}}},
    "StatusCode":{"type":"integer"},"OriginalStatusCode":{"type":"integer"},"ErrorMessage":{"type":"string"}}})");

const json::value* outputs_of(const std::string& type) {
    return type.starts_with("freshdesk.") ? &kTicketOutputs : nullptr;
}

json::value workflow_with(const std::string& nodes) {
    return json::parse(R"({"name":"t","nodes":)" + nodes + "}");
}

// The problems, described as flowrun prints them.
std::vector<std::string> problems_of(const std::string& nodes, const json::object* cli_input = nullptr) {
    std::vector<std::string> out;
    for (const flowrun::Problem& problem : flowrun::check_workflow(workflow_with(nodes), outputs_of, cli_input))
        out.push_back(flowrun::describe_problem("w.json", problem));
    return out;
}

::testing::AssertionResult has(const std::vector<std::string>& problems, const std::string& expected) {
    for (const std::string& problem : problems) {
        if (problem == expected) return ::testing::AssertionSuccess();
    }
    std::string all;
    for (const std::string& problem : problems)
        all += "\n  " + problem;
    return ::testing::AssertionFailure() << "no \"" << expected << "\" among:" << all;
}

constexpr const char* kStart = R"({"id":"start","type":"start","input":{"email":"a@example.com"}})";
constexpr const char* kAnswer = R"({"id":"answer","type":"answer","text":"done"})";

std::string nodes(const std::string& steps) {
    return std::string("[") + kStart + "," + steps + "," + kAnswer + "]";
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
    EXPECT_EQ(flowrun::render(json::parse(R"({"a":["{{create.TicketId}}"]})"), outputs), json::parse(R"({"a":[17]})"));
    EXPECT_EQ(flowrun::references_in(json::parse(R"({"a":"{{x.y}} {{z}}","b":[1,"{{w.v}}"]})")),
              (std::vector<std::string>{"x.y", "z", "w.v"}));
    EXPECT_TRUE(flowrun::scan_template("a {{b.c}} {{d").unclosed);
    EXPECT_FALSE(flowrun::scan_template("a {{b.c}} }}").unclosed);
}

TEST(WorkflowOutputPaths, DescendPropertiesAndItemsAndStopAtFreeFormObjects) {
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Ticket.subject"), "");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Tickets.0.id"), "");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Ticket.tags.2"), "");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Ticket.custom_fields.cf_anything.deeper"), "");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Ticket.subjekt"),
              "Ticket has no field \"subjekt\" (it has: id, subject, tags, custom_fields)");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "Tickets.first"),
              "Tickets is a list: give an item's index, e.g. Tickets.0");
    EXPECT_EQ(flowrun::output_path_problem(kTicketOutputs, "TicketId.x"), "TicketId is a integer: it has no fields");
    EXPECT_NE(flowrun::output_path_problem(kTicketOutputs, "Tikcet").find("no output \"Tikcet\""), std::string::npos);
}

// Issue 12: mistakes in a workflow file passed silently; now each is named, all at once.
TEST(WorkflowFiles, EveryMistakeIsNamedAtOnce) {
    const json::object cli_input = json::parse(R"({"emial":"x"})").as_object();
    const std::vector<std::string> problems =
        problems_of(nodes(R"({"id":"get","type":"freshdesk.ticket.get","input":{"TicketId":"{{start.emial}}"},"if":1},
                 {"id":"get","type":"slack.post","on_error":"ignore"},
                 {"id":"upd","type":"freshdesk.ticket.update","input":{"TicketId":"{{later.TicketId}}",
                  "Subject":"{{get.Ticket.subjekt}}","Description":"{{start.email"},"expect":{"Ticket.stat":2}},
                 {"id":"later","type":"freshdesk.ticket.create","input":[]})"),
                    &cli_input);
    EXPECT_TRUE(has(
        problems,
        R"(w.json: step "get", field "if": is not a key here (known: id, type, description, input, inputs, on_error, expect))"));
    EXPECT_TRUE(has(problems, R"(w.json: step "get", field "on_error": must be one of "stop", "continue")"));
    EXPECT_TRUE(has(problems, R"(w.json: step "later", field "input": must be an object)"));
    EXPECT_TRUE(has(
        problems,
        R"(w.json: step "get", field "input.TicketId": {{start.emial}}: the Start node declares no input "emial" (it declares: email))"));
    EXPECT_TRUE(has(problems, R"(w.json: step "get", field "id": the id is used twice (also by node #2))"));
    EXPECT_TRUE(
        has(problems, R"(w.json: step "get", field "type": no plugin offers a node "slack.post" (see flowrun nodes))"));
    EXPECT_TRUE(
        has(problems,
            R"(w.json: step "upd", field "input.TicketId": {{later.TicketId}} refers to "later", which runs later)"));
    EXPECT_TRUE(has(
        problems,
        R"(w.json: step "upd", field "input.Subject": {{get.Ticket.subjekt}}: Ticket has no field "subjekt" (it has: id, subject, tags, custom_fields))"));
    EXPECT_TRUE(has(problems, R"(w.json: step "upd", field "input.Description": a "{{" is not closed with "}}")"));
    EXPECT_TRUE(has(
        problems,
        R"(w.json: step "upd", field "expect.Ticket.stat": Ticket has no field "stat" (it has: id, subject, tags, custom_fields))"));
    EXPECT_TRUE(has(
        problems,
        R"(w.json: step "start", field "emial": --input gives a field the Start node does not declare (it declares: email))"));
    EXPECT_EQ(problems.size(), 11u);
}

TEST(WorkflowFiles, ShapeMistakesAreNamed) {
    EXPECT_TRUE(has(problems_of(R"([{"id":"s","type":"answer","text":"x"},{"id":"a","type":"answer","text":"x"}])"),
                    R"(w.json: step "s", field "type": the first node must be the Start node (type "start"))"));
    EXPECT_TRUE(has(problems_of(std::string("[") + kStart + R"(,{"id":"g","type":"freshdesk.ticket.get"}])"),
                    R"(w.json: step "g", field "type": the last node must be the Answer node (type "answer"))"));
    EXPECT_TRUE(has(problems_of(std::string("[") + kStart + R"(,{"id":"a","type":"answer"}])"),
                    R"(w.json: step "a", field "text": is missing)"));
    EXPECT_TRUE(has(problems_of(std::string("[") + kStart + "]"),
                    R"(w.json: field "nodes": must list the Start node, the steps and the Answer node)"));
    EXPECT_TRUE(has(
        problems_of(nodes(R"({"id":"a b","type":"freshdesk.ticket.get"})")),
        R"(w.json: step "a b", field "id": is not valid (The node's name in {{references}}: letters, digits, '_' and '-'; unique in the workflow.))"));
    EXPECT_TRUE(has(problems_of(nodes(R"({"id":"g","type":"freshdesk.ticket.get","input":{},"inputs":{}})")),
                    R"(w.json: step "g", field "inputs": give "input" or its old spelling "inputs", not both)"));
    const std::vector<flowrun::Problem> root = flowrun::check_workflow(json::parse("[1]"), outputs_of, nullptr);
    ASSERT_EQ(root.size(), 1u);
    EXPECT_EQ(flowrun::describe_problem("w.json", root[0]),
              R"(w.json: a workflow is a JSON object with a "nodes" list)");
}

TEST(WorkflowFiles, AGoodWorkflowHasNoProblem) {
    EXPECT_TRUE(problems_of(nodes(R"({"id":"g","type":"freshdesk.ticket.get","input":{"TicketId":"{{start.email}}"},
        "expect":{"Ticket.custom_fields.cf_x":1,"Tickets.0.id":"{{start.email}}"},"on_error":"continue"},
        {"id":"h","type":"freshdesk.ticket.get","input":{"TicketId":"{{g.Ticket.id}} {{g}}"}})"))
                    .empty());
}

// Issue 12: the Start node said `inputs` while steps said `input`. `input` everywhere now; the
// old spelling is still read, with a notice.
TEST(WorkflowFiles, TheOldInputsSpellingIsReadWithANotice) {
    const json::value document = workflow_with(
        R"([{"id":"start","type":"start","inputs":{"n":1}},{"id":"g","type":"freshdesk.ticket.get","inputs":{"TicketId":"{{start.n}}"}},)" +
        std::string(kAnswer) + "]");
    EXPECT_TRUE(flowrun::check_workflow(document, outputs_of, nullptr).empty());
    EXPECT_EQ(flowrun::workflow_notices(document).size(), 2u);
    const flowrun::Workflow workflow = flowrun::build_workflow(document);
    EXPECT_EQ(workflow.start_input, json::parse(R"({"n":1})"));
    EXPECT_EQ(workflow.steps.at(0).input, json::parse(R"({"TicketId":"{{start.n}}"})"));
}

TEST(WorkflowFiles, TheSchemaIsDraft07AndEveryExampleFollowsIt) {
    valijson::Schema meta;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const json::value meta_document = json::parse(read_file(FD_DRAFT07_METASCHEMA));
    valijson::adapters::BoostJsonAdapter meta_adapter(meta_document);
    parser.populateSchema(meta_adapter, meta);
    valijson::Validator validator;
    const json::value schema = json::parse(read_file(kExamples / "workflow.schema.json"));
    valijson::adapters::BoostJsonAdapter schema_adapter(schema);
    EXPECT_TRUE(validator.validate(meta, schema_adapter, nullptr));
    EXPECT_EQ(flowrun::workflow_schema_text(), read_file(kExamples / "workflow.schema.json"));
    for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
        if (!entry.path().string().ends_with(".workflow.json")) continue;
        EXPECT_TRUE(flowrun::schema_problems(json::parse(read_file(entry.path()))).empty()) << entry.path();
    }
}

// ---------------------------------------------------------------------------------------------
// Running, with a stand-in for the nodes: failure semantics and expectations.

namespace {

struct FakeNodes {
    std::vector<std::string> calls;
    // Envelope by node type; a get answers 404 for TicketId 999.
    bool operator()(const flowrun::WorkflowStep& step, const std::string& input, std::string& envelope, std::string&) {
        calls.push_back(step.id + " " + input);
        if (input.find(R"("TicketId":999)") != std::string::npos) {
            envelope = R"({"Ticket":{},"StatusCode":200,"OriginalStatusCode":404,"ErrorMessage":"no ticket 999"})";
        } else {
            envelope =
                R"({"TicketId":42,"Ticket":{"id":42,"subject":"s"},"StatusCode":200,"OriginalStatusCode":201,"ErrorMessage":""})";
        }
        return true;
    }
};

flowrun::WorkflowResult run(const std::string& steps, FakeNodes& fake) {
    static flowrun::Workflow workflow;  // outlives the result, which points into it
    workflow = flowrun::build_workflow(workflow_with(
        std::string("[") + kStart + "," + steps + R"(,{"id":"answer","type":"answer","text":"{{last.Ticket.id}}"}])"));
    return flowrun::run_workflow(workflow, {}, std::ref(fake), [](const flowrun::StepOutcome&) {});
}

}  // namespace

TEST(WorkflowRuns, StepsRunInOrderOnEarlierOutputs) {
    FakeNodes fake;
    const flowrun::WorkflowResult result =
        run(R"({"id":"create","type":"freshdesk.ticket.create","input":{"Email":"{{start.email}}"}},
        {"id":"last","type":"freshdesk.ticket.get","input":{"TicketId":"{{create.TicketId}}"}})",
            fake);
    EXPECT_EQ(fake.calls, (std::vector<std::string>{R"(create {"Email":"a@example.com"})", R"(last {"TicketId":42})"}));
    EXPECT_TRUE(result.succeeded());
    EXPECT_EQ(result.answer, "42");
}

// Issue 12: a failed step did not stop the run.
TEST(WorkflowRuns, AFailedStepStopsTheRun) {
    FakeNodes fake;
    const flowrun::WorkflowResult result = run(R"({"id":"get","type":"freshdesk.ticket.get","input":{"TicketId":999}},
        {"id":"last","type":"freshdesk.ticket.update","input":{"TicketId":"{{get.Ticket.id}}"}})",
                                               fake);
    EXPECT_EQ(fake.calls.size(), 1u);
    EXPECT_TRUE(result.stopped);
    EXPECT_FALSE(result.succeeded());
    EXPECT_TRUE(result.answer.empty());
    EXPECT_TRUE(result.steps.at(0).failed);
}

TEST(WorkflowRuns, OnErrorContinueGoesOnWithTheFailedEnvelopeReadable) {
    FakeNodes fake;
    const flowrun::WorkflowResult result = run(
        R"({"id":"get","type":"freshdesk.ticket.get","input":{"TicketId":999},"on_error":"continue"},
        {"id":"last","type":"freshdesk.ticket.update","input":{"TicketId":1,"Note":"{{get.ErrorMessage}}"}})",
        fake);
    ASSERT_EQ(fake.calls.size(), 2u);
    EXPECT_EQ(fake.calls[1], R"(last {"TicketId":1,"Note":"no ticket 999"})");
    EXPECT_TRUE(result.steps.at(0).failed);
    EXPECT_TRUE(result.succeeded()) << "a failure the workflow said to continue past";
    EXPECT_EQ(result.answer, "42");
}

TEST(WorkflowRuns, ExpectationsJudgeTheStep) {
    FakeNodes fake;
    // An unmet expectation fails a step whose envelope succeeded.
    flowrun::WorkflowResult result = run(
        R"({"id":"last","type":"freshdesk.ticket.get","input":{"TicketId":1},"expect":{"Ticket.subject":"t","TicketId":42.0}})",
        fake);
    ASSERT_EQ(result.steps.at(0).unmet.size(), 1u);
    EXPECT_EQ(result.steps[0].unmet[0].describe(), R"(expected Ticket.subject = "t", got "s")");
    EXPECT_TRUE(result.stopped);
    // A failure expected on purpose passes, and references in expected values are rendered.
    result = run(R"({"id":"get","type":"freshdesk.ticket.get","input":{"TicketId":999},
        "expect":{"OriginalStatusCode":404,"ErrorMessage":"no ticket 999","Ticket":{}}},
        {"id":"last","type":"freshdesk.ticket.get","input":{"TicketId":1},"expect":{"Ticket.id":"{{get.Ticket.id}}"}})",
                 fake);
    EXPECT_FALSE(result.steps.at(0).failed);
    ASSERT_EQ(result.steps.size(), 2u);
    EXPECT_EQ(result.steps[1].unmet.at(0).describe(), "expected Ticket.id = null, got 42");
    // Expecting a failure that did not happen fails.
    result =
        run(R"({"id":"last","type":"freshdesk.ticket.get","input":{"TicketId":1},"expect":{"StatusCode":-1}})", fake);
    EXPECT_TRUE(result.stopped);
    EXPECT_EQ(result.steps.at(0).unmet.at(0).describe(), "expected StatusCode = -1, got 200");
}
