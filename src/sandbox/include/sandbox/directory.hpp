// The account's directory: GET /api/v2/agents (with its email, phone, mobile and state
// filters), /api/v2/agents/me (the agent owning the API key), /api/v2/groups and
// /api/v2/companies, each ordered by name and paged as the other lists are; and one company,
// GET /api/v2/companies/{id}.
#pragma once

#include "sandbox/account.hpp"
#include "sandbox/api_reply.hpp"
#include "sandbox/resource_request.hpp"

#include <boost/json/object.hpp>

namespace fdsandbox {

boost::json::object agent_json(const Agent& agent);
boost::json::object group_json(const Group& group);
boost::json::object company_json(const Company& company);

Reply list_agents(Account& account, const ResourceRequest& request);
Reply show_current_agent(Account& account, const ResourceRequest& request);
Reply list_groups(Account& account, const ResourceRequest& request);
Reply list_companies(Account& account, const ResourceRequest& request);
Reply show_company(Account& account, std::string_view id);

}  // namespace fdsandbox
