// The envelope every run returns: the node's outputs, each always present with its declared
// type, plus OriginalStatusCode, StatusCode and ErrorMessage (docs/architecture.md, "The envelope").
#pragma once

#include "core/node_catalog.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace fd {

// StatusCode values.
inline constexpr int kStatusOk = 200;
inline constexpr int kStatusInvalidInput = -1;
inline constexpr int kStatusSystemError = 500;

// Every output key of an outputs schema with its empty value ({}, [], 0, false, ""), in the
// schema's order: made once per node when the catalogue is read (NodeSpec::empty_outputs).
boost::json::object empty_outputs_of(const boost::json::object& outputs_schema);

// A copy of the node's empty outputs, in `storage`.
boost::json::object empty_envelope(const NodeSpec& node, boost::json::storage_ptr storage = {});

// An envelope of `node` with the three status keys set and the outputs left empty.
boost::json::object status_envelope(const NodeSpec& node, int status_code, int original_status_code,
                                    std::string error_message, boost::json::storage_ptr storage = {});

// The envelope as text. With a `verbatim_key`, that member is written as `verbatim` (JSON text
// the caller has checked) in place of its value: an answer's body passes into the envelope as it
// came, without being parsed into a DOM and written out again.
std::string envelope_text(const boost::json::object& envelope, std::string_view verbatim_key = {},
                          std::string_view verbatim = {});

}  // namespace fd
