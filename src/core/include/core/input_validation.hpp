// Checks a node's input (its inputs and options together, one JSON object) before any I/O:
// each field against its schema with valijson, then the node's rules (node_catalog.hpp), and
// turns what people send into what Freshdesk takes: blanks dropped, numbers and booleans given
// as text converted, ids and emails trimmed.
#pragma once

#include "core/node_catalog.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace fd {

struct ValidatedInput {
    bool ok = false;
    std::string error;           // when !ok: names the field and the rule
    boost::json::object params;  // when ok: the input, normalised (ids as integers, blanks dropped)
};

// Largest input text accepted, before parsing: room for 20 MB of attachments in base64.
inline constexpr std::size_t kMaxInputBytes = 32u << 20;

class InputValidator {
  public:
    // A node's input. Messages name the node by its display name.
    explicit InputValidator(const NodeSpec& node);
    // One object schema (the credentials), with the rules its "x-rules" lists.
    // Secret fields (writeOnly) never have their value echoed.
    InputValidator(const boost::json::object& schema, std::string label);
    ~InputValidator();
    InputValidator(const InputValidator&) = delete;
    InputValidator& operator=(const InputValidator&) = delete;

    // Thread-safe.
    ValidatedInput validate(std::string_view input_json) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace fd
