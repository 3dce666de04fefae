#include "sandbox/directory.hpp"

#include "sandbox/field_rules.hpp"
#include "sandbox/json_values.hpp"
#include "sandbox/list_reply.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace fdsandbox {

namespace json = boost::json;

namespace {

// Freshdesk orders these lists by name; the id breaks ties so pages never overlap.
template <class Item>
std::vector<const Item*> by_name(const std::vector<Item>& items) {
    std::vector<const Item*> ordered;
    for (const Item& item : items)
        ordered.push_back(&item);
    std::sort(ordered.begin(), ordered.end(), [](const Item* a, const Item* b) {
        const std::string left = to_lower(a->name), right = to_lower(b->name);
        return left != right ? left < right : a->id < b->id;
    });
    return ordered;
}

bool agent_matches(const Agent& agent, const QueryParams& query) {
    const std::string* email = query.find("email");
    const std::string* phone = query.find("phone");
    const std::string* mobile = query.find("mobile");
    const std::string* state = query.find("state");
    if (email && to_lower(agent.email) != to_lower(*email)) return false;
    if (phone && agent.phone != *phone) return false;
    if (mobile && agent.mobile != *mobile) return false;
    if (state && (*state == "occasional") != agent.occasional) return false;
    return true;
}

}  // namespace

json::object agent_json(const Agent& agent) {
    json::object contact{{"active", true},
                         {"email", agent.email},
                         {"job_title", text_or_null(agent.job_title)},
                         {"language", "en"},
                         {"last_login_at", format_timestamp(agent.updated_at)},
                         {"mobile", text_or_null(agent.mobile)},
                         {"name", agent.name},
                         {"phone", text_or_null(agent.phone)},
                         {"time_zone", "Eastern Time (US & Canada)"},
                         {"created_at", format_timestamp(agent.created_at)},
                         {"updated_at", format_timestamp(agent.updated_at)}};
    return json::object{{"available", agent.available},
                        {"occasional", agent.occasional},
                        {"id", agent.id},
                        {"signature", nullptr},
                        {"ticket_scope", agent.ticket_scope},
                        {"group_ids", id_array(agent.group_ids)},
                        {"role_ids", json::array{47000000601}},
                        {"created_at", format_timestamp(agent.created_at)},
                        {"updated_at", format_timestamp(agent.updated_at)},
                        {"last_active_at", format_timestamp(agent.updated_at)},
                        {"available_since", nullptr},
                        {"type", "support_agent"},
                        {"contact", std::move(contact)}};
}

json::object group_json(const Group& group) {
    return json::object{{"id", group.id},
                        {"name", group.name},
                        {"description", text_or_null(group.description)},
                        {"escalate_to", nullptr},
                        {"unassigned_for", nullptr},
                        {"business_hour_id", nullptr},
                        {"created_at", format_timestamp(group.created_at)},
                        {"updated_at", format_timestamp(group.updated_at)},
                        {"agent_ids", id_array(group.agent_ids)}};
}

json::object company_json(const Company& company) {
    return json::object{{"id", company.id},
                        {"name", company.name},
                        {"description", text_or_null(company.description)},
                        {"note", text_or_null(company.note)},
                        {"domains", string_array(company.domains)},
                        {"created_at", format_timestamp(company.created_at)},
                        {"updated_at", format_timestamp(company.updated_at)},
                        {"custom_fields", json::object()},
                        {"health_score", nullptr},
                        {"account_tier", nullptr},
                        {"industry", nullptr},
                        {"renewal_date", nullptr}};
}

Reply list_agents(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    const QueryParams& query = request.query;
    if (!check_query_keys(query, {"email", "mobile", "phone", "state", "page", "per_page"}, errors))
        return errors.reply();
    if (const std::string* email = query.find("email"); email && !is_valid_email(*email))
        errors.add("email", std::string(message::invalid_email), code::invalid_value);
    if (const std::string* state = query.find("state"); state && *state != "fulltime" && *state != "occasional")
        errors.add("state", not_included_message("occasional,fulltime"), code::invalid_value);
    const Page page = read_page(query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();
    std::vector<const Agent*> matches = by_name(account.agents);
    std::erase_if(matches, [&](const Agent* agent) { return !agent_matches(*agent, query); });
    return list_reply(matches, page, request, [](const Agent* agent) { return agent_json(*agent); });
}

Reply show_current_agent(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query, {}, errors)) return errors.reply();
    const Agent* agent = account.find_agent(account.api_agent_id());
    return agent ? json_reply(200, agent_json(*agent)) : bare_reply(404);
}

Reply list_groups(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query, {"page", "per_page"}, errors)) return errors.reply();
    const Page page = read_page(request.query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();
    return list_reply(by_name(account.groups), page, request, [](const Group* group) { return group_json(*group); });
}

Reply list_companies(Account& account, const ResourceRequest& request) {
    ValidationErrors errors;
    if (!check_query_keys(request.query, {"page", "per_page"}, errors)) return errors.reply();
    const Page page = read_page(request.query, PageLimits{}, errors);
    if (!errors.empty()) return errors.reply();
    return list_reply(by_name(account.companies), page, request,
                      [](const Company* company) { return company_json(*company); });
}

Reply show_company(Account& account, std::string_view id) {
    const std::optional<std::int64_t> number = parse_id(id);
    for (const Company& company : account.companies) {
        if (number && company.id == *number) return json_reply(200, company_json(company));
    }
    return bare_reply(404);
}

}  // namespace fdsandbox
