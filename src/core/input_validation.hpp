// Checks a node's input (its inputs and options together, one JSON object) against the node's
// schemas with valijson, plus the rules a schema can't express, before any I/O happens.
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

// Largest input text accepted, before parsing.
inline constexpr std::size_t kMaxInputBytes = 8u << 20;

class InputValidator {
  public:
    // `label` names the object in messages ("Create a Contact", "credentials"). Secret fields
    // (x-secret) never have their value echoed.
    InputValidator(const boost::json::object& inputs_schema, const boost::json::object& options_schema,
                   std::string label);
    // For a single schema (the credentials).
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
