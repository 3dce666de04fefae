#include "core/node_catalog.hpp"

#include "core/embedded_files.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace fd {
namespace json = boost::json;

namespace {

constexpr std::string_view kDraft07 = "http://json-schema.org/draft-07/schema#";
constexpr std::string_view kCommonFile = "schemas/common.json";
constexpr std::string_view kCredentialsFile = "schemas/credentials.schema.json";
constexpr std::string_view kCommonRefPrefix = "common.json#/definitions/";

[[noreturn]] void fail(std::string_view file, std::string_view what) {
    throw std::runtime_error(std::string(file) + ": " + std::string(what));
}

std::string string_at(const json::object& object, std::string_view key, std::string_view file) {
    const json::value* value = object.if_contains(key);
    if (!value || !value->is_string()) fail(file, "missing string \"" + std::string(key) + "\"");
    return std::string(value->get_string());
}

std::uint32_t flags_from(const json::array& names, std::string_view file) {
    std::uint32_t flags = 0;
    for (const json::value& name : names) {
        if (name == "idempotent") {
            flags |= kNodeIdempotent;
        } else if (name == "destructive") {
            flags |= kNodeDestructive;
        } else if (name == "paginated") {
            flags |= kNodePaginated;
        } else {
            fail(file, "unknown node flag " + json::serialize(name));
        }
    }
    return flags;
}

// A sub-schema of a node file turned into a document of its own.
json::object standalone(const json::value& part, const std::string& title) {
    json::object out;
    out["$schema"] = kDraft07;
    out["title"] = title;
    for (const auto& [key, value] : part.as_object())
        out[key] = value;
    return out;
}

}  // namespace

json::value inline_common_refs(const json::value& schema, const json::object& common) {
    if (schema.is_array()) {
        json::array out;
        for (const json::value& item : schema.get_array())
            out.push_back(inline_common_refs(item, common));
        return out;
    }
    if (!schema.is_object()) return schema;
    const json::object& object = schema.get_object();
    json::object out;
    if (const json::value* ref = object.if_contains("$ref")) {
        const std::string_view target = ref->as_string();
        if (!target.starts_with(kCommonRefPrefix)) fail(kCommonFile, "unsupported $ref " + std::string(target));
        const json::value* definition =
            common.at("definitions").as_object().if_contains(target.substr(kCommonRefPrefix.size()));
        if (!definition) fail(kCommonFile, "no definition for $ref " + std::string(target));
        out = inline_common_refs(*definition, common).as_object();
    }
    for (const auto& [key, value] : object) {
        if (key != "$ref") out[key] = inline_common_refs(value, common);
    }
    return out;
}

NodeCatalog::NodeCatalog() {
    const json::object* common = nullptr;
    json::value common_doc;
    for (const EmbeddedFile& file : embedded_schema_files()) {
        if (file.path == kCommonFile) {
            common_doc = json::parse(file.text);
            common = &common_doc.as_object();
        }
    }
    if (!common) fail(kCommonFile, "not embedded");

    for (const EmbeddedFile& file : embedded_schema_files()) {
        if (file.path == kCommonFile) continue;
        const json::value doc = json::parse(file.text);
        const json::object& root = doc.as_object();
        if (string_at(root, "$schema", file.path) != kDraft07) fail(file.path, "not a draft-07 schema");

        if (file.path == kCredentialsFile) {
            credential_type_ = string_at(root, "x-credential-type", file.path);
            credentials_schema_ = root;
            credentials_schema_text_ = json::serialize(credentials_schema_);
            continue;
        }

        const json::object& node = root.at("x-node").as_object();
        const json::object& parts = root.at("definitions").as_object();
        NodeSpec spec;
        spec.schema_file = std::string(file.path);
        spec.id = string_at(node, "id", file.path);
        spec.version = static_cast<std::uint32_t>(node.at("version").to_number<std::int64_t>());
        spec.display_name = string_at(root, "title", file.path);
        spec.description = string_at(root, "description", file.path);
        spec.resource = string_at(node, "resource", file.path);
        spec.operation = string_at(node, "operation", file.path);
        spec.credential_type = string_at(node, "credential_type", file.path);
        spec.flags = flags_from(node.at("flags").as_array(), file.path);
        if (file.path != "schemas/" + spec.id + ".json") fail(file.path, "file name differs from the node id");

        spec.inputs = standalone(inline_common_refs(parts.at("inputs"), *common), spec.display_name + ": inputs");
        spec.options = standalone(inline_common_refs(parts.at("options"), *common), spec.display_name + ": options");
        spec.outputs = standalone(inline_common_refs(parts.at("outputs"), *common), spec.display_name + ": outputs");
        spec.inputs_text = json::serialize(spec.inputs);
        spec.options_text = json::serialize(spec.options);
        spec.outputs_text = json::serialize(spec.outputs);
        nodes_.push_back(std::move(spec));
    }
    if (credential_type_.empty()) fail(kCredentialsFile, "not embedded");
    for (const NodeSpec& spec : nodes_) {
        if (spec.credential_type != credential_type_) fail(spec.schema_file, "unknown credential type");
    }
}

const NodeSpec* NodeCatalog::find(std::string_view id) const {
    for (const NodeSpec& spec : nodes_) {
        if (spec.id == id) return &spec;
    }
    return nullptr;
}

}  // namespace fd
