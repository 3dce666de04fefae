#include "core/node_catalog.hpp"

#include "core/envelope.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace fd {
namespace json = boost::json;

namespace {

constexpr std::string_view kDraft07 = "http://json-schema.org/draft-07/schema#";
constexpr std::string_view kCommonFile = "nodes/common.schema.json";
constexpr std::string_view kCredentialsFile = "nodes/credentials.schema.json";
constexpr std::string_view kPluginFile = "nodes/plugin.json";
constexpr std::string_view kCommonRefPrefix = "common.schema.json#/definitions/";
constexpr std::string_view kEnvelopeKeys[] = {"OriginalStatusCode", "StatusCode", "ErrorMessage"};
constexpr std::string_view kRuleKinds[] = {"at_least_one",           "together", "ordered", "not_with",
                                           "max_total_base64_bytes", "base64",   "cursor"};

[[noreturn]] void fail(std::string_view file, std::string_view what) {
    throw std::runtime_error(std::string(file) + ": " + std::string(what));
}

std::string string_at(const json::object& object, std::string_view key, std::string_view file, bool required = true) {
    const json::value* value = object.if_contains(key);
    if (!value && !required) return "";
    if (!value || !value->is_string()) fail(file, "missing string \"" + std::string(key) + "\"");
    return std::string(value->get_string());
}

const json::object& object_at(const json::object& object, std::string_view key, std::string_view file) {
    const json::value* value = object.if_contains(key);
    if (!value || !value->is_object()) fail(file, "missing object \"" + std::string(key) + "\"");
    return value->get_object();
}

std::uint32_t flags_from(const json::value* names, std::string_view file) {
    static const std::pair<std::string_view, std::uint32_t> kFlags[] = {{"idempotent", kNodeIdempotent},
                                                                        {"destructive", kNodeDestructive},
                                                                        {"paginated", kNodePaginated},
                                                                        {"trigger", kNodeTrigger},
                                                                        {"read_only", kNodeReadOnly}};
    if (!names || !names->is_array()) fail(file, "missing array \"flags\"");
    std::uint32_t flags = 0;
    for (const json::value& name : names->get_array()) {
        bool known = false;
        for (const auto& [text, bit] : kFlags) {
            if (name.is_string() && name.get_string() == text) flags |= bit, known = true;
        }
        if (!known) fail(file, "unknown node flag " + json::serialize(name));
    }
    return flags;
}

// Keys whose value is a map from names to schemas, or a schema, or a list of schemas: the
// places a schema walk descends into. Everything else (enum, const, examples...) is data.
bool holds_named_schemas(std::string_view key) {
    return key == "properties" || key == "patternProperties" || key == "definitions" || key == "dependencies";
}
bool holds_schemas(std::string_view key) {
    return key == "items" || key == "additionalProperties" || key == "additionalItems" || key == "not" || key == "if" ||
           key == "then" || key == "else" || key == "contains" || key == "propertyNames" || key == "allOf" ||
           key == "anyOf" || key == "oneOf";
}

// Applies `visit` to every sub-schema of `schema` (not to `schema` itself), rebuilding it.
template <class Visit>
json::value map_subschemas(const json::object& schema, Visit visit) {
    json::object out;
    for (const auto& [key, value] : schema) {
        if (holds_named_schemas(key) && value.is_object()) {
            json::object named;
            for (const auto& [name, sub] : value.get_object())
                named[name] = visit(sub);
            out[key] = std::move(named);
        } else if (holds_schemas(key) && value.is_array()) {
            json::array list;
            for (const json::value& sub : value.get_array())
                list.push_back(visit(sub));
            out[key] = std::move(list);
        } else if (holds_schemas(key)) {
            out[key] = visit(value);
        } else {
            out[key] = value;
        }
    }
    return out;
}

bool is_annotation(std::string_view key) {
    return key == "title" || key == "description" || key == "examples" || key == "default" || key == "$comment";
}

// {"allOf": [A, B], title...} as one object when A, B and the rest name different validation
// keywords; annotations of later parts win. Otherwise it stays as it is.
json::value merged_all_of(json::object schema) {
    const json::value* parts = schema.if_contains("allOf");
    if (!parts || !parts->is_array()) return schema;
    json::object merged;
    std::vector<const json::object*> layers;
    for (const json::value& part : parts->get_array()) {
        if (!part.is_object()) return schema;
        layers.push_back(&part.get_object());
    }
    json::object rest = schema;
    rest.erase("allOf");
    layers.push_back(&rest);
    for (const json::object* layer : layers) {
        for (const auto& [key, value] : *layer) {
            if (merged.contains(key) && !is_annotation(key)) return schema;
            merged[key] = value;
        }
    }
    return merged;
}

}  // namespace

json::value inline_common_refs(const json::value& schema, const json::object& common) {
    if (!schema.is_object()) return schema;
    const json::object& object = schema.get_object();
    if (const json::value* ref = object.if_contains("$ref")) {
        const std::string_view target = ref->is_string() ? std::string_view(ref->get_string()) : "";
        if (!target.starts_with(kCommonRefPrefix)) fail(kCommonFile, "unsupported $ref " + std::string(target));
        const json::value* definition =
            common.at("definitions").as_object().if_contains(target.substr(kCommonRefPrefix.size()));
        if (!definition) fail(kCommonFile, "no definition for $ref " + std::string(target));
        if (object.size() != 1) fail(kCommonFile, "keywords beside $ref " + std::string(target) + " (use allOf)");
        return inline_common_refs(*definition, common);
    }
    json::value out = map_subschemas(object, [&](const json::value& sub) { return inline_common_refs(sub, common); });
    return merged_all_of(std::move(out.as_object()));
}

json::value without_keywords(const json::value& schema, bool (*drop)(std::string_view keyword)) {
    if (!schema.is_object()) return schema;
    json::object kept;
    for (const auto& [key, value] : schema.get_object()) {
        if (!drop(key)) kept[key] = value;
    }
    return map_subschemas(kept, [drop](const json::value& sub) { return without_keywords(sub, drop); });
}

json::value served_schema(const json::value& schema) {
    return without_keywords(schema, [](std::string_view keyword) { return keyword.starts_with("x-"); });
}

namespace {

// A part of a record (inputs, options, outputs) as a standalone document.
json::object standalone(const json::object& part, const std::string& title, const json::object& common,
                        std::string_view file) {
    if (string_at(part, "type", file) != "object") fail(file, title + " must be of type object");
    json::object out;
    out["$schema"] = kDraft07;
    out["title"] = title;
    const json::value inlined = inline_common_refs(part, common);
    for (const auto& [key, value] : inlined.as_object())
        out[key] = value;
    if (!out.contains("properties")) out["properties"] = json::object();
    return out;
}

std::vector<std::string> names_of(const json::object& schema) {
    std::vector<std::string> names;
    for (const auto& [name, value] : schema.at("properties").as_object())
        names.emplace_back(name);
    return names;
}

void check_fields_known(const json::value& names, const std::set<std::string>& fields, std::string_view file) {
    for (const json::value& name : names.as_array()) {
        if (!name.is_string() || !fields.contains(std::string(name.get_string()))) {
            fail(file, "a rule names " + json::serialize(name) + ", which is not an input or option");
        }
    }
}

void check_rules(const json::array& rules, const std::set<std::string>& fields, std::string_view file) {
    for (const json::value& rule : rules) {
        if (!rule.is_object()) fail(file, "a rule must be an object");
        const std::string kind = string_at(rule.get_object(), "kind", file);
        if (std::find(std::begin(kRuleKinds), std::end(kRuleKinds), kind) == std::end(kRuleKinds)) {
            fail(file, "unknown rule kind \"" + kind + "\"");
        }
        string_at(rule.get_object(), "message", file);
        for (std::string_view key : {"fields"}) {
            if (const json::value* names = rule.get_object().if_contains(key)) check_fields_known(*names, fields, file);
        }
        for (std::string_view key : {"field", "before", "after"}) {
            if (const json::value* name = rule.get_object().if_contains(key))
                check_fields_known(json::array{*name}, fields, file);
        }
    }
}

// valijson runs patterns with std::regex, which recurses once per character a repetition
// matches. A pattern that repeats must only ever see short text: either a maxLength beside it
// (valijson checks it first), or, for one that tests the field's own value (in its branches),
// the field's own maxLength, which the validator checks before valijson runs.
constexpr std::int64_t kLongestPatternedText = 4096;

std::int64_t own_max_length(const json::object& schema) {
    std::int64_t longest = 0;
    if (const json::value* length = schema.if_contains("maxLength"); length && length->is_int64())
        longest = length->get_int64();
    for (std::string_view key : {"then", "else"}) {
        if (const json::value* branch = schema.if_contains(key); branch && branch->is_object()) {
            longest = std::max(longest, own_max_length(branch->get_object()));
        }
    }
    return longest;
}

void check_patterns(const json::value& schema, std::string_view file, const std::string& at, std::int64_t own_limit) {
    if (schema.is_array()) {
        for (std::size_t i = 0; i < schema.get_array().size(); ++i)
            check_patterns(schema.get_array()[i], file, at + "/" + std::to_string(i), own_limit);
        return;
    }
    if (!schema.is_object()) return;
    const json::object& object = schema.get_object();
    if (const json::value* pattern = object.if_contains("pattern"); pattern && pattern->is_string()) {
        const json::value* length = object.if_contains("maxLength");
        const std::int64_t limit = length && length->is_int64() ? length->get_int64() : own_limit;
        const bool repeats = pattern->get_string().find_first_of("*+{") != json::string::npos;
        if (repeats && (limit <= 0 || limit > kLongestPatternedText)) {
            fail(file,
                 at + ": a repeating pattern needs a maxLength of at most " + std::to_string(kLongestPatternedText));
        }
    }
    for (const auto& [key, value] : object) {
        if (key == "enum" || key == "const" || key == "examples" || key == "default") continue;
        // Below these, the pattern tests other values than the field's own.
        const bool other_values = key == "items" || key == "additionalProperties" || key == "properties" ||
                                  key == "propertyNames" || key == "patternProperties";
        check_patterns(value, file, at + "/" + std::string(key), other_values ? 0 : own_limit);
    }
}

void check_field_patterns(const json::object& part, std::string_view file, const std::string& at) {
    for (const auto& [name, field] : part.at("properties").as_object()) {
        if (field.is_object()) {
            check_patterns(field, file, at + "/" + std::string(name), own_max_length(field.get_object()));
        }
    }
}

void check_outputs(const json::object& outputs, std::string_view file) {
    const json::object& properties = outputs.at("properties").as_object();
    for (std::string_view key : kEnvelopeKeys) {
        if (!properties.contains(key)) fail(file, "outputs lack " + std::string(key));
    }
    const json::value* required = outputs.if_contains("required");
    if (!required || !required->is_array() || required->get_array().size() != properties.size()) {
        fail(file, "outputs must list every output as required: every key is always present");
    }
}

// Who the node is: id, version, names, flags, and what every node of the plugin shares.
void read_identity(NodeSpec& spec, const json::object& record, const json::object& plugin, std::string_view path) {
    spec.id = string_at(record, "id", path);
    if (path != "nodes/" + spec.id + ".json") fail(path, "the file name differs from the node id");
    const json::value* version = record.if_contains("version");
    if (!version || !version->is_int64() || version->get_int64() < 1) fail(path, "version must be a positive integer");
    spec.version = static_cast<std::uint32_t>(version->get_int64());
    spec.display_name = string_at(record, "title", path);
    spec.subtitle = string_at(record, "subtitle", path);
    spec.description = string_at(record, "description", path);
    spec.resource = string_at(record, "resource", path);
    spec.operation = string_at(record, "operation", path);
    spec.docs_url = string_at(record, "docs", path, false);
    spec.flags = flags_from(record.if_contains("flags"), path);
    spec.category = string_at(plugin, "category", kPluginFile);
    spec.icon = string_at(plugin, "icon", kPluginFile);
    spec.credential_test_node = string_at(plugin, "credential_test_node", kPluginFile, false);
}

// The three schemas, standalone, with the examples served beside the inputs.
void read_schemas(NodeSpec& spec, const json::object& record, const json::object& common, std::string_view path) {
    spec.inputs = standalone(object_at(record, "inputs", path), spec.display_name + ": inputs", common, path);
    spec.options = standalone(object_at(record, "options", path), spec.display_name + ": options", common, path);
    spec.outputs = standalone(object_at(record, "outputs", path), spec.display_name + ": outputs", common, path);
    spec.empty_outputs = empty_outputs_of(spec.outputs);
    spec.examples = record.contains("examples") ? record.at("examples").as_array() : json::array();
    if (spec.examples.empty()) fail(path, "a record needs at least one example input");
    // Served with the inputs: whole inputs (inputs and options) a canvas or a test can start from.
    spec.inputs["examples"] = spec.examples;
    spec.inputs_text = json::serialize(served_schema(spec.inputs));
    spec.options_text = json::serialize(served_schema(spec.options));
    spec.outputs_text = json::serialize(served_schema(spec.outputs));
    check_outputs(spec.outputs, path);
    check_field_patterns(spec.inputs, path, "inputs");
    check_field_patterns(spec.options, path, "options");
}

// What a form needs beyond the schemas: the field order, the rules, the option sources.
void read_form(NodeSpec& spec, const json::object& record, std::string_view path) {
    std::set<std::string> fields;
    json::array order;
    for (const json::object* part : {&spec.inputs, &spec.options}) {
        for (const std::string& name : names_of(*part)) {
            if (!fields.insert(name).second) fail(path, "the field " + name + " is both an input and an option");
            spec.field_order.push_back(name);
            order.emplace_back(name);
        }
    }
    spec.rules = record.contains("rules") ? record.at("rules").as_array() : json::array();
    check_rules(spec.rules, fields, path);
    spec.option_sources = record.contains("option_sources") ? record.at("option_sources").as_object() : json::object();
    for (const auto& [name, source] : spec.option_sources) {
        if (!fields.contains(std::string(name)))
            fail(path, "an option source names " + std::string(name) + ", not a field");
    }
    spec.rules_text = json::serialize(spec.rules);
    spec.option_sources_text = json::serialize(spec.option_sources);
    spec.field_order_text = json::serialize(order);
}

}  // namespace

NodeCatalog::NodeCatalog(const std::vector<EmbeddedFile>& files) {
    json::object common, plugin;
    for (const EmbeddedFile& file : files) {
        if (file.path == kCommonFile) common = json::parse(file.text).as_object();
        if (file.path == kPluginFile) plugin = json::parse(file.text).as_object();
        if (file.path == kCredentialsFile) credentials_schema_ = json::parse(file.text).as_object();
    }
    if (common.empty()) fail(kCommonFile, "not embedded");
    if (plugin.empty()) fail(kPluginFile, "not embedded");
    if (credentials_schema_.empty()) fail(kCredentialsFile, "not embedded");
    credential_type_ = string_at(plugin, "credential_type", kPluginFile);
    credentials_schema_text_ = json::serialize(served_schema(credentials_schema_));

    for (const EmbeddedFile& file : files) {
        if (file.path == kCommonFile || file.path == kPluginFile || file.path == kCredentialsFile) continue;
        nodes_.push_back(read_record(file, common, plugin));
    }
    check_cross_references(plugin);
}

NodeSpec NodeCatalog::read_record(const EmbeddedFile& file, const json::object& common, const json::object& plugin) {
    const json::value doc = json::parse(file.text);
    if (!doc.is_object()) fail(file.path, "a node record is a JSON object");
    const json::object& record = doc.get_object();
    NodeSpec spec;
    spec.source = std::string(file.path);
    read_identity(spec, record, plugin, file.path);
    spec.credential_type = credential_type_;
    read_schemas(spec, record, common, file.path);
    read_form(spec, record, file.path);
    for (std::string_view key : {"strategy", "request", "answer", "search", "match", "watch"}) {
        if (const json::value* value = record.if_contains(key)) spec.mapping[key] = *value;
    }
    return spec;
}

// What records say about each other: option sources and the credential test name nodes.
void NodeCatalog::check_cross_references(const json::object& plugin) const {
    std::set<std::string> ids;
    for (const NodeSpec& spec : nodes_) {
        if (!ids.insert(spec.id).second) fail(spec.source, "a second record for " + spec.id);
    }
    const std::string test_node = string_at(plugin, "credential_test_node", kPluginFile, false);
    if (!test_node.empty() && !ids.contains(test_node))
        fail(kPluginFile, "no node " + test_node + " to test credentials");
    for (const NodeSpec& spec : nodes_) {
        for (const auto& [name, source] : spec.option_sources) {
            const std::string node = source.is_object() ? string_at(source.get_object(), "node", spec.source) : "";
            if (!ids.contains(node)) fail(spec.source, "the option source of " + std::string(name) + " names no node");
        }
    }
}

const NodeSpec* NodeCatalog::find(std::string_view id) const {
    for (const NodeSpec& spec : nodes_) {
        if (spec.id == id) return &spec;
    }
    return nullptr;
}

}  // namespace fd
