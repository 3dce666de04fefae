// The "upsert" strategy: Find or Create a Contact. The match keys are tried in order, each with
// the contact list's exact filter (GET /contacts?email=...), which has none of search's lag. A
// contact found is read whole and left alone when every given field already holds (so a second
// run answers "unchanged"), else updated with the given fields. Nobody found: created. A create
// that loses a race (409, naming the contact that won) reads that contact and updates it.
#include "freshdesk/request_building.hpp"
#include "freshdesk/response_reading.hpp"
#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>

namespace fd::freshdesk {
namespace json = boost::json;
using transport::HttpRequest;
using transport::HttpResponse;

namespace {

std::string lowered(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Whether the stored value already is what the node would send: emails ignore case (Freshdesk
// stores them lower-cased), tags ignore order, custom fields compare only the keys given.
bool holds(std::string_view field, const json::value& stored, const json::value& wanted) {
    if (field == "email" && stored.is_string() && wanted.is_string()) {
        return lowered(stored.get_string()) == lowered(wanted.get_string());
    }
    if (field == "tags" && stored.is_array() && wanted.is_array()) {
        std::vector<std::string> a, b;
        for (const json::value& tag : stored.get_array())
            a.push_back(json::serialize(tag));
        for (const json::value& tag : wanted.get_array())
            b.push_back(json::serialize(tag));
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        return a == b;
    }
    if (field == "custom_fields" && stored.is_object() && wanted.is_object()) {
        for (const auto& [key, value] : wanted.get_object()) {
            const json::value* current = stored.get_object().if_contains(key);
            if (!current || *current != value) return false;
        }
        return true;
    }
    return stored == wanted;
}

class UpsertOperation final : public Operation {
  public:
    UpsertOperation(const NodeMapping& mapping, json::object params) : mapping_(mapping), params_(std::move(params)) {
        for (const MatchKey& key : mapping_.match) {
            if (params_.contains(key.input)) keys_.push_back(&key);
        }
    }

    HttpRequest first_request() override { return lookup(0); }

    Step on_success(const HttpResponse& response) override {
        switch (stage_) {
            case Stage::lookup:
                return on_lookup(read_array(response));
            case Stage::read:
                return on_read(read_object(response));
            case Stage::create:
                return done(read_object(response), "created");
            case Stage::update:
                return done(read_object(response), "updated");
        }
        return {};
    }

    // A create that lost a race: the contact that won is read and updated instead.
    std::optional<Step> on_refusal(const HttpResponse& response) override {
        if (stage_ != Stage::create || response.status != 409) return std::nullopt;
        const std::optional<Duplicate> duplicate = read_duplicate(response.body);
        if (!duplicate) return std::nullopt;
        return next(read_request(duplicate->contact_id));
    }

    std::string subject() const override { return "contact"; }

  private:
    enum class Stage { lookup, read, create, update };

    static Step next(HttpRequest request) { return Step::send(std::move(request)); }

    HttpRequest lookup(std::size_t index) {
        stage_ = Stage::lookup;
        tried_ = index;
        const MatchKey& key = *keys_[index];
        const json::value& value = params_.at(key.input);
        boost::urls::url target("/contacts");
        append_param(target, key.filter, value.is_string() ? std::string(value.get_string()) : json::serialize(value));
        return {"GET", std::string(target.buffer()), "", ""};
    }

    HttpRequest read_request(std::int64_t id) {
        stage_ = Stage::read;
        return {"GET", "/contacts/" + std::to_string(id), "", ""};
    }

    Step on_lookup(const json::array& found) {
        if (!found.empty() && found[0].is_object()) {
            const json::value* id = found[0].get_object().if_contains("id");
            if (id && id->is_int64()) return next(read_request(id->get_int64()));
        }
        if (tried_ + 1 < keys_.size()) return next(lookup(tried_ + 1));
        stage_ = Stage::create;
        return next(build_request(mapping_.request, params_));
    }

    // The contact found, whole: unchanged when every given field already holds, else updated.
    Step on_read(json::object contact) {
        json::object body = build_body(mapping_.request, params_);
        body.erase("name");  // Name is for creating; a found contact keeps its own
        json::object changes;
        for (const auto& [field, wanted] : body) {
            const json::value* stored = contact.if_contains(field);
            if (!stored || !holds(field, *stored, wanted)) changes[field] = wanted;
        }
        if (changes.empty()) return done(std::move(contact), "unchanged");
        stage_ = Stage::update;
        return next(HttpRequest{"PUT", "/contacts/" + json::serialize(contact.at("id")), json::serialize(changes), ""});
    }

    Step done(json::object contact, std::string action) {
        Step step;
        step.outputs["ContactId"] = contact.contains("id") ? contact.at("id") : json::value(0);
        step.outputs["Contact"] = std::move(contact);
        step.outputs["Action"] = std::move(action);
        return step;
    }

    const NodeMapping& mapping_;
    json::object params_;
    std::vector<const MatchKey*> keys_;  // the match keys given, in the record's order
    std::size_t tried_ = 0;
    Stage stage_ = Stage::lookup;
};

}  // namespace

std::unique_ptr<Operation> make_upsert(const NodeSpec&, const NodeMapping& mapping, json::object params,
                                       const OperationContext&) {
    return std::make_unique<UpsertOperation>(mapping, std::move(params));
}

}  // namespace fd::freshdesk
