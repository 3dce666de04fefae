// The node catalogue: one record per node (nodes/<id>.json, embedded into the binary at build
// time), read once. A record holds everything about a node: its descriptor fields, its three
// schemas, the rules no schema keyword states, what a canvas needs, examples, and how it maps to
// Freshdesk (`mapping`, read by freshdesk/node_mapping.hpp). docs/nodes.md describes the format.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fd {

enum NodeFlag : std::uint32_t {
    kNodeIdempotent = 0x1,
    kNodeDestructive = 0x2,
    kNodePaginated = 0x4,
    kNodeTrigger = 0x8,
    kNodeReadOnly = 0x10,
};

struct NodeSpec {
    std::string source;  // e.g. "nodes/freshdesk.ticket.get.json"
    std::string id;      // e.g. "freshdesk.ticket.get"
    std::uint32_t version = 0;
    std::string display_name;
    std::string subtitle;
    std::string description;
    std::string resource;
    std::string operation;
    std::string category;
    std::string icon;
    std::string credential_type;
    std::string credential_test_node;
    std::string docs_url;  // Freshdesk's documentation of the endpoint
    std::uint32_t flags = 0;
    // The schemas with references to common.schema.json inlined. These keep the plugin's own
    // annotations (x-rule: the rule in words for messages); the texts handed to hosts do not.
    boost::json::object inputs;
    boost::json::object options;
    boost::json::object outputs;
    boost::json::object empty_outputs;  // every output with its empty value (core/envelope.hpp)
    std::string inputs_text;
    std::string options_text;
    std::string outputs_text;
    boost::json::array rules;              // see rules_json in wfp_plugin.h
    boost::json::object option_sources;    // see option_sources_json in wfp_plugin.h
    std::vector<std::string> field_order;  // inputs, then options, in the record's order
    std::string rules_text;
    std::string option_sources_text;
    std::string field_order_text;
    boost::json::array examples;  // inputs that succeed against the sandbox's default seed
    boost::json::object mapping;  // "strategy", "request", "answer": how it maps to Freshdesk
};

// A file embedded into the binary: a record, common.schema.json or credentials.schema.json.
struct EmbeddedFile {
    std::string_view path;  // e.g. "nodes/freshdesk.ticket.get.json"
    std::string_view text;
};

class NodeCatalog {
  public:
    // Reads `files`. Throws std::runtime_error naming the file and the problem when a record is
    // incomplete or inconsistent (for example a rule naming a field the schemas lack).
    explicit NodeCatalog(const std::vector<EmbeddedFile>& files);

    const std::vector<NodeSpec>& nodes() const { return nodes_; }
    const NodeSpec* find(std::string_view id) const;

    const std::string& credential_type() const { return credential_type_; }
    // The credentials schema: with its annotations, and as handed to hosts.
    const boost::json::object& credentials_schema() const { return credentials_schema_; }
    const std::string& credentials_schema_text() const { return credentials_schema_text_; }

  private:
    NodeSpec read_record(const EmbeddedFile& file, const boost::json::object& common,
                         const boost::json::object& plugin);
    void check_cross_references(const boost::json::object& plugin) const;

    std::vector<NodeSpec> nodes_;
    std::string credential_type_;
    boost::json::object credentials_schema_;
    std::string credentials_schema_text_;
};

// The records and schemas the build embedded (a generated translation unit defines it).
const std::vector<EmbeddedFile>& embedded_node_files();

// Every {"$ref": "common.schema.json#/definitions/NAME"} in `schema` replaced by the
// definition, and every {"allOf": [...], ...} whose parts do not collide merged into one object.
boost::json::value inline_common_refs(const boost::json::value& schema, const boost::json::object& common);

// `schema` without the plugin's own annotations (keys starting with "x-"), as hosts get it.
boost::json::value served_schema(const boost::json::value& schema);

// `schema` without the keywords `drop` names, in it and in every sub-schema.
boost::json::value without_keywords(const boost::json::value& schema, bool (*drop)(std::string_view keyword));

}  // namespace fd
