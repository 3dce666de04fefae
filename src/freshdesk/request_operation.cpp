// The "request" strategy: one record's request map becomes the request, its answer map turns
// the 2xx answer into outputs. A list answer reads one page, or with ReturnAll every page up to
// MaxItems, following Freshdesk's Link header. With the record's check switched on
// (ValidateCustomFields), the account's field definitions are read first (or remembered) and
// custom field values checked against them before anything is sent.
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/field_definitions.hpp"
#include "freshdesk/list_paging.hpp"
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

// Get Many Contacts documents company_id 0 for a contact without a company; Freshdesk sends
// null. Field lists come back as summaries with choices as value and label pairs.
void apply_item_transforms(const AnswerMap& answer, json::array& items) {
    for (const std::string& transform : answer.item_transforms) {
        for (json::value& item : items) {
            if (!item.is_object()) continue;
            if (transform == "field_summary") item = field_summary(item.get_object());
            json::value* company = item.get_object().if_contains("company_id");
            if (transform == "null_company_id_to_zero" && company && company->is_null()) *company = 0;
        }
    }
}

std::int64_t header_number(const HttpResponse& response, std::string_view name) {
    const std::string_view text = response.header(name);
    std::int64_t number = 0;
    std::from_chars(text.data(), text.data() + text.size(), number);
    return number;
}

// GET /agents/me: the agent in Freshdesk's shape (its name and email inside "contact").
json::object connection_outputs(const HttpResponse& response, const std::string& output) {
    const json::object me = read_object(response);
    const json::value* contact = me.if_contains("contact");
    const json::object person = contact && contact->is_object() ? contact->get_object() : json::object();
    json::object agent{{"id", me.contains("id") ? me.at("id") : json::value(0)},
                       {"name", person.contains("name") ? person.at("name") : json::value("")},
                       {"email", person.contains("email") ? person.at("email") : json::value("")}};
    return json::object{{output, true},
                        {"Agent", std::move(agent)},
                        {"RateLimitTotal", header_number(response, "X-RateLimit-Total")},
                        {"RateLimitRemaining", header_number(response, "X-RateLimit-Remaining")}};
}

class RequestOperation final : public Operation {
  public:
    RequestOperation(const NodeSpec& node, const NodeMapping& mapping, json::object params, OperationContext context)
        : mapping_(mapping),
          params_(std::move(params)),
          context_(std::move(context)),
          pages_(params_),
          subject_(subject_of(node)) {}

    HttpRequest first_request() override {
        HttpRequest request = build_request(mapping_.request, params_);
        if (mapping_.answer.kind == AnswerKind::list) request.target = pages_.target_for_next_page(request.target);
        return request;
    }

    Step first_step() override {
        if (!checking()) return Operation::first_step();
        if (context_.fields) {
            if (std::optional<json::array> fields =
                    context_.fields->get(context_.account, mapping_.request.check_fields)) {
                return checked(*fields);
            }
        }
        fetching_fields_ = true;
        return Step::send(HttpRequest{"GET", "/" + mapping_.request.check_fields, "", ""});
    }

    Step on_success(const HttpResponse& response) override {
        if (fetching_fields_) return on_fields(response);
        if (confirming_) return confirmed_deleted(response);
        Step step(context_.storage);
        json::object& out = step.outputs;
        const AnswerMap& answer = mapping_.answer;
        switch (answer.kind) {
            case AnswerKind::deleted:
                out[answer.output] = true;
                break;
            case AnswerKind::object:
                check_object(response);
                step.verbatim_output = answer.output;
                break;
            case AnswerKind::updated_object:
                check_object(response);
                step.verbatim_output = answer.output;
                out["Updated"] = true;
                break;
            case AnswerKind::created_id:
                out = created_outputs(response, step);
                break;
            case AnswerKind::array: {
                json::array items = read_array(response, context_.storage);
                apply_item_transforms(answer, items);
                out[answer.output] = std::move(items);
                break;
            }
            case AnswerKind::connection_check:
                out = connection_outputs(response, answer.output);
                break;
            case AnswerKind::list:
                return on_page(response);
        }
        return step;
    }

    // A delete answered 405: Freshdesk refuses to delete a record that is already deleted (or
    // is spam). Reading it tells which.
    std::optional<Step> on_refusal(const HttpResponse& response) override {
        if (mapping_.answer.kind != AnswerKind::deleted || response.status != 405 ||
            mapping_.answer.confirm_path.empty() || confirming_) {
            return std::nullopt;
        }
        confirming_ = true;
        refusal_ = response;
        RequestMap read = mapping_.request;
        read.method = "GET";
        read.path = mapping_.answer.confirm_path;
        read.query_fixed = {};
        return Step::send(build_request(read, params_));
    }

    json::object refusal_outputs(const HttpResponse& response) const override {
        json::object out;
        if (response.status == 409 && !mapping_.answer.duplicate_output.empty()) {
            const std::optional<Duplicate> duplicate = read_duplicate(response.body);
            out[mapping_.answer.duplicate_output] = duplicate ? duplicate->contact_id : 0;
        }
        return out;
    }

    std::string subject() const override { return fetching_fields_ ? "account's fields" : subject_; }

    std::optional<ItemCount> items_read() const override {
        if (mapping_.answer.kind != AnswerKind::list) return std::nullopt;
        return ItemCount{pages_.items().size(), -1};
    }

  private:
    // Whether the record's check is on, and there is something for it to check.
    bool checking() const {
        const RequestMap& request = mapping_.request;
        return !request.check_option.empty() && bool_param(params_, request.check_option) &&
               (params_.contains(request.custom_fields) || params_.contains("Type"));
    }

    Step checked(const json::array& fields) {
        const json::value* custom = params_.if_contains(mapping_.request.custom_fields);
        const std::string problem = check_custom_fields(
            fields, custom && custom->is_object() ? &custom->get_object() : nullptr,
            mapping_.request.check_fields == "ticket_fields" ? params_.if_contains("Type") : nullptr);
        if (!problem.empty()) return Step::refuse(problem);
        return Step::send(first_request());
    }

    Step on_fields(const HttpResponse& response) {
        fetching_fields_ = false;
        json::array fields = read_array(response);
        for (json::value& field : fields) {
            if (field.is_object()) field = field_summary(field.get_object());
        }
        if (context_.fields) context_.fields->put(context_.account, mapping_.request.check_fields, fields);
        return checked(fields);
    }

    // The id as a number; the record itself, if the node outputs it, as Freshdesk wrote it.
    json::object created_outputs(const HttpResponse& response, Step& step) const {
        json::object out{{mapping_.answer.output, read_id(response)}};
        step.verbatim_output = mapping_.answer.object_output;
        return out;
    }

    Step on_page(const HttpResponse& response) {
        json::array items = read_array(response);
        apply_item_transforms(mapping_.answer, items);
        const bool next = has_next_link(response);
        Step step;
        if (pages_.add_page(std::move(items), next)) {
            HttpRequest request = build_request(mapping_.request, params_);
            request.target = pages_.target_for_next_page(request.target);
            step.next = std::move(request);
            return step;
        }
        step.outputs["Pagination"] = pages_.pagination();
        step.outputs[mapping_.answer.output] = pages_.take_items();
        return step;
    }

    Step confirmed_deleted(const HttpResponse& response) {
        const json::object record = read_object(response);
        const json::value* deleted = record.if_contains("deleted");
        Step step;
        step.original_status = refusal_.status;  // the delete's own answer
        if (deleted && deleted->is_bool() && deleted->get_bool()) {
            step.outputs[mapping_.answer.output] = true;
            step.outputs["AlreadyDeleted"] = true;
            return step;
        }
        step.outputs[mapping_.answer.output] = false;
        step.business_error = "Freshdesk refused to delete the " + subject() +
                              " (HTTP 405): it is not deleted, so it may be marked as spam." +
                              freshdesk_said(refusal_.body);
        return step;
    }

    // "ticket 6" for a record named by its id, "tickets" for a list, "ticket" otherwise.
    std::string subject_of(const NodeSpec& node) const {
        std::string noun = node.resource;
        for (char& c : noun)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::vector<std::string>& ids = mapping_.request.path_inputs;
        if (!ids.empty()) {
            const json::value& id = params_.at(ids.back());
            return noun + " " + (id.is_string() ? std::string(id.get_string()) : json::serialize(id));
        }
        return mapping_.answer.kind == AnswerKind::list ? noun + "s" : noun;
    }

    const NodeMapping& mapping_;
    json::object params_;
    OperationContext context_;
    ListPaging pages_;
    std::string subject_;
    bool fetching_fields_ = false;
    bool confirming_ = false;
    HttpResponse refusal_;
};

}  // namespace

std::unique_ptr<Operation> make_request_operation(const NodeSpec& node, const NodeMapping& mapping, json::object params,
                                                  const OperationContext& context) {
    return std::make_unique<RequestOperation>(node, mapping, std::move(params), context);
}

}  // namespace fd::freshdesk
