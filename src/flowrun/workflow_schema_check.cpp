// The workflow JSON Schema, checked with valijson, and its verdicts said in people's words:
// valijson's own texts ("Value type not permitted by 'type' constraint.") name no field, and
// it repeats each failure once per enclosing schema.
#include "flowrun/workflow_check.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <memory>

namespace flowrun {
namespace json = boost::json;

namespace {

const json::value& schema_document() {
    static const json::value schema = json::parse(workflow_schema_text());
    return schema;
}

const valijson::Schema& compiled_schema() {
    static const std::unique_ptr<valijson::Schema> compiled = [] {
        auto schema = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::BoostJsonAdapter adapter(schema_document());
        parser.populateSchema(adapter, *schema);
        return schema;
    }();
    return *compiled;
}

// The schema of one kind of node ("start", "answer", "step"), by the node's type.
const json::object& node_schema(const json::value& node) {
    const json::value* type = node.is_object() ? node.get_object().if_contains("type") : nullptr;
    const bool start_or_answer = type && (*type == "start" || *type == "answer");
    const std::string_view kind = start_or_answer ? std::string_view(type->get_string()) : std::string_view("step");
    return schema_document().at("definitions").at(kind).as_object();
}

// Where an error is: the node (when inside "nodes") and the schema of the object it is in.
struct Place {
    Problem problem;
    const json::object* object_schema = nullptr;
};

Place place_of(const std::vector<std::string>& context, const json::value& document) {
    // valijson's context: "<root>", then "[key]" or "[index]" per level.
    std::vector<std::string> parts;
    for (std::size_t i = 1; i < context.size(); ++i)
        parts.push_back(context[i].substr(1, context[i].size() - 2));
    Place place;
    place.object_schema = &schema_document().as_object();
    if (parts.size() < 2 || parts[0] != "nodes") {
        if (!parts.empty()) place.problem.field = parts[0];
        return place;
    }
    const std::size_t index = std::stoul(parts[1]);
    const json::value& node = document.at("nodes").at(index);
    const json::value* id = node.is_object() ? node.get_object().if_contains("id") : nullptr;
    place.problem.step = id && id->is_string() ? std::string(id->get_string()) : "#" + std::to_string(index + 1);
    place.object_schema = &node_schema(node);
    for (std::size_t i = 2; i < parts.size(); ++i)
        place.problem.field += (i > 2 ? "." : "") + parts[i];
    return place;
}

// The last 'quoted' name in one of valijson's texts ("... constraints: 'if'.").
std::string last_quoted(const std::string& text) {
    const std::size_t last = text.rfind('\'');
    const std::size_t first = last == std::string::npos || last == 0 ? std::string::npos : text.rfind('\'', last - 1);
    return first == std::string::npos ? "" : text.substr(first + 1, last - first - 1);
}

std::string known_keys(const json::object& schema) {
    std::string keys;
    for (const auto& [key, value] : schema.at("properties").as_object())
        keys += (keys.empty() ? "" : ", ") + std::string(key);
    return keys;
}

// A field's schema inside an object's schema, its $ref followed; nullptr when not declared.
const json::object* field_schema(const json::object& schema, const std::string& field) {
    const json::value* properties = schema.if_contains("properties");
    const json::value* entry = properties ? properties->get_object().if_contains(field) : nullptr;
    if (!entry || !entry->is_object()) return nullptr;
    if (const json::value* ref = entry->get_object().if_contains("$ref")) {
        const std::string_view target = ref->get_string();
        return &schema_document().at("definitions").at(target.substr(target.rfind('/') + 1)).as_object();
    }
    return &entry->get_object();
}

// What the field must be, said from its schema: "must be an object", "must be one of ...".
std::string requirement(const json::object* schema, const std::string& valijson_text) {
    if (!schema) return "is not valid";
    if (const json::value* choices = schema->if_contains("enum")) {
        std::string text = "must be one of ";
        for (const json::value& choice : choices->get_array())
            text += (text.ends_with(" ") ? "" : ", ") + json::serialize(choice);
        return text;
    }
    const json::value* type = schema->if_contains("type");
    if (type && valijson_text.starts_with("Value type not permitted")) {
        return std::string("must be ") + (*type == "object" ? "an " : "a ") + std::string(type->get_string());
    }
    const json::value* description = schema->if_contains("description");
    return "is not valid" + (description ? " (" + std::string(description->get_string()) + ")" : std::string());
}

// valijson's texts that only repeat, for an enclosing schema, a failure already reported.
bool repeats_a_failure(const std::string& description) {
    return description.starts_with("Failed to validate");
}

Problem problem_for(const valijson::ValidationResults::Error& error, const json::value& document) {
    Place place = place_of(error.context, document);
    Problem& problem = place.problem;
    const std::string& text = error.description;
    const std::string top = problem.field.substr(0, problem.field.find('.'));
    if (text.starts_with("Missing required property")) {
        problem.field = last_quoted(text);
        problem.message = "is missing";
    } else if (text.starts_with("Object contains a property that could not be validated")) {
        problem.field = last_quoted(text);
        problem.message = "is not a key here (known: " + known_keys(*place.object_schema) + ")";
    } else if (text.starts_with("Target should not validate against schema specified in 'not'")) {
        problem.field = "inputs";
        problem.message = "give \"input\" or its old spelling \"inputs\", not both";
    } else if (problem.field.empty() && problem.step.empty()) {
        problem.message = "a workflow is a JSON object with a \"nodes\" list";
    } else if (problem.field == "nodes" && text.starts_with("Array should contain no fewer")) {
        problem.message = "must list the Start node, the steps and the Answer node";
    } else if (problem.field.starts_with("expect") && text.starts_with("Failed to match regex")) {
        problem.message = "is not an output path such as \"Ticket.status\"";
    } else {
        problem.message = requirement(field_schema(*place.object_schema, top), text);
    }
    return problem;
}

}  // namespace

std::vector<Problem> schema_problems(const json::value& document) {
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    valijson::adapters::BoostJsonAdapter adapter(document);
    std::vector<Problem> problems;
    if (validator.validate(compiled_schema(), adapter, &results)) return problems;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        if (!repeats_a_failure(error.description)) problems.push_back(problem_for(error, document));
    }
    return problems;
}

}  // namespace flowrun
