// Lists without limits, against the sandbox: search by typed options, find-or-create, Return All
// with progress reports, and the polling triggers' promise (every change delivered exactly once),
// checked as a property over random creates and updates interleaved with polls.
#include "plugin_fixture.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace {
namespace json = boost::json;
using Result = fdtest::Invocation;

fdsandbox::Sandbox& sandbox() {
    static const std::unique_ptr<fdsandbox::Sandbox> instance = fdtest::started_sandbox("lists-test-key", 1'000'000);
    return *instance;
}

Result invoke(const std::string& node, const std::string& input) {
    return fdtest::invoke(node, input, fdtest::credentials_for(sandbox(), 20000));
}

std::string query_sent(std::string_view path) {
    std::string query;
    for (const auto& request : sandbox().requests()) {
        if (request.path != path) continue;
        const std::string target = "/?" + request.query;
        for (const auto& param : boost::urls::parse_origin_form(target)->params()) {
            if (param.key == "query") query = param.value;
        }
    }
    return query;
}

class Lists : public ::testing::Test {
  protected:
    void SetUp() override { fdtest::seed_default(sandbox()); }
};

}  // namespace

TEST_F(Lists, SearchTicketsBuildsTheQueryFromTypedOptions) {
    const Result r = invoke("freshdesk.ticket.search", R"({"Status":"2","Type":"Incident","GroupId":47000000201,
        "CreatedAfter":"2020-01-01T00:00:00Z","DueBefore":"2040-01-01T00:00:00Z","CustomFields":{"cf_product_line":"Software"}})");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(query_sent("/api/v2/search/tickets"),
              "\"status:2 AND type:'Incident' AND group_id:47000000201 AND created_at:>'2020-01-01' AND "
              "due_by:<'2039-12-31' AND cf_product_line:'Software'\"");
    EXPECT_EQ(r.envelope.at("Total"), std::ssize(r.envelope.at("Tickets").as_array()));
}

TEST_F(Lists, SearchFiltersDatesToTheSecond) {
    const Result all = invoke("freshdesk.ticket.search", R"({"Status":2})");
    ASSERT_EQ(all.status_code(), 200) << all.text;
    ASSERT_GE(all.envelope.at("Tickets").as_array().size(), 2u);
    // The newest update among them, as the bound: only tickets updated at or after it remain.
    std::string newest;
    for (const json::value& ticket : all.envelope.at("Tickets").as_array())
        newest = std::max(newest, std::string(ticket.at("updated_at").as_string()));
    const Result after = invoke("freshdesk.ticket.search", R"({"Status":2,"UpdatedAfter":")" + newest + R"("})");
    ASSERT_EQ(after.status_code(), 200) << after.text;
    for (const json::value& ticket : after.envelope.at("Tickets").as_array())
        EXPECT_GE(std::string(ticket.at("updated_at").as_string()), newest);
    EXPECT_LT(after.envelope.at("Tickets").as_array().size(), all.envelope.at("Tickets").as_array().size());
}

TEST_F(Lists, SearchContactsAndItsRules) {
    const Result r = invoke("freshdesk.contact.search", R"({"CompanyId":"48000000002","Active":"true"})");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(query_sent("/api/v2/search/contacts"), "\"company_id:48000000002 AND active:true\"");
    EXPECT_EQ(invoke("freshdesk.contact.search", "{}").status_code(), -1) << "at least one criterion";
    EXPECT_EQ(invoke("freshdesk.contact.search", R"({"Query":"active:true","Email":"a@example.com"})").status_code(),
              -1);
    EXPECT_EQ(invoke("freshdesk.contact.search", R"({"Email":"o'brien@example.com"})").status_code(), -1)
        << "search cannot match a single quote";
    EXPECT_EQ(invoke("freshdesk.contact.search", R"({"Query":")" + std::string(513, 'a') + R"("})").status_code(), -1);
    const Result raw = invoke("freshdesk.contact.search", R"({"Query":"\"company_id:48000000002\""})");
    EXPECT_EQ(raw.status_code(), 200) << raw.text;
    EXPECT_EQ(raw.envelope.at("Total"), r.envelope.at("Total"));
}

TEST_F(Lists, SearchPagesMapOntoItsWindowAndSaySoPastIt) {
    fdsandbox::SeedSpec seed;
    seed.contacts = 5;
    seed.tickets = 320;
    seed.statuses = {2};
    sandbox().reset();
    sandbox().seed(seed);
    const Result last = invoke("freshdesk.ticket.search", R"({"Status":2,"Page":10,"PerPage":30})");
    EXPECT_EQ(last.envelope.at("Tickets").as_array().size(), 30u);
    EXPECT_EQ(last.envelope.at("Total"), 320);
    EXPECT_EQ(last.envelope.at("Pagination").at("has_next_page"), false);
    EXPECT_EQ(last.envelope.at("Pagination").at("limit_reached"), true);
    const Result past = invoke("freshdesk.ticket.search", R"({"Status":2,"Page":11,"PerPage":30})");
    EXPECT_NE(past.message().find("300"), std::string::npos) << past.text;
    const Result all = invoke("freshdesk.ticket.search", R"({"Status":2,"ReturnAll":true})");
    EXPECT_EQ(all.envelope.at("Tickets").as_array().size(), 300u);
    EXPECT_EQ(all.envelope.at("Pagination").at("limit_reached"), true);
    EXPECT_EQ(all.message(), "");
}

TEST_F(Lists, FindOrCreateIsSafeToRunTwice) {
    const std::string input = R"({"Name":"Dee","Email":"dee@example.com","JobTitle":"CTO","Tags":["vip"]})";
    const Result created = invoke("freshdesk.contact.upsert", input);
    ASSERT_EQ(created.status_code(), 200) << created.text;
    EXPECT_EQ(created.envelope.at("Action"), "created");
    const Result again = invoke("freshdesk.contact.upsert", input);
    EXPECT_EQ(again.envelope.at("Action"), "unchanged") << again.text;
    EXPECT_EQ(again.envelope.at("ContactId"), created.envelope.at("ContactId"));
    const Result changed =
        invoke("freshdesk.contact.upsert", R"({"Name":"Ignored","Email":"DEE@example.com","JobTitle":"CEO"})");
    EXPECT_EQ(changed.envelope.at("Action"), "updated") << changed.text;
    EXPECT_EQ(changed.envelope.at("Contact").at("job_title"), "CEO");
    EXPECT_EQ(changed.envelope.at("Contact").at("name"), "Dee") << "a found contact keeps its name";
}

TEST_F(Lists, FindOrCreateTriesTheKeysInOrderAndUpdatesAfterALostRace) {
    const Result byId =
        invoke("freshdesk.contact.upsert", R"({"Name":"Eve","UniqueExternalId":"CRM-9","Phone":"+1-555-7"})");
    ASSERT_EQ(byId.envelope.at("Action"), "created") << byId.text;
    const Result byPhone =
        invoke("freshdesk.contact.upsert", R"({"Name":"Eve","Email":"eve@example.com","Phone":"+1-555-7"})");
    EXPECT_EQ(byPhone.envelope.at("Action"), "updated") << byPhone.text;
    EXPECT_EQ(byPhone.envelope.at("ContactId"), byId.envelope.at("ContactId")) << "found by phone";
    // A twitter handle the lookups do not use: the create meets Freshdesk's 409 and updates.
    const Result first = invoke("freshdesk.contact.create", R"({"Name":"Fay","TwitterId":"fay_x"})");
    ASSERT_EQ(first.status_code(), 200) << first.text;
    const Result race = invoke("freshdesk.contact.upsert", R"({"Name":"Fay","Phone":"+1-555-8","TwitterId":"fay_x"})");
    EXPECT_EQ(race.status_code(), 200) << race.text;
    EXPECT_EQ(race.envelope.at("Action"), "updated");
    EXPECT_EQ(race.envelope.at("ContactId"), first.envelope.at("Contact").at("id"));
}

TEST_F(Lists, ReturnAllReadsEveryPageAndReportsProgress) {
    fdsandbox::SeedSpec seed;
    seed.contacts = 450;
    sandbox().reset();
    sandbox().seed(seed);
    std::vector<std::pair<std::uint64_t, std::int64_t>> reports;
    std::vector<std::chrono::steady_clock::time_point> report_times;
    std::string envelope, error;
    const std::string input = R"({"ReturnAll":true,"MaxItems":100000})";
    sandbox().set_response_latency(std::chrono::milliseconds(120));  // pages come faster than reports may
    ASSERT_TRUE(fdtest::plugin().invoke("freshdesk.contact.get_many", input,
                                        json::serialize(fdtest::credentials_for(sandbox(), 20000)), envelope, error,
                                        [&](std::uint64_t so_far, std::int64_t total) {
                                            reports.emplace_back(so_far, total);
                                            report_times.push_back(std::chrono::steady_clock::now());
                                        }));
    sandbox().set_response_latency(std::chrono::milliseconds(0));
    // At most four reports a second: a progress line, not a log.
    for (std::size_t i = 1; i < report_times.size(); ++i)
        EXPECT_GE(report_times[i] - report_times[i - 1], std::chrono::milliseconds(200)) << "report " << i;
    EXPECT_LT(reports.size(), 5u) << "one report per page";
    const json::value out = json::parse(envelope);
    EXPECT_EQ(out.at("Results").as_array().size(), 450u);
    EXPECT_EQ(out.at("Pagination").at("pages_read"), 5);
    EXPECT_EQ(out.at("Pagination").at("limit_reached"), false);
    ASSERT_FALSE(reports.empty()) << "at least the first page was reported";
    EXPECT_EQ(reports.front().first, 100u);
    const Result capped = invoke("freshdesk.contact.get_many", R"({"ReturnAll":true,"MaxItems":150})");
    EXPECT_EQ(capped.envelope.at("Results").as_array().size(), 150u);
    EXPECT_EQ(capped.envelope.at("Pagination").at("limit_reached"), true);
    EXPECT_EQ(capped.envelope.at("Pagination").at("pages_read"), 2);
}

// Every node that takes Return All, from its own example, over more than a page of records:
// Return All starts with the records one page of 100 gives, in the same order, goes on past
// them over several pages, and repeats none.
TEST_F(Lists, EveryReturnAllNodeReadsEveryPage) {
    fdsandbox::SeedSpec seed;
    seed.contacts = 600;  // enough that the example's company has more than a search page
    seed.tickets = 150;
    seed.statuses = {2};
    seed.agents = seed.groups = 150;
    seed.conversations_per_ticket = 100;  // the sandbox's most; three notes more make a second page
    sandbox().reset();
    sandbox().seed(seed);
    fdsandbox::SeedSpec companies;  // after the contacts, which stay with the first three companies
    companies.companies = 150;
    sandbox().seed(companies);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(invoke("freshdesk.ticket.add_note", R"({"TicketId":2,"Body":"more"})").status_code(), 200);
    std::size_t nodes = 0;
    for (const fdtest::NodeCase& c : fdtest::node_cases()) {
        std::string list_output;
        bool takes_return_all = false;
        for (const auto& [part, schema] : fdtest::node_schemas(c.id)) {
            const json::object& properties = schema.at("properties").as_object();
            if (part == "options") takes_return_all = properties.contains("ReturnAll");
            if (part != "outputs") continue;
            for (const auto& [name, property] : properties) {
                if (property.as_object().if_contains("type") && property.at("type") == "array") list_output = name;
            }
        }
        if (!takes_return_all) continue;
        ++nodes;
        json::object input = json::parse(c.input).as_object();
        input.erase("Page");
        input.erase("PerPage");
        const Result one_page = invoke(c.id, json::serialize(input));
        ASSERT_EQ(one_page.status_code(), 200) << c.id << ": " << one_page.text;
        input["ReturnAll"] = true;
        const Result all = invoke(c.id, json::serialize(input));
        ASSERT_EQ(all.status_code(), 200) << c.id << ": " << all.text;
        const json::array& first = one_page.envelope.at(list_output).as_array();
        const json::array& got = all.envelope.at(list_output).as_array();
        ASSERT_FALSE(first.empty()) << c.id;
        EXPECT_GT(got.size(), first.size()) << c.id << ": Return All read no further than one page";
        EXPECT_GE(all.envelope.at("Pagination").at("pages_read").as_int64(), 2) << c.id;
        std::set<std::int64_t> ids;
        for (std::size_t i = 0; i < got.size(); ++i) {
            if (i < first.size()) {
                EXPECT_EQ(got[i].at("id"), first[i].at("id")) << c.id << " item " << i;
            }
            EXPECT_TRUE(ids.insert(got[i].at("id").as_int64()).second) << c.id << ": item " << i << " twice";
        }
    }
    EXPECT_GE(nodes, 8u);
}

// Return All under a tight rate limit: the pacer spaces the pages, so every page arrives and
// at most the first used-up window costs a 429 (waited out, not lost).
TEST_F(Lists, ReturnAllIsPacedByTheRateLimit) {
    fdsandbox::SeedSpec seed;
    seed.contacts = 900;
    sandbox().reset();
    sandbox().seed(seed);
    sandbox().set_rate_limit(3, std::chrono::seconds(1));
    sandbox().clear_requests();
    const Result r = fdtest::invoke("freshdesk.contact.get_many", R"({"ReturnAll":true,"MaxItems":100000})",
                                    fdtest::credentials_for(sandbox(), 30000));
    const std::size_t requests = sandbox().requests().size();
    sandbox().set_rate_limit(1'000'000, std::chrono::seconds(60));
    ASSERT_EQ(r.status_code(), 200) << r.text;
    EXPECT_EQ(r.envelope.at("Results").as_array().size(), 900u);
    // Nine full pages, and a tenth to see that a full ninth was the last.
    const std::size_t pages = static_cast<std::size_t>(r.envelope.at("Pagination").at("pages_read").as_int64());
    EXPECT_EQ(pages, 10u);
    EXPECT_LE(requests, pages + 1) << "more than one page was refused with 429";
}

namespace {

// A run started through the raw ABI, its progress and its envelope.
struct RawRun {
    std::mutex mutex;
    std::condition_variable changed;
    std::uint64_t items_so_far = 0;
    std::string envelope;
    bool done = false;
};

std::size_t list_requests_logged(std::string_view path) {
    std::size_t count = 0;
    for (const auto& request : sandbox().requests())
        count += request.method == "GET" && request.path == path ? 1 : 0;
    return count;
}

}  // namespace

// Return All is cancelled between pages: the run ends as cancelled, and no page is asked for
// after the cancel.
TEST_F(Lists, ReturnAllStopsBetweenPagesWhenCancelled) {
    fdsandbox::SeedSpec seed;
    seed.contacts = 900;  // nine pages of 100
    sandbox().reset();
    sandbox().seed(seed);
    sandbox().set_response_latency(std::chrono::milliseconds(80));
    const std::string node = "freshdesk.contact.get_many", input = R"({"ReturnAll":true,"MaxItems":100000})";
    const std::string credentials = json::serialize(fdtest::credentials_for(sandbox(), 20000));
    wfp_run_request request{};
    request.struct_size = sizeof(request);
    request.node_id = {node.data(), node.size()};
    request.input_json = {input.data(), input.size()};
    request.credentials_json = {credentials.data(), credentials.size()};
    request.on_progress = [](void* user_data, wfp_run*, std::uint64_t so_far, std::int64_t) {
        auto* raw = static_cast<RawRun*>(user_data);
        std::lock_guard lock(raw->mutex);
        raw->items_so_far = so_far;
        raw->changed.notify_all();
    };
    RawRun raw;
    wfp_run* run = nullptr;
    const wfp_plugin_api& api = fdtest::plugin().api();
    ASSERT_EQ(api.run_start(
                  &request,
                  [](void* user_data, wfp_run*, wfp_str envelope) {
                      auto* raw = static_cast<RawRun*>(user_data);
                      std::lock_guard lock(raw->mutex);
                      raw->envelope.assign(envelope.ptr, envelope.len);
                      raw->done = true;
                      raw->changed.notify_all();
                  },
                  &raw, &run),
              WFP_OK);
    std::unique_lock lock(raw.mutex);
    ASSERT_TRUE(
        raw.changed.wait_for(lock, std::chrono::seconds(10), [&] { return raw.items_so_far >= 200 || raw.done; }));
    lock.unlock();
    api.run_cancel(run);
    lock.lock();
    ASSERT_TRUE(raw.changed.wait_for(lock, std::chrono::seconds(10), [&] { return raw.done; }));
    lock.unlock();
    api.run_release(run);
    // A page asked for just before the cancel may still be in the socket's buffer when the run
    // ends: let the sandbox read it, then watch for any request after that.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::size_t pages_when_done = list_requests_logged("/api/v2/contacts");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sandbox().set_response_latency(std::chrono::milliseconds(0));
    const json::value envelope = json::parse(raw.envelope);
    EXPECT_EQ(envelope.at("StatusCode"), 500) << raw.envelope;
    EXPECT_NE(envelope.at("ErrorMessage").as_string().find("cancel"), std::string::npos) << raw.envelope;
    EXPECT_LT(pages_when_done, 9u) << "it read on after the cancel";
    EXPECT_EQ(list_requests_logged("/api/v2/contacts"), pages_when_done) << "a page was asked for after the run ended";
}

namespace {

// A poll that fails half-way through its pages returns no cursor; polling again with the old
// cursor delivers every change once, oldest first.
void check_failed_poll_loses_nothing(const std::string& resource) {
    const bool tickets = resource == "ticket";
    const std::string watch = "freshdesk." + resource + ".watch",
                      path = tickets ? "/api/v2/tickets" : "/api/v2/contacts";
    const Result start = invoke(watch, "{}");
    const std::string cursor(start.envelope.at("Cursor").as_string());
    std::set<std::int64_t> created;
    for (int i = 0; i < 350; ++i) {  // more than three pages, and more than search could reach
        const std::string n = std::to_string(i);
        const Result r = tickets ? invoke("freshdesk.ticket.create",
                                          R"({"Subject":"H )" + n + R"(","Description":"d","Email":"h@example.com"})")
                                 : invoke("freshdesk.contact.create",
                                          R"({"Name":"H )" + n + R"(","Email":"h)" + n + R"(@example.com"})");
        ASSERT_EQ(r.status_code(), 200) << r.text;
        created.insert(r.envelope.at(tickets ? "Ticket" : "Contact").at("id").as_int64());
    }
    // At once, the last second is not over: its changes wait for a later poll, and HasMore
    // does not ask to poll again at once (that would only spin until the second is over).
    const Result early = invoke(watch, R"({"Cursor":")" + cursor + R"(","MaxItems":1000})");
    EXPECT_LT(early.envelope.at("Items").as_array().size(), created.size());
    EXPECT_EQ(early.envelope.at("HasMore"), false);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the last second is over, by the Date header too
    sandbox().clear_requests();
    sandbox().set_response_latency(std::chrono::milliseconds(60));
    std::thread breaker([&] {  // fails the poll's third request, after two answers
        while (list_requests_logged(path) < 2)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        fdsandbox::Fault fault;
        fault.status = 500;
        fault.path_prefix = path;
        sandbox().inject(fault);
    });
    const Result failed = invoke(watch, R"({"Cursor":")" + cursor + R"(","MaxItems":1000})");
    breaker.join();
    sandbox().set_response_latency(std::chrono::milliseconds(0));
    sandbox().clear_faults();
    EXPECT_EQ(failed.status_code(), 500) << failed.text;
    EXPECT_EQ(failed.envelope.at("Cursor"), "");
    EXPECT_TRUE(failed.envelope.at("Items").as_array().empty());
    std::multiset<std::int64_t> delivered;
    std::pair<std::string, std::int64_t> last;  // (updated_at, id): RFC 3339 UTC sorts as text
    std::string next = cursor;
    for (int poll = 0; poll < 20; ++poll) {
        const Result r = invoke(watch, R"({"Cursor":")" + next + R"(","MaxItems":120})");
        ASSERT_EQ(r.status_code(), 200) << r.text;
        for (const json::value& item : r.envelope.at("Items").as_array()) {
            const std::pair<std::string, std::int64_t> key{item.at("updated_at").as_string(), item.at("id").as_int64()};
            EXPECT_LT(last, key) << resource << " " << key.second << " came after a later change";
            last = key;
            delivered.insert(key.second);
        }
        next = std::string(r.envelope.at("Cursor").as_string());
        if (!r.envelope.at("HasMore").as_bool()) break;
    }
    for (std::int64_t id : created)
        EXPECT_EQ(delivered.count(id), 1u) << resource << " " << id;
    EXPECT_EQ(std::set<std::int64_t>(delivered.begin(), delivered.end()).size(), delivered.size()) << "one twice";
}

}  // namespace

TEST_F(Lists, AContactWatchPollThatFailsHalfWayLosesNothing) {
    check_failed_poll_loses_nothing("contact");
}

TEST_F(Lists, ATicketWatchPollThatFailsHalfWayLosesNothing) {
    check_failed_poll_loses_nothing("ticket");
}

// Event "created" delivers records created after the cursor and none that were only updated.
TEST_F(Lists, WatchCreatedSkipsUpdates) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the seed's newest records are before the start
    const Result start = invoke("freshdesk.ticket.watch", R"({"Event":"created"})");
    const std::string cursor(start.envelope.at("Cursor").as_string());
    ASSERT_EQ(invoke("freshdesk.ticket.update", R"({"TicketId":1,"Subject":"changed"})").status_code(), 200);
    const Result made =
        invoke("freshdesk.ticket.create", R"({"Subject":"new","Description":"d","Email":"n@example.com"})");
    ASSERT_EQ(made.status_code(), 200) << made.text;
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    const Result r = invoke("freshdesk.ticket.watch", R"({"Cursor":")" + cursor + R"(","Event":"created"})");
    ASSERT_EQ(r.status_code(), 200) << r.text;
    ASSERT_EQ(r.envelope.at("Items").as_array().size(), 1u) << r.text;
    EXPECT_EQ(r.envelope.at("Items").at(0).at("id"), made.envelope.at("TicketId"));
}

namespace {

// One side of the watch property: what was changed, and what the polls delivered.
struct Ledger {
    std::mutex mutex;
    std::map<std::int64_t, std::vector<std::string>> changes;  // id -> updated_at after each change
    std::set<std::pair<std::int64_t, std::string>> delivered;  // (id, updated_at)
    std::size_t repeats = 0;

    void changed(const json::value& record) {
        std::lock_guard lock(mutex);
        changes[record.at("id").as_int64()].emplace_back(record.at("updated_at").as_string());
    }
    void deliver(const json::value& record) {
        std::lock_guard lock(mutex);
        if (!delivered.emplace(record.at("id").as_int64(), std::string(record.at("updated_at").as_string())).second)
            ++repeats;
    }
};

// Polls until nothing more is waiting and the last second is over.
std::string drain(const std::string& node, std::string cursor, Ledger& ledger, std::int64_t max_items) {
    for (int round = 0; round < 400; ++round) {
        const Result r = invoke(node, R"({"Cursor":")" + cursor + R"(","MaxItems":)" + std::to_string(max_items) + "}");
        EXPECT_EQ(r.status_code(), 200) << r.text;
        for (const json::value& item : r.envelope.at("Items").as_array())
            ledger.deliver(item);
        cursor = std::string(r.envelope.at("Cursor").as_string());
        if (!r.envelope.at("HasMore").as_bool() && r.envelope.at("Items").as_array().empty()) return cursor;
        if (!r.envelope.at("HasMore").as_bool()) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    ADD_FAILURE() << "the watch never caught up";
    return cursor;
}

// Random creates and updates (bursts of many in one second), some while the node pages, with
// polls of random sizes in between: every change is delivered, none twice.
void check_exactly_once(const std::string& watch, const std::string& create, const std::string& update,
                        const std::string& record_key) {
    Ledger ledger;
    std::mt19937 random(7);
    const Result first = invoke(watch, R"({"Cursor":""})");
    std::string cursor(first.envelope.at("Cursor").as_string());
    std::vector<std::int64_t> ids;
    auto create_one = [&](int i) {
        const std::string n = std::to_string(i);
        const Result r = invoke(
            create, record_key == "Ticket" ? R"({"Subject":"W )" + n + R"(","Description":"d","Email":"w@example.com"})"
                                           : R"({"Name":"W )" + n + R"(","Email":"w)" + n + R"(@example.com"})");
        ASSERT_EQ(r.status_code(), 200) << r.text;
        ledger.changed(r.envelope.at(record_key));
        ids.push_back(r.envelope.at(record_key).at("id").as_int64());
    };
    auto update_one = [&](std::int64_t id, int i) {
        const Result r =
            invoke(update, "{" + std::string(record_key == "Ticket" ? R"("TicketId":)" : R"("ContactId":)") +
                               std::to_string(id) + R"(,"Description":"v)" + std::to_string(i) + "\"}");
        ASSERT_EQ(r.status_code(), 200) << r.text;
        ledger.changed(r.envelope.at(record_key));
    };
    for (int i = 0; i < 260; ++i)
        create_one(i);  // a burst: most share a second
    for (int round = 0; round < 6; ++round) {
        std::atomic<bool> stop{false};
        std::thread meanwhile([&] {  // changes while the node pages
            for (int i = 0; !stop && i < 40; ++i)
                update_one(ids[random() % ids.size()], round * 100 + i);
        });
        const Result r =
            invoke(watch, R"({"Cursor":")" + cursor + R"(","MaxItems":)" + std::to_string(20 + random() % 150) + "}");
        stop = true;
        meanwhile.join();
        ASSERT_EQ(r.status_code(), 200) << r.text;
        for (const json::value& item : r.envelope.at("Items").as_array())
            ledger.deliver(item);
        cursor = std::string(r.envelope.at("Cursor").as_string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the last second is over
    drain(watch, cursor, ledger, 97);
    EXPECT_EQ(ledger.repeats, 0u) << "a change delivered twice";
    for (const auto& [id, stamps] : ledger.changes) {
        for (const std::string& stamp : stamps) {
            const auto reached = std::find_if(ledger.delivered.begin(), ledger.delivered.end(),
                                              [&](const auto& d) { return d.first == id && d.second >= stamp; });
            EXPECT_NE(reached, ledger.delivered.end()) << "record " << id << " changed at " << stamp << " was missed";
        }
    }
}

}  // namespace

TEST(WatchProperty, TicketsEveryChangeExactlyOnce) {
    fdtest::seed_default(sandbox());
    check_exactly_once("freshdesk.ticket.watch", "freshdesk.ticket.create", "freshdesk.ticket.update", "Ticket");
}

TEST(WatchProperty, ContactsEveryChangeExactlyOnce) {
    fdtest::seed_default(sandbox());
    check_exactly_once("freshdesk.contact.watch", "freshdesk.contact.create", "freshdesk.contact.update", "Contact");
}

TEST_F(Lists, WatchFirstPollStartsNowAndStartFromReachesBack) {
    const Result now = invoke("freshdesk.ticket.watch", "{}");
    ASSERT_EQ(now.status_code(), 200) << now.text;
    EXPECT_TRUE(now.envelope.at("Items").as_array().empty());
    EXPECT_FALSE(now.envelope.at("Cursor").as_string().empty());
    const Result back = invoke("freshdesk.ticket.watch", R"({"StartFrom":"2000-01-01T00:00:00Z","MaxItems":4})");
    EXPECT_EQ(back.envelope.at("Items").as_array().size(), 4u) << back.text;
    EXPECT_EQ(back.envelope.at("HasMore"), true);
    const Result created =
        invoke("freshdesk.ticket.watch", R"({"StartFrom":"2000-01-01T00:00:00Z","Event":"updated"})");
    for (const json::value& ticket : created.envelope.at("Items").as_array())
        EXPECT_GT(ticket.at("updated_at").as_string(), ticket.at("created_at").as_string());
    const Result bad = invoke("freshdesk.ticket.watch", R"({"Cursor":"bm90IGEgY3Vyc29y"})");
    EXPECT_EQ(bad.status_code(), -1);
    EXPECT_NE(bad.message().find("Cursor"), std::string::npos);
}
