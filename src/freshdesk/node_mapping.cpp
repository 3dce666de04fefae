#include "freshdesk/node_mapping.hpp"

#include "freshdesk/strategies.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace fd::freshdesk {
namespace json = boost::json;

namespace {

[[noreturn]] void fail(const NodeSpec& node, const std::string& what) {
    throw std::runtime_error(node.source + ": " + what);
}

std::string text_at(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    return value && value->is_string() ? std::string(value->get_string()) : "";
}

// {"field": "Input"} or {"field": {"from": "Input", "transform": "strip_at"}}, in order.
std::vector<FieldMap> field_maps(const NodeSpec& node, const json::object& map, std::string_view key) {
    std::vector<FieldMap> out;
    const json::value* fields = map.if_contains(key);
    if (!fields) return out;
    if (!fields->is_object()) fail(node, "\"" + std::string(key) + "\" must map Freshdesk fields to inputs");
    for (const auto& [field, from] : fields->get_object()) {
        FieldMap entry{std::string(field), "", ""};
        if (from.is_string()) {
            entry.input = std::string(from.get_string());
        } else if (from.is_object()) {
            entry.input = text_at(from.get_object(), "from");
            entry.transform = text_at(from.get_object(), "transform");
        }
        if (entry.input.empty()) fail(node, "the field " + entry.field + " names no input");
        if (!entry.transform.empty() && entry.transform != "strip_at")
            fail(node, "unknown transform " + entry.transform);
        out.push_back(std::move(entry));
    }
    return out;
}

json::object object_or_empty(const json::object& map, std::string_view key) {
    const json::value* value = map.if_contains(key);
    return value && value->is_object() ? value->get_object() : json::object();
}

RequestMap read_request(const NodeSpec& node, const json::object& map) {
    RequestMap request;
    request.method = text_at(map, "method");
    if (request.method != "GET" && request.method != "POST" && request.method != "PUT" && request.method != "DELETE") {
        fail(node, "request.method must be GET, POST, PUT or DELETE");
    }
    request.path = text_at(map, "path");
    if (!request.path.starts_with("/")) fail(node, "request.path must start with /");
    for (std::size_t open = request.path.find('{'); open != std::string::npos;
         open = request.path.find('{', open + 1)) {
        const std::size_t close = request.path.find('}', open);
        if (close == std::string::npos) fail(node, "request.path has an unclosed {");
        request.path_inputs.push_back(request.path.substr(open + 1, close - open - 1));
    }
    request.query = field_maps(node, map, "query");
    request.query_fixed = object_or_empty(map, "query_fixed");
    request.body = field_maps(node, map, "body");
    request.body_fixed = object_or_empty(map, "body_fixed");
    request.body_merge = text_at(map, "body_merge");
    request.custom_fields = text_at(map, "custom_fields");
    request.attachments = text_at(map, "attachments");
    if (const json::value* checks = map.if_contains("checks")) {
        for (const auto& [option, fields] : checks->as_object()) {
            request.check_option = std::string(option);
            request.check_fields = fields.is_string() ? std::string(fields.get_string()) : "";
        }
        if (request.check_fields != "ticket_fields" && request.check_fields != "contact_fields") {
            fail(node, "request.checks must name ticket_fields or contact_fields");
        }
    }
    return request;
}

AnswerMap read_answer(const NodeSpec& node, const json::object& map) {
    static const std::pair<std::string_view, AnswerKind> kKinds[] = {
        {"object", AnswerKind::object},
        {"updated_object", AnswerKind::updated_object},
        {"created_id", AnswerKind::created_id},
        {"deleted", AnswerKind::deleted},
        {"list", AnswerKind::list},
        {"array", AnswerKind::array},
        {"connection_check", AnswerKind::connection_check}};
    AnswerMap answer;
    const std::string kind = text_at(map, "kind");
    const auto found =
        std::find_if(std::begin(kKinds), std::end(kKinds), [&](const auto& k) { return k.first == kind; });
    if (found == std::end(kKinds)) fail(node, "unknown answer kind \"" + kind + "\"");
    answer.kind = found->second;
    answer.output = text_at(map, "output");
    answer.confirm_path = text_at(map, "confirm_path");
    answer.object_output = text_at(map, "object_output");
    answer.duplicate_output = text_at(map, "duplicate_output");
    if (const json::value* transforms = map.if_contains("item_transforms")) {
        for (const json::value& name : transforms->as_array()) {
            if (name != "null_company_id_to_zero" && name != "field_summary") {
                fail(node, "unknown item transform " + json::serialize(name));
            }
            answer.item_transforms.emplace_back(name.as_string());
        }
    }
    return answer;
}

SearchMap read_search(const NodeSpec& node, const json::object& map) {
    SearchMap search;
    search.path = text_at(map, "path");
    if (!search.path.starts_with("/search/")) fail(node, "search.path must be a /search/ path");
    search.custom_fields = text_at(map, "custom_fields");
    search.raw_query = text_at(map, "raw_query");
    if (const json::value* terms = map.if_contains("terms")) {
        for (const auto& [input, term] : terms->as_object()) {
            SearchTerm entry{std::string(input), text_at(term.as_object(), "field"), text_at(term.as_object(), "kind")};
            static const std::set<std::string> kKinds = {"number", "boolean", "text", "after", "before"};
            if (entry.field.empty() || !kKinds.contains(entry.kind))
                fail(node, "search term " + entry.input + " needs a field and a known kind");
            search.terms.push_back(std::move(entry));
        }
    }
    return search;
}

// The inputs and options the mapping reads.
std::set<std::string> fields_read(const NodeMapping& mapping, const Strategy& strategy) {
    std::set<std::string> read(mapping.request.path_inputs.begin(), mapping.request.path_inputs.end());
    for (const auto* maps : {&mapping.request.query, &mapping.request.body}) {
        for (const FieldMap& map : *maps)
            read.insert(map.input);
    }
    for (const std::string* name : {&mapping.request.body_merge, &mapping.request.custom_fields,
                                    &mapping.request.attachments, &mapping.request.check_option}) {
        if (!name->empty()) read.insert(*name);
    }
    for (const SearchTerm& term : mapping.search.terms)
        read.insert(term.input);
    for (const MatchKey& key : mapping.match)
        read.insert(key.input);
    for (const std::string* name : {&mapping.search.custom_fields, &mapping.search.raw_query}) {
        if (!name->empty()) read.insert(*name);
    }
    for (std::string_view name : strategy.reads)
        read.emplace(name);
    return read;
}

void check_fields(const NodeSpec& node, const NodeMapping& mapping, const Strategy& strategy) {
    std::set<std::string> fields(node.field_order.begin(), node.field_order.end());
    const std::set<std::string> read = fields_read(mapping, strategy);
    for (const std::string& name : node.field_order) {
        if (!read.contains(name)) fail(node, "the field " + name + " is never sent to Freshdesk");
    }
    for (const std::string& name : read) {
        const bool own = std::find(strategy.reads.begin(), strategy.reads.end(), name) != strategy.reads.end();
        if (!own && !fields.contains(name))
            fail(node, "the mapping names " + name + ", which is not an input or option");
    }
}

void check_outputs(const NodeSpec& node, const NodeMapping& mapping, const Strategy& strategy) {
    std::set<std::string> made = {"OriginalStatusCode", "StatusCode", "ErrorMessage"};
    for (const std::string* name :
         {&mapping.answer.output, &mapping.answer.object_output, &mapping.answer.duplicate_output}) {
        if (!name->empty()) made.insert(*name);
    }
    // What each answer kind fills besides its output.
    if (mapping.answer.kind == AnswerKind::list) made.insert("Pagination");
    if (mapping.answer.kind == AnswerKind::updated_object) made.insert("Updated");
    if (mapping.answer.kind == AnswerKind::deleted) made.insert("AlreadyDeleted");
    if (mapping.answer.kind == AnswerKind::connection_check) {
        for (const char* name : {"Agent", "RateLimitTotal", "RateLimitRemaining"})
            made.insert(name);
    }
    for (std::string_view name : strategy.makes)
        made.emplace(name);
    const json::object& outputs = node.outputs.at("properties").as_object();
    for (const auto& [name, schema] : outputs) {
        if (!made.contains(std::string(name))) fail(node, "nothing fills the output " + std::string(name));
    }
    if (mapping.strategy == "request" && !outputs.contains(mapping.answer.output)) {
        fail(node, "answer.output " + mapping.answer.output + " is not an output");
    }
}

NodeMapping read_mapping(const NodeSpec& node) {
    NodeMapping mapping;
    mapping.strategy = text_at(node.mapping, "strategy");
    if (mapping.strategy.empty()) mapping.strategy = "request";
    const Strategy* strategy = find_strategy(mapping.strategy);
    if (!strategy) fail(node, "unknown strategy \"" + mapping.strategy + "\"");
    const json::value* request = node.mapping.if_contains("request");
    const json::value* answer = node.mapping.if_contains("answer");
    if (mapping.strategy == "request" && (!request || !answer)) fail(node, "a request node needs request and answer");
    if (request) mapping.request = read_request(node, request->as_object());
    if (answer) mapping.answer = read_answer(node, answer->as_object());
    if (const json::value* search = node.mapping.if_contains("search"))
        mapping.search = read_search(node, search->as_object());
    if (mapping.strategy == "search" && mapping.search.path.empty()) fail(node, "a search node needs a search map");
    if (const json::value* match = node.mapping.if_contains("match")) {
        for (const auto& [input, filter] : match->as_object())
            mapping.match.push_back({std::string(input), filter.is_string() ? std::string(filter.get_string()) : ""});
    }
    if (const json::value* watch = node.mapping.if_contains("watch")) {
        const json::object& map = watch->as_object();
        mapping.watch = WatchMap{text_at(map, "path"), text_at(map, "since_param"),
                                 map.contains("ordered") && map.at("ordered").is_bool() && map.at("ordered").get_bool(),
                                 object_or_empty(map, "query_fixed"), text_at(map, "noun")};
    }
    if (mapping.strategy == "watch" && (mapping.watch.path.empty() || mapping.watch.since_param.empty())) {
        fail(node, "a watch node needs watch.path and watch.since_param");
    }
    if (mapping.strategy == "upsert" && (mapping.match.empty() || mapping.request.path.empty())) {
        fail(node, "a find-or-create node needs match keys and a request");
    }
    check_fields(node, mapping, *strategy);
    check_outputs(node, mapping, *strategy);
    return mapping;
}

}  // namespace

NodeMappings::NodeMappings(const NodeCatalog& catalog) {
    for (const NodeSpec& node : catalog.nodes())
        by_id_.emplace(node.id, read_mapping(node));
}

}  // namespace fd::freshdesk
