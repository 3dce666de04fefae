#include "common/descriptor_json.hpp"

#include "wfp_host.hpp"

#include <boost/json/parse.hpp>

namespace fd {
namespace {
namespace json = boost::json;

json::value parsed_or_null(wfp_str text) {
    boost::system::error_code error;
    json::value value = json::parse(wfp::view(text), error);
    return error ? json::value(nullptr) : value;
}

}  // namespace

json::object descriptor_json(const wfp_node_descriptor& d) {
    json::array flags;
    for (std::string_view flag : wfp::flag_names(d.flags))
        flags.emplace_back(flag);
    return json::object{
        {"id", wfp::view(d.id)},
        {"version", d.version},
        {"display_name", wfp::view(d.display_name)},
        {"subtitle", wfp::view(wfp::descriptor_field(d, &wfp_node_descriptor::subtitle))},
        {"description", wfp::view(d.description)},
        {"resource", wfp::view(d.resource)},
        {"operation", wfp::view(d.operation)},
        {"category", wfp::view(wfp::descriptor_field(d, &wfp_node_descriptor::category))},
        {"icon", wfp::view(wfp::descriptor_field(d, &wfp_node_descriptor::icon))},
        {"credential_type", wfp::view(d.credential_type)},
        {"credential_test_node", wfp::view(wfp::descriptor_field(d, &wfp_node_descriptor::credential_test_node))},
        {"flags", std::move(flags)},
        {"field_order", parsed_or_null(wfp::descriptor_field(d, &wfp_node_descriptor::field_order_json))},
        {"option_sources", parsed_or_null(wfp::descriptor_field(d, &wfp_node_descriptor::option_sources_json))},
        {"rules", parsed_or_null(wfp::descriptor_field(d, &wfp_node_descriptor::rules_json))},
    };
}

}  // namespace fd
