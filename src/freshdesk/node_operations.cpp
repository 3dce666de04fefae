// The node table: for each node, the Freshdesk request it sends and where its answer goes.
// One walker (TableOperation) serves every node but Get Many Tickets (ticket_listing.cpp).
#include "freshdesk/operation.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/ticket_listing.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <stdexcept>
#include <vector>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

// An input of the node and the Freshdesk field it fills.
struct FieldMapping {
    std::string_view input;
    std::string_view field;
    bool drop_leading_at = false;  // Twitter handles are stored without '@'
};

// How a 2xx answer becomes the outputs.
enum class Output {
    object,          // the answer's object under `output_key`
    deleted,         // Deleted: true
    updated_object,  // Updated: true, and the answer's object under `output_key`
    created_id,      // the new object's id under `output_key`
    page,            // the answer's array under `output_key`, and Pagination
};

struct NodeOperation {
    std::string_view node_id;
    std::string_view method;
    std::string_view path;      // "{id}" stands for the id input
    std::string_view id_input;  // "" when the path has no id
    std::string_view subject;   // "contact", "ticket", "contacts"
    std::vector<FieldMapping> body;
    std::vector<FieldMapping> query;
    std::string_view fixed_body;    // JSON object merged into the body, e.g. the ticket source
    std::string_view merged_input;  // an object input merged into the body; explicit fields win
    Output output;
    std::string_view output_key;
};

const std::vector<FieldMapping> kContactFields = {
    {"Name", "name"},
    {"Email", "email"},
    {"Phone", "phone"},
    {"Address", "address"},
    {"TwitterId", "twitter_id", true},
    {"UniqueExternalId", "unique_external_id"},
};

const std::vector<NodeOperation>& node_operations() {
    static const std::vector<NodeOperation> table = {
        {"freshdesk.contact.create",
         "POST",
         "/contacts",
         "",
         "contact",
         kContactFields,
         {},
         "",
         "",
         Output::object,
         "Contact"},
        // The spec promises a permanent delete: Freshdesk's DELETE is soft, hard_delete is not.
        {"freshdesk.contact.delete",
         "DELETE",
         "/contacts/{id}/hard_delete?force=true",
         "ContactId",
         "contact",
         {},
         {},
         "",
         "",
         Output::deleted,
         "Deleted"},
        {"freshdesk.contact.get",
         "GET",
         "/contacts/{id}",
         "ContactId",
         "contact",
         {},
         {},
         "",
         "",
         Output::object,
         "Contact"},
        {"freshdesk.contact.get_many",
         "GET",
         "/contacts",
         "",
         "contacts",
         {},
         {{"Page", "page"}, {"PerPage", "per_page"}},
         "",
         "",
         Output::page,
         "Results"},
        {"freshdesk.contact.update",
         "PUT",
         "/contacts/{id}",
         "ContactId",
         "contact",
         kContactFields,
         {},
         "",
         "",
         Output::updated_object,
         "Contact"},
        // source 2: the ticket came through the portal, as an API-made ticket does.
        {"freshdesk.ticket.create",
         "POST",
         "/tickets",
         "",
         "ticket",
         {{"Email", "email"},
          {"Subject", "subject"},
          {"Description", "description"},
          {"Priority", "priority"},
          {"Status", "status"}},
         {},
         R"({"source":2})",
         "",
         Output::created_id,
         "TicketId"},
        {"freshdesk.ticket.delete",
         "DELETE",
         "/tickets/{id}",
         "TicketId",
         "ticket",
         {},
         {},
         "",
         "",
         Output::deleted,
         "Deleted"},
        {"freshdesk.ticket.get",
         "GET",
         "/tickets/{id}",
         "TicketId",
         "ticket",
         {},
         {},
         "",
         "",
         Output::object,
         "Ticket"},
        {"freshdesk.ticket.update",
         "PUT",
         "/tickets/{id}",
         "TicketId",
         "ticket",
         {{"Subject", "subject"}, {"Description", "description"}, {"Status", "status"}, {"Priority", "priority"}},
         {},
         "",
         "AdditionalFields",
         Output::object,
         "Ticket"},
    };
    return table;
}

json::value mapped_value(const FieldMapping& mapping, const json::value& value) {
    if (mapping.drop_leading_at && value.is_string() && value.get_string().starts_with("@")) {
        return json::string(value.get_string().subview(1));
    }
    return value;
}

std::string query_value(const json::value& value) {
    return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

class TableOperation final : public Operation {
  public:
    TableOperation(const NodeOperation& spec, json::object params) : spec_(spec), params_(std::move(params)) {}

    HttpRequest first_request() override {
        HttpRequest request;
        request.method = std::string(spec_.method);
        std::string path(spec_.path);
        if (!spec_.id_input.empty()) {
            path.replace(path.find("{id}"), 4, std::to_string(params_.at(spec_.id_input).as_int64()));
        }
        boost::urls::url target(path);
        for (const FieldMapping& mapping : spec_.query) {
            if (const json::value* value = params_.if_contains(mapping.input)) {
                target.params().append({mapping.field, query_value(*value)});
            }
        }
        request.target = std::string(target.buffer());
        if (!spec_.body.empty() || !spec_.fixed_body.empty() || !spec_.merged_input.empty()) {
            request.body = json::serialize(body());
        }
        return request;
    }

    Progress on_success(const HttpResponse& response) override {
        Progress progress;
        json::object& out = progress.outputs;
        switch (spec_.output) {
            case Output::deleted:
                out[spec_.output_key] = true;
                break;
            case Output::object:
                out[spec_.output_key] = read_object(response);
                break;
            case Output::updated_object:
                out[spec_.output_key] = read_object(response);
                out["Updated"] = true;
                break;
            case Output::created_id:
                out[spec_.output_key] = read_id(response);
                break;
            case Output::page: {
                json::array items = read_array(response);
                // The spec's Results promise company_id 0 for a contact without a company;
                // Freshdesk sends null.
                for (json::value& item : items) {
                    json::value* company = item.is_object() ? item.get_object().if_contains("company_id") : nullptr;
                    if (company && company->is_null()) *company = 0;
                }
                const std::int64_t per_page = params_.at("PerPage").as_int64();
                const std::int64_t count = static_cast<std::int64_t>(items.size());
                out[spec_.output_key] = std::move(items);
                // A next link says there is more; a full page says there may be.
                out["Pagination"] = json::object{{"current_page", params_.at("Page").as_int64()},
                                                 {"per_page", per_page},
                                                 {"total_count", count},
                                                 {"has_more", has_next_link(response) || count == per_page}};
                break;
            }
        }
        return progress;
    }

    std::string subject() const override {
        if (spec_.id_input.empty()) return std::string(spec_.subject);
        return std::string(spec_.subject) + " " + std::to_string(params_.at(spec_.id_input).as_int64());
    }

    bool creates() const override { return spec_.method == "POST"; }

  private:
    json::object body() const {
        json::object out;
        if (!spec_.merged_input.empty()) {
            if (const json::value* extra = params_.if_contains(spec_.merged_input)) out = extra->as_object();
        }
        if (!spec_.fixed_body.empty()) {
            const json::value fixed = json::parse(spec_.fixed_body);
            for (const auto& [key, value] : fixed.as_object())
                out[key] = value;
        }
        for (const FieldMapping& mapping : spec_.body) {
            if (const json::value* value = params_.if_contains(mapping.input))
                out[mapping.field] = mapped_value(mapping, *value);
        }
        return out;
    }

    const NodeOperation& spec_;
    json::object params_;
};

// The defaults the node's options schema declares, for options the user left out.
json::object with_defaults(const NodeSpec& node, json::object params) {
    for (const auto& [name, schema] : node.options.at("properties").as_object()) {
        const json::value* fallback = schema.as_object().if_contains("default");
        if (fallback && !params.contains(name)) params[name] = *fallback;
    }
    return params;
}

}  // namespace

std::unique_ptr<Operation> make_operation(const NodeSpec& node, const json::object& params) {
    json::object complete = with_defaults(node, params);
    if (node.id == "freshdesk.ticket.get_many") return make_ticket_listing(std::move(complete));
    for (const NodeOperation& spec : node_operations()) {
        if (spec.node_id == node.id) return std::make_unique<TableOperation>(spec, std::move(complete));
    }
    throw std::logic_error("no Freshdesk operation for node " + node.id);
}

}  // namespace fd::freshdesk
