// The "request" strategy: one record's request map becomes the request, its answer map turns
// the 2xx answer into outputs. A list answer reads one page, or with ReturnAll every page up to
// MaxItems, following Freshdesk's Link header.
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/list_paging.hpp"
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

// Get Many Contacts documents company_id 0 for a contact without a company; Freshdesk
// sends null.
void apply_item_transforms(const AnswerMap& answer, json::array& items) {
    for (const std::string& transform : answer.item_transforms) {
        if (transform != "null_company_id_to_zero") continue;
        for (json::value& item : items) {
            json::value* company = item.is_object() ? item.get_object().if_contains("company_id") : nullptr;
            if (company && company->is_null()) *company = 0;
        }
    }
}

class RequestOperation final : public Operation {
  public:
    RequestOperation(const NodeSpec& node, const NodeMapping& mapping, json::object params)
        : mapping_(mapping), params_(std::move(params)), pages_(params_), subject_(subject_of(node)) {}

    HttpRequest first_request() override {
        HttpRequest request = build_request(mapping_.request, params_);
        if (mapping_.answer.kind == AnswerKind::list) request.target = pages_.target_for_next_page(request.target);
        return request;
    }

    Step on_success(const HttpResponse& response) override {
        if (confirming_) return confirmed_deleted(response);
        Step step;
        json::object& out = step.outputs;
        const AnswerMap& answer = mapping_.answer;
        switch (answer.kind) {
            case AnswerKind::deleted:
                out[answer.output] = true;
                break;
            case AnswerKind::object:
                out[answer.output] = read_object(response);
                break;
            case AnswerKind::updated_object:
                out[answer.output] = read_object(response);
                out["Updated"] = true;
                break;
            case AnswerKind::created_id: {
                json::object created = read_object(response);
                const json::value* id = created.if_contains("id");
                if (!id || !id->is_int64()) throw MalformedAnswer("it carries no numeric id");
                out[answer.output] = id->get_int64();
                if (!answer.object_output.empty()) out[answer.object_output] = std::move(created);
                break;
            }
            case AnswerKind::list:
                return on_page(response);
        }
        return step;
    }

    // A delete answered 405: Freshdesk refuses to delete a record that is already deleted (or
    // is spam). Reading it tells which.
    std::optional<Step> on_refusal(const HttpResponse& response) override {
        if (mapping_.answer.kind != AnswerKind::deleted || response.status != 405 || mapping_.answer.confirm_path.empty() ||
            confirming_) {
            return std::nullopt;
        }
        confirming_ = true;
        refusal_ = response;
        RequestMap read = mapping_.request;
        read.method = "GET";
        read.path = mapping_.answer.confirm_path;
        read.query_fixed = {};
        Step step;
        step.next = build_request(read, params_);
        return step;
    }

    json::object refusal_outputs(const HttpResponse& response) const override {
        json::object out;
        if (response.status == 409 && !mapping_.answer.duplicate_output.empty()) {
            const std::optional<Duplicate> duplicate = read_duplicate(response.body);
            out[mapping_.answer.duplicate_output] = duplicate ? duplicate->contact_id : 0;
        }
        return out;
    }

    std::string subject() const override { return subject_; }

    std::optional<ItemCount> items_read() const override {
        if (mapping_.answer.kind != AnswerKind::list) return std::nullopt;
        return ItemCount{pages_.items().size(), -1};
    }

  private:
    Step on_page(const HttpResponse& response) {
        json::array items = read_array(response);
        apply_item_transforms(mapping_.answer, items);
        const bool next = has_next_link(response);
        if (pages_.add_page(std::move(items), next)) {
            Step step;
            HttpRequest request = build_request(mapping_.request, params_);
            request.target = pages_.target_for_next_page(request.target);
            step.next = std::move(request);
            return step;
        }
        Step step;
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
                              " (HTTP 405): it is not deleted, so it may be marked as spam. Freshdesk said: " +
                              describe_error_body(refusal_.body) + ".";
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
    ListPaging pages_;
    std::string subject_;
    bool confirming_ = false;
    HttpResponse refusal_;
};

}  // namespace

std::unique_ptr<Operation> make_request_operation(const NodeSpec& node, const NodeMapping& mapping,
                                                  json::object params) {
    return std::make_unique<RequestOperation>(node, mapping, std::move(params));
}

}  // namespace fd::freshdesk
