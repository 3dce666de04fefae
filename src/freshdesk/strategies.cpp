#include "freshdesk/strategies.hpp"

namespace fd::freshdesk {

namespace {

const std::vector<Strategy>& strategies() {
    static const std::vector<Strategy> table = {
        {"request", {"Page", "PerPage", "ReturnAll", "MaxItems"}, {}, make_request_operation},
        {"search", {"Page", "PerPage", "ReturnAll", "MaxItems"}, {"Total", "Pagination"}, make_search},
        {"upsert", {}, {"Contact", "ContactId", "Action"}, make_upsert},
        {"watch", {"Cursor", "Event", "StartFrom", "MaxItems"}, {"Items", "Cursor", "HasMore"}, make_watch},
        {"ticket_listing",
         {"Page", "PerPage", "ReturnAll", "MaxItems", "Status", "Priority", "UpdatedSince"},
         {"Tickets", "Pagination"},
         make_ticket_listing},
    };
    return table;
}

}  // namespace

const Strategy* find_strategy(std::string_view name) {
    for (const Strategy& strategy : strategies()) {
        if (strategy.name == name) return &strategy;
    }
    return nullptr;
}

std::unique_ptr<Operation> make_operation(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                          const OperationContext& context) {
    // Options the user left out take the defaults their schema declares.
    for (const auto& [name, schema] : node.options.at("properties").as_object()) {
        const boost::json::value* fallback = schema.is_object() ? schema.get_object().if_contains("default") : nullptr;
        if (fallback && !params.contains(name)) params[name] = *fallback;
    }
    return find_strategy(mapping.strategy)->make(node, mapping, std::move(params), context);
}

}  // namespace fd::freshdesk
