#include "core/input_validation.hpp"

#include "core/timestamps.hpp"
#include "input_rules.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <locale>
#include <sstream>

namespace fd {
namespace json = boost::json;

namespace {

// Deeper input is refused while parsing (free-form objects are the only nested fields).
constexpr std::size_t kMaxDepth = 16;
constexpr std::size_t kShownStringLength = 60;
constexpr std::string_view kWhitespace = " \t\r\n\f\v";

// What a field's schema accepts, found once: where a value given as text is converted.
struct Field {
    std::string name;
    json::object schema;  // with the plugin's annotations (x-rule, x-id, x-trim)
    bool required = false;
    bool secret = false;   // writeOnly: its value is never echoed
    bool integer = false;  // accepts integers (a string of digits becomes one)
    bool boolean = false;  // accepts booleans ("true" and "false" become them)
    bool trimmed = false;  // ids and emails lose surrounding whitespace
    bool object = false;   // accepts objects (so {} means "not given")
    bool date_time = false;       // a calendar date-time, checked beyond the schema's pattern
    std::size_t max_length = 0;   // the largest maxLength anywhere in it; 0 for none
    std::unique_ptr<valijson::Schema> compiled;
};

// The field's schema as valijson checks it: without "format", which valijson would check by
// compiling a regular expression on every call (date-times are checked by parse_rfc3339).
std::unique_ptr<valijson::Schema> compile(const json::value& full_schema) {
    const json::value schema =
        without_keywords(full_schema, [](std::string_view keyword) { return keyword == "format"; });
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    return compiled;
}

// The validator caches compiled regular expressions, so each thread keeps one.
valijson::Validator& thread_validator() {
    thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
    return validator;
}

bool conforms(const valijson::Schema& schema, const json::value& value) {
    valijson::adapters::BoostJsonAdapter adapter(value);
    return thread_validator().validate(schema, adapter, nullptr);
}

// Whether `schema` or any of its alternatives (anyOf, oneOf, then, else) declares `type`.
bool accepts_type(const json::object& schema, std::string_view type) {
    if (const json::value* declared = schema.if_contains("type")) {
        if (declared->is_string() && declared->get_string() == type) return true;
        if (declared->is_array()) {
            for (const json::value& item : declared->get_array()) {
                if (item.is_string() && item.get_string() == type) return true;
            }
        }
    }
    for (std::string_view key : {"anyOf", "oneOf", "allOf"}) {
        const json::value* list = schema.if_contains(key);
        if (!list || !list->is_array()) continue;
        for (const json::value& branch : list->get_array()) {
            if (branch.is_object() && accepts_type(branch.get_object(), type)) return true;
        }
    }
    for (std::string_view key : {"then", "else"}) {
        const json::value* branch = schema.if_contains(key);
        if (branch && branch->is_object() && accepts_type(branch->get_object(), type)) return true;
    }
    return false;
}

// The largest maxLength in `schema` or its alternatives: a longer string is refused before
// valijson's regular expressions (std::regex recurses per character) ever see it.
std::size_t largest_max_length(const json::object& schema) {
    std::size_t largest = 0;
    if (const json::value* length = schema.if_contains("maxLength"); length && length->is_int64()) {
        largest = static_cast<std::size_t>(length->get_int64());
    }
    for (std::string_view key : {"then", "else"}) {
        const json::value* branch = schema.if_contains(key);
        if (branch && branch->is_object()) largest = std::max(largest, largest_max_length(branch->get_object()));
    }
    for (std::string_view key : {"anyOf", "oneOf", "allOf"}) {
        const json::value* list = schema.if_contains(key);
        if (!list || !list->is_array()) continue;
        for (const json::value& branch : list->get_array()) {
            if (branch.is_object()) largest = std::max(largest, largest_max_length(branch.get_object()));
        }
    }
    return largest;
}

// Characters, as JSON Schema counts a string's length (code points, not UTF-8 bytes).
std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names)
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

std::int64_t int_at(const json::object& schema, std::string_view key) {
    const json::value* value = schema.if_contains(key);
    return value && value->is_int64() ? value->get_int64() : 0;
}

// The rule of a field in words: its x-rule, or what its schema says.
std::string describe_rule(const Field& field) {
    const json::object& schema = field.schema;
    if (const json::value* rule = schema.if_contains("x-rule")) return std::string(rule->as_string());
    if (field.integer) {
        if (schema.contains("minimum") && schema.contains("maximum")) {
            return "an integer from " + std::to_string(int_at(schema, "minimum")) + " to " +
                   std::to_string(int_at(schema, "maximum"));
        }
        if (schema.contains("minimum")) return "an integer of at least " + std::to_string(int_at(schema, "minimum"));
        return "an integer";
    }
    if (field.boolean) return "true or false";
    if (accepts_type(schema, "string")) {
        std::string out = int_at(schema, "minLength") > 0 ? "non-empty text" : "text";
        if (schema.contains("maxLength")) out += " of at most " + std::to_string(int_at(schema, "maxLength")) + " characters";
        return out;
    }
    if (accepts_type(schema, "object")) return "an object of fields and values";
    if (accepts_type(schema, "array")) return "a list";
    return "a value matching its schema";
}

// What the user gave, short and safe to show.
std::string describe_value(const json::value& value, bool secret) {
    switch (value.kind()) {
        case json::kind::string: {
            const json::string& text = value.get_string();
            if (secret) return "a value of " + std::to_string(text.size()) + " characters";
            if (text.size() <= kShownStringLength) return json::serialize(text);
            return "text of " + std::to_string(text.size()) + " characters";
        }
        case json::kind::array:
            return "a list of " + std::to_string(value.get_array().size()) + " items";
        case json::kind::object:
            return "an object";
        case json::kind::double_: {
            std::ostringstream number;
            number.precision(17);
            number << value.get_double();
            return "the number " + number.str();
        }
        default:
            return json::serialize(value);
    }
}

std::string_view kind_name(const json::value& value) {
    switch (value.kind()) {
        case json::kind::array:
            return "a list";
        case json::kind::string:
            return "text";
        case json::kind::null:
            return "null";
        case json::kind::bool_:
            return "a boolean";
        default:
            return "a number";
    }
}

// valijson reads strings up to their first NUL, so NUL is refused before it sees them.
bool contains_nul(const json::value& value) {
    if (value.is_string()) return value.get_string().find('\0') != json::string::npos;
    if (value.is_array()) {
        for (const json::value& item : value.get_array()) {
            if (contains_nul(item)) return true;
        }
    }
    if (value.is_object()) {
        for (const auto& [key, item] : value.get_object()) {
            if (key.find('\0') != std::string_view::npos || contains_nul(item)) return true;
        }
    }
    return false;
}

std::string_view trimmed(std::string_view text) {
    const std::size_t first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

bool only_whitespace(const json::value& value) {
    return value.is_string() && trimmed(value.get_string()).empty();
}

// 10.0 is an integer to JSON Schema (draft-07) as much as 10 is; exact up to 2^53.
bool integral_double(const json::value& value) {
    if (!value.is_double()) return false;
    const double number = value.get_double();
    return std::trunc(number) == number && std::fabs(number) <= 9007199254740992.0;
}

// A string of digits (surrounding whitespace allowed) as an int64; nullopt when it is not one
// or does not fit.
std::optional<std::int64_t> digits_value(std::string_view text) {
    text = trimmed(text);
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return number;
}

// libstdc++'s ctype<char>::narrow fills a cache on first use of each character, unguarded;
// valijson compiles its patterns (std::regex) during validation, on many threads at once.
// Filling the cache here, while the plugin initialises on one thread, leaves only reads.
void fill_narrow_cache() {
    const auto& ctype = std::use_facet<std::ctype<char>>(std::locale());
    for (int c = 0; c < 256; ++c)
        (void)ctype.narrow(static_cast<char>(c), '\0');
}

}  // namespace

struct InputValidator::Impl {
    std::string label;
    std::vector<Field> fields;
    json::array rules;

    void add_part(const json::object& part) {
        const json::value* required = part.if_contains("required");
        for (const auto& [name, schema] : part.at("properties").as_object()) {
            Field field;
            field.name = std::string(name);
            field.schema = schema.as_object();
            field.secret = field.schema.contains("writeOnly");
            field.integer = accepts_type(field.schema, "integer");
            field.boolean = accepts_type(field.schema, "boolean");
            field.trimmed = field.schema.contains("x-id") || field.schema.contains("x-trim");
            field.object = accepts_type(field.schema, "object");
            field.date_time = field.schema.contains("x-date-time");
            field.max_length = largest_max_length(field.schema);
            if (required) {
                for (const json::value& item : required->as_array())
                    field.required = field.required || item.as_string() == name;
            }
            field.compiled = compile(field.schema);
            fields.push_back(std::move(field));
        }
    }

    // A schema's own rules no keyword states (the credentials: a domain or a base_url).
    void add_schema_rules(const json::object& schema) {
        if (const json::value* own = schema.if_contains("x-rules")) rules = own->as_array();
    }

    const Field* field_named(std::string_view name) const {
        for (const Field& field : fields) {
            if (field.name == name) return &field;
        }
        return nullptr;
    }

    std::string field_names() const {
        std::vector<std::string> names;
        for (const Field& field : fields)
            names.push_back(field.name);
        return names.empty() ? "none" : join(names);
    }

    std::string field_error(const Field& field, const json::value& value) const {
        if (value.is_string() && value.get_string().empty()) return field.name + " must not be empty";
        return field.name + " must be " + describe_rule(field) + "; got " + describe_value(value, field.secret);
    }

    // Drops what a form leaves blank in an optional field: null, text of only spaces, and {}
    // where an object is expected. An update then keeps the stored value. Required fields keep
    // what they hold, for their schema to judge (a watch's Cursor is "" on the first poll);
    // unknown fields stay, to be refused.
    json::object without_blanks(const json::object& input) const {
        json::object out;
        for (const auto& [key, value] : input) {
            const Field* field = field_named(key);
            // Blank text longer than the field takes is refused, as the schema refuses it.
            const bool fits = !value.is_string() || !field || field->max_length == 0 ||
                              code_points(value.get_string()) <= field->max_length;
            const bool blank = value.is_null() || (only_whitespace(value) && fits) ||
                               (field && field->object && value.is_object() && value.get_object().empty());
            if (!blank || !field || field->required) out[key] = value;
        }
        return out;
    }

    // Text as people send it, made the type Freshdesk takes: "3" and 3.0 are 3, "true" is
    // true, " 6 " (an id) is 6. Anything else is left for the schema to refuse.
    std::string normalise(const Field& field, json::value& value) const {
        if (field.integer && value.is_string() && trimmed(value.get_string()).find_first_not_of("0123456789") ==
                                                     std::string_view::npos) {
            const std::optional<std::int64_t> number = digits_value(value.get_string());
            if (!number) {
                return field.name + " is too large: at most " +
                       std::to_string(std::numeric_limits<std::int64_t>::max()) + "; got " +
                       describe_value(value, field.secret);
            }
            value = *number;
        }
        if (field.boolean && value.is_string()) {
            const std::string_view text = trimmed(value.get_string());
            if (text == "true" || text == "false") value = text == "true";
        }
        if (field.trimmed && value.is_string()) value = json::string(trimmed(value.get_string()));
        return "";
    }

    // A field's value checked against its schema (which accepts the text forms too), then
    // converted.
    std::string check_field(const Field& field, json::value& value) const {
        if (field.integer && integral_double(value)) value = static_cast<std::int64_t>(value.get_double());
        if (field.max_length > 0 && value.is_string() && code_points(value.get_string()) > field.max_length) {
            return field_error(field, value);  // before valijson's regular expressions see it
        }
        // A free-form object goes to Freshdesk as JSON, where a NUL is only an escape.
        if (!(field.object && value.is_object()) && contains_nul(value)) {
            return field.name + " must not contain NUL characters";
        }
        if (!conforms(*field.compiled, value)) return field_error(field, value);
        if (field.date_time && value.is_string() && !parse_rfc3339(trimmed(value.get_string()))) {
            return field_error(field, value);  // the pattern lets 2025-02-29 through; the calendar does not
        }
        std::string problem = normalise(field, value);
        if (!problem.empty()) return problem;
        if (field.schema.contains("x-id") && (!value.is_int64() || value.get_int64() < 1)) {
            return field.name + " must be " + describe_rule(field) + "; got " + describe_value(value, false);
        }
        return "";
    }

    ValidatedInput validate(const json::value& input) const {
        ValidatedInput result;
        if (!input.is_object()) {
            result.error = "The input for " + label + " must be a JSON object of its fields (" + field_names() +
                           "), not " + std::string(kind_name(input));
            return result;
        }
        json::object params = without_blanks(input.get_object());
        for (const auto& [key, value] : params) {
            if (!field_named(key)) {
                result.error = "Unknown field \"" + std::string(key) + "\" for " + label + "; its fields are " + field_names();
                return result;
            }
        }
        for (const Field& field : fields) {
            json::value* value = params.if_contains(field.name);
            if (!value) {
                if (field.required) result.error = field.name + " is required: " + describe_rule(field);
            } else {
                result.error = check_field(field, *value);
            }
            if (!result.error.empty()) return result;
        }
        result.error = broken_rule(rules, params);
        if (!result.error.empty()) return result;
        result.ok = true;
        result.params = std::move(params);
        return result;
    }
};

InputValidator::InputValidator(const NodeSpec& node) : impl_(std::make_unique<Impl>()) {
    fill_narrow_cache();
    impl_->label = node.display_name;
    impl_->add_part(node.inputs);
    impl_->add_part(node.options);
    impl_->rules = node.rules;
}

InputValidator::InputValidator(const json::object& schema, std::string label) : impl_(std::make_unique<Impl>()) {
    fill_narrow_cache();
    impl_->label = std::move(label);
    impl_->add_part(schema);
    impl_->add_schema_rules(schema);
}

InputValidator::~InputValidator() = default;

ValidatedInput InputValidator::validate(std::string_view input_json) const {
    ValidatedInput result;
    if (input_json.size() > kMaxInputBytes) {
        result.error = "The input for " + impl_->label + " is too large: " + std::to_string(input_json.size()) +
                       " bytes, at most " + std::to_string(kMaxInputBytes);
        return result;
    }
    json::parse_options options;
    options.max_depth = kMaxDepth;
    boost::system::error_code error;
    const json::value input = json::parse(input_json, error, {}, options);
    if (error) {
        result.error = "The input for " + impl_->label + " is not valid JSON (" + error.message() +
                       "); give one JSON object of its fields";
        return result;
    }
    return impl_->validate(input);
}

}  // namespace fd
