// The named strategies a node record can select ("strategy": NAME). "request" walks the record's
// request and answer maps; the others are behaviours no single request expresses, each in a
// file of its own.
#pragma once

#include "freshdesk/operation.hpp"

#include <string_view>
#include <vector>

namespace fd::freshdesk {

struct Strategy {
    std::string_view name;
    // Inputs and options the strategy reads itself, besides those the request map names.
    std::vector<std::string_view> reads;
    // Outputs the strategy fills itself, besides the answer map's.
    std::vector<std::string_view> makes;
    std::unique_ptr<Operation> (*make)(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                       const OperationContext& context);
};

// nullptr for a name no strategy has.
const Strategy* find_strategy(std::string_view name);

// The strategies' factories, one per file.
std::unique_ptr<Operation> make_request_operation(const NodeSpec& node, const NodeMapping& mapping,
                                                  boost::json::object params, const OperationContext& context);
std::unique_ptr<Operation> make_search(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                       const OperationContext& context);
std::unique_ptr<Operation> make_upsert(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                       const OperationContext& context);
std::unique_ptr<Operation> make_watch(const NodeSpec& node, const NodeMapping& mapping, boost::json::object params,
                                      const OperationContext& context);
std::unique_ptr<Operation> make_ticket_listing(const NodeSpec& node, const NodeMapping& mapping,
                                               boost::json::object params, const OperationContext& context);

}  // namespace fd::freshdesk
