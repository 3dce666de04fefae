// The sandbox's plain-C++ pieces on their own: timestamps, query strings and Link, the search
// grammar, the certificates, the rate limiter, the validation status rule, deterministic seeding.
#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/certificates.hpp"
#include "sandbox/query_params.hpp"
#include "sandbox/rate_limiter.hpp"
#include "sandbox/search_query.hpp"
#include "sandbox/seeding.hpp"
#include "sandbox/tickets.hpp"
#include "sandbox/timestamps.hpp"
#include "sandbox_fixture.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sandbox_test {
namespace {

using namespace fdsandbox;

TEST(Timestamps, FormatIsUtcWithZ) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_timestamp(1458249829), "2016-03-17T21:23:49Z");
}

TEST(Timestamps, ParsesTheIso8601FormsFreshdeskTakes) {
    EXPECT_EQ(parse_iso8601("2016-03-17"), 1458172800);
    EXPECT_EQ(parse_iso8601("2016-03-17T21:23"), 1458249780);
    EXPECT_EQ(parse_iso8601("2016-03-17T21:23:49"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T21:23:49Z"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T21:23:49z"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T21:23:49.123Z"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T23:23:49+02"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T23:23:49+0200"), 1458249829);
    EXPECT_EQ(parse_iso8601("2016-03-17T16:53:49-04:30"), 1458249829);
    for (const char* bad : {"", "yesterday", "2016-3-17", "2016-02-30", "2016-03-17T24:00:00", "2016-03-17T10:00:60",
                            "2016-03-17T10:00:00+25:00", "2016-03-17 10:00", "2016-03-17T10", "2016-03-17Z"})
        EXPECT_FALSE(parse_iso8601(bad)) << bad;
    EXPECT_EQ(parse_date("2016-03-17"), 1458172800);
    EXPECT_FALSE(parse_date("2016-03-17T00:00"));
}

TEST(Timestamps, OneCalendarMonthEarlier) {
    EXPECT_EQ(format_timestamp(one_month_earlier(*parse_date("2024-03-31"))), "2024-02-29T00:00:00Z");
    EXPECT_EQ(format_timestamp(one_month_earlier(*parse_date("2023-01-15"))), "2022-12-15T00:00:00Z");
    EXPECT_EQ(start_of_utc_day(1458249829), 1458172800);
}

TEST(QueryString, DecodesKeepsOrderAndRebuildsTheNextPage) {
    const std::optional<QueryParams> query = QueryParams::parse("email=a%40b.com&per_page=2&name=Ann+Lee&page=1");
    ASSERT_TRUE(query);
    EXPECT_EQ(*query->find("email"), "a@b.com");
    EXPECT_EQ(*query->find("name"), "Ann Lee");
    EXPECT_EQ(query->with_page(2), "email=a%40b.com&per_page=2&name=Ann+Lee&page=2");
    EXPECT_EQ(QueryParams::parse("per_page=2")->with_page(2), "per_page=2&page=2");
    EXPECT_EQ(QueryParams::parse("")->with_page(2), "page=2");
    EXPECT_EQ(*QueryParams::parse("a=1&a=2")->find("a"), "2") << "the last wins";
    EXPECT_FALSE(QueryParams::parse("a=%zz"));
    EXPECT_EQ(QueryParams::parse("b=1&x=2&b=3&y")->unknown_keys({"b"}), (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(next_page_link("h:1", "/api/v2/tickets", *QueryParams::parse("per_page=2"), 2),
              "<https://h:1/api/v2/tickets?per_page=2&page=2>; rel=\"next\"");
    const RequestTarget target = split_target("/api/v2/a%20b?x=1");
    EXPECT_EQ(target.path, "/api/v2/a b");
    EXPECT_EQ(target.raw_query, "x=1");
}

TEST(SearchGrammar, ParsesPairsOperatorsAndParentheses) {
    const std::optional<SearchNode> tree = parse_search_query("(status:2 OR status:>3) and tag:'a b' OR agent_id:null");
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->kind, SearchNode::Kind::any_of);
    ASSERT_EQ(tree->children.size(), 2u);
    const SearchNode& left = tree->children[0];
    EXPECT_EQ(left.kind, SearchNode::Kind::all_of);
    ASSERT_EQ(left.children.size(), 2u);
    EXPECT_EQ(left.children[0].kind, SearchNode::Kind::any_of);
    EXPECT_EQ(left.children[0].children[1].condition.comparison, SearchCondition::Comparison::at_least);
    EXPECT_EQ(left.children[0].children[1].condition.value.integer, 3);
    EXPECT_EQ(left.children[1].condition.value.text, "a b");
    EXPECT_EQ(tree->children[1].condition.value.kind, SearchValue::Kind::null);
    std::vector<const SearchCondition*> conditions;
    collect_conditions(*tree, conditions);
    EXPECT_EQ(conditions.size(), 4u);

    for (const char* bad :
         {"", "status", "status:", "status:2 AND", "AND status:2", "(status:2", "status:2)", "status:2 status:3",
          "status:2AND status:3", "status: 2", "status:'open", "type:Incident", "status:2 XOR status:3", "()"})
        EXPECT_FALSE(parse_search_query(bad)) << bad;
    EXPECT_FALSE(parse_search_query(std::string(200, '(') + "status:2" + std::string(200, ')'))) << "too deep";
}

TEST(Certificates, TheServerCertificateIsSignedByTheCaForTheChosenNames) {
    const CertificateBundle bundle = make_certificates({"127.0.0.1", "localhost", "sandbox.test"});
    auto load = [](const std::string& pem) {
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        return certificate;
    };
    X509* ca = load(bundle.ca_certificate_pem);
    X509* server = load(bundle.server_certificate_pem);
    ASSERT_TRUE(ca && server);
    EXPECT_EQ(X509_verify(server, X509_get0_pubkey(ca)), 1);
    EXPECT_EQ(X509_check_ca(ca), 1);
    EXPECT_EQ(X509_check_host(server, "localhost", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_host(server, "sandbox.test", 0, 0, nullptr), 1);
    EXPECT_EQ(X509_check_ip_asc(server, "127.0.0.1", 0), 1);
    EXPECT_NE(X509_check_host(server, "example.com", 0, 0, nullptr), 1);
    EXPECT_EQ(EVP_PKEY_get_base_id(X509_get0_pubkey(server)), EVP_PKEY_EC) << "ECDSA for fast handshakes";
    EXPECT_NE(bundle.server_private_key_pem.find("PRIVATE KEY"), std::string::npos);
    X509_free(ca);
    X509_free(server);
    EXPECT_NE(make_certificates({"127.0.0.1"}).ca_certificate_pem, bundle.ca_certificate_pem) << "fresh each time";
}

TEST(RateLimiterUnit, AFixedWindowOfCredits) {
    RateLimiter limiter(2, std::chrono::seconds(10));
    const auto start = RateLimiter::Clock::now();
    EXPECT_TRUE(limiter.admit(start).allowed);
    limiter.charge(1);
    EXPECT_EQ(limiter.remaining(), 0);
    const RateLimiter::Admission refused = limiter.admit(start + std::chrono::milliseconds(2500));
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after_seconds, 8);
    EXPECT_EQ(limiter.admit(start + std::chrono::milliseconds(9999)).retry_after_seconds, 1);
    EXPECT_TRUE(limiter.admit(start + std::chrono::seconds(10)).allowed) << "a new window";
    EXPECT_EQ(limiter.remaining(), 1);
}

TEST(ValidationStatus, TheMostFrequentStatusWinsTiesGoFirst) {
    ValidationErrors one_duplicate;
    one_duplicate.add_with_info("email", {{"user_id", 1}}, "It should be a unique value", code::duplicate_value);
    EXPECT_EQ(one_duplicate.reply().status, 409);
    ValidationErrors tie;
    tie.add("name", "x", code::missing_field);
    tie.add("email", "y", code::duplicate_value);
    EXPECT_EQ(tie.reply().status, 400);
    ValidationErrors mostly_duplicates;
    mostly_duplicates.add("name", "x", code::missing_field);
    mostly_duplicates.add("email", "y", code::duplicate_value);
    mostly_duplicates.add("twitter_id", "z", code::duplicate_value);
    EXPECT_EQ(mostly_duplicates.reply().status, 409);
}

TEST(HtmlToText, StripsTagsAndDecodesEntities) {
    EXPECT_EQ(html_to_text("<div>Hello <b>world</b> &amp; &lt;you&gt;&nbsp;!</div>"), "Hello world & <you> !");
    EXPECT_EQ(html_to_text("plain"), "plain");
}

TEST(Seeding, IsDeterministicAndSpreadsAsAsked) {
    Account first, second;
    SeedSpec spec;
    spec.contacts = 10;
    spec.tickets = 40;
    spec.seed = 42;
    spec.days_back = 90;
    const UnixSeconds now = 1700000000;
    seed_account(first, spec, now);
    seed_account(second, spec, now);
    ASSERT_EQ(first.tickets.size(), 40u);
    ASSERT_EQ(first.contacts.size(), 10u);
    for (std::size_t i = 0; i < first.tickets.size(); ++i) {
        const Ticket& a = first.tickets[i];
        const Ticket& b = second.tickets[i];
        EXPECT_EQ(a.id, static_cast<std::int64_t>(i) + 1);
        EXPECT_EQ(std::tie(a.subject, a.status, a.priority, a.created_at, a.updated_at, a.requester_id),
                  std::tie(b.subject, b.status, b.priority, b.created_at, b.updated_at, b.requester_id));
        EXPECT_EQ(a.status, 2 + static_cast<int>(i % 4));
        EXPECT_EQ(a.priority, 1 + static_cast<int>((i / 4) % 4));
        EXPECT_GE(a.updated_at, a.created_at);
        EXPECT_LE(a.updated_at, now);
    }
    EXPECT_EQ(first.tickets.front().created_at, now - 90 * kSecondsPerDay) << "the oldest is days_back old";
    EXPECT_EQ(first.tickets.back().created_at, now);
    EXPECT_EQ(first.contacts.begin()->second.email, second.contacts.begin()->second.email);

    Account other;
    spec.seed = 43;
    seed_account(other, spec, now);
    EXPECT_NE(other.tickets[5].updated_at, first.tickets[5].updated_at) << "the seed varies the spread";

    Account lone;
    seed_account(lone, SeedSpec{.contacts = 0, .tickets = 3}, now);
    EXPECT_EQ(lone.contacts.size(), 1u) << "a requester is made when the account has none";
    SeedSpec bad;
    bad.statuses = {};
    EXPECT_THROW(seed_account(lone, bad, now), std::invalid_argument);
}

}  // namespace
}  // namespace sandbox_test
