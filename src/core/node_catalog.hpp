// The node catalogue: the ten Freshdesk nodes as described by schemas/*.json, which the build
// embeds into the binary. The schema files are the single source of every descriptor field.
#pragma once

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
};

struct NodeSpec {
    std::string schema_file;  // e.g. "schemas/freshdesk.ticket.get.json"
    std::string id;           // e.g. "freshdesk.ticket.get"
    std::uint32_t version = 0;
    std::string display_name;
    std::string description;
    std::string resource;
    std::string operation;
    std::string credential_type;
    std::uint32_t flags = 0;
    // Standalone draft-07 schemas (references to common.json inlined), and their texts as
    // handed to hosts.
    boost::json::object inputs;
    boost::json::object options;
    boost::json::object outputs;
    std::string inputs_text;
    std::string options_text;
    std::string outputs_text;
};

class NodeCatalog {
  public:
    // Parses the embedded schema files. Throws std::runtime_error when they are inconsistent.
    NodeCatalog();

    const std::vector<NodeSpec>& nodes() const { return nodes_; }
    const NodeSpec* find(std::string_view id) const;

    const std::string& credential_type() const { return credential_type_; }
    const boost::json::object& credentials_schema() const { return credentials_schema_; }
    const std::string& credentials_schema_text() const { return credentials_schema_text_; }

  private:
    std::vector<NodeSpec> nodes_;
    std::string credential_type_;
    boost::json::object credentials_schema_;
    std::string credentials_schema_text_;
};

// Replaces every {"$ref": "common.json#/definitions/NAME", ...siblings} in `schema` with the
// referenced definition, the siblings laid over it (so a node can override a title or a
// description). Exposed for the tests that check the .so against the files.
boost::json::value inline_common_refs(const boost::json::value& schema, const boost::json::object& common);

}  // namespace fd
