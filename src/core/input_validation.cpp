#include "core/input_validation.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <locale>
#include <sstream>

namespace fd {
namespace json = boost::json;

namespace {

// Deeper input is refused while parsing (AdditionalFields is the only free-form field).
constexpr std::size_t kMaxDepth = 16;
constexpr std::size_t kShownStringLength = 60;

struct Field {
    std::string name;
    json::object schema;
    bool required = false;
    bool secret = false;
    std::unique_ptr<valijson::Schema> compiled;
};

// A root rule such as "at least one of A, B, C": an anyOf of required lists with its text.
struct RequireAnyRule {
    std::vector<std::string> names;
    std::string text;
};

std::unique_ptr<valijson::Schema> compile(const json::value& schema) {
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

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

std::int64_t int_at(const json::object& schema, std::string_view key, std::int64_t fallback) {
    const json::value* value = schema.if_contains(key);
    return value && value->is_int64() ? value->get_int64() : fallback;
}

bool has_type(const json::object& schema, std::string_view type) {
    const json::value* value = schema.if_contains("type");
    if (!value) return false;
    if (value->is_string()) return value->get_string() == type;
    if (value->is_array()) {
        for (const json::value& item : value->get_array()) {
            if (item.is_string() && item.get_string() == type) return true;
        }
    }
    return false;
}

// The rule of a field in words, from its schema: "an integer from 1 to 100".
std::string describe_rule(const json::object& schema) {
    if (const json::value* rule = schema.if_contains("x-rule")) return std::string(rule->as_string());
    if (const json::value* choices = schema.if_contains("oneOf")) {
        std::string out = "one of ";
        bool first = true;
        for (const json::value& choice : choices->as_array()) {
            const json::object& option = choice.as_object();
            if (!first) out += ", ";
            first = false;
            out += json::serialize(option.at("const"));
            if (const json::value* title = option.if_contains("title")) {
                out += " (" + std::string(title->as_string()) + ")";
            }
        }
        return out;
    }
    if (has_type(schema, "integer")) {
        const std::int64_t low = int_at(schema, "minimum", std::numeric_limits<std::int64_t>::min());
        const std::int64_t high = int_at(schema, "maximum", std::numeric_limits<std::int64_t>::max());
        if (schema.contains("minimum") && schema.contains("maximum")) {
            return "an integer from " + std::to_string(low) + " to " + std::to_string(high);
        }
        if (schema.contains("minimum")) return "an integer of at least " + std::to_string(low);
        return "an integer";
    }
    if (has_type(schema, "string")) {
        std::string out = int_at(schema, "minLength", 0) > 0 ? "non-empty text" : "text";
        if (schema.contains("maxLength")) {
            out += " of at most " + std::to_string(int_at(schema, "maxLength", 0)) + " characters";
        }
        return out;
    }
    if (has_type(schema, "object")) {
        std::string out = "an object of fields and values";
        if (schema.contains("maxProperties")) {
            out += " (at most " + std::to_string(int_at(schema, "maxProperties", 0)) + " fields)";
        }
        return out;
    }
    if (has_type(schema, "boolean")) return "true or false";
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

// An id given as an integer or as a string of digits, as a positive int64; 0 when it is not.
std::int64_t positive_id(const json::value& value) {
    if (value.is_int64()) return value.get_int64() > 0 ? value.get_int64() : 0;
    if (!value.is_string()) return 0;
    const json::string& digits = value.get_string();
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (error != std::errc() || end != digits.data() + digits.size() || id <= 0) return 0;
    return id;
}

bool only_whitespace(const json::string& text) {
    return text.find_first_not_of(" \t\r\n\f\v") == json::string::npos;
}

// 10.0 is an integer to JSON Schema (draft-07) as much as 10 is; exact up to 2^53.
bool integral_double(const json::value& value) {
    if (!value.is_double()) return false;
    const double number = value.get_double();
    return std::trunc(number) == number && std::fabs(number) <= 9007199254740992.0;
}

// libstdc++'s ctype<char>::narrow fills a cache on first use of each character, unguarded;
// valijson compiles its patterns (std::regex) during validation, on many threads at once.
// Filling the cache here, while the plugin initialises on one thread, leaves only reads.
void fill_narrow_cache() {
    const auto& ctype = std::use_facet<std::ctype<char>>(std::locale());
    for (int c = 0; c < 256; ++c)
        (void)ctype.narrow(static_cast<char>(c), '\0');
}

json::object without_schema_keyword(json::object schema) {
    schema.erase("$schema");
    return schema;
}

}  // namespace

struct InputValidator::Impl {
    std::string label;
    std::vector<Field> fields;
    std::vector<RequireAnyRule> rules;
    json::value merged_schema;
    std::unique_ptr<valijson::Schema> merged;

    void add_part(const json::object& part) {
        const json::value* required = part.if_contains("required");
        if (const json::value* properties = part.if_contains("properties")) {
            for (const auto& [name, schema] : properties->as_object()) {
                Field field;
                field.name = std::string(name);
                field.schema = schema.as_object();
                field.secret = field.schema.contains("x-secret");
                if (required) {
                    for (const json::value& item : required->as_array()) {
                        if (item.as_string() == name) field.required = true;
                    }
                }
                field.compiled = compile(field.schema);
                fields.push_back(std::move(field));
            }
        }
        if (const json::value* any_of = part.if_contains("anyOf")) {
            RequireAnyRule rule;
            for (const json::value& branch : any_of->as_array()) {
                for (const json::value& name : branch.as_object().at("required").as_array()) {
                    rule.names.emplace_back(name.as_string());
                }
            }
            const json::value* text = part.if_contains("x-rule");
            rule.text = text ? std::string(text->as_string()) : "At least one of " + join(rule.names) + " is required";
            rules.push_back(std::move(rule));
        }
    }

    void build(const std::vector<const json::object*>& parts) {
        fill_narrow_cache();
        json::array all_of;
        json::object names;
        for (const json::object* part : parts) {
            add_part(*part);
            all_of.push_back(without_schema_keyword(*part));
        }
        for (const Field& field : fields)
            names[field.name] = json::object();
        merged_schema = json::object{{"type", "object"},
                                     {"allOf", std::move(all_of)},
                                     {"properties", std::move(names)},
                                     {"additionalProperties", false}};
        merged = compile(merged_schema);
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
        if (field.schema.contains("x-id") && value.is_string() && !value.get_string().empty() &&
            value.get_string().find_first_not_of("0123456789") == json::string::npos) {
            return field.name + " is too large for an id: at most 9223372036854775807; got " +
                   describe_value(value, false);
        }
        return field.name + " must be " + describe_rule(field.schema) + "; got " + describe_value(value, field.secret);
    }

    // Drops what a form leaves blank: null anywhere, and "", text of only spaces and {} for
    // fields that are not required (an update then keeps the stored value). Whole numbers
    // written as 10.0 become integers.
    json::object without_blanks(const json::object& input) const {
        json::object out;
        for (const auto& [key, value] : input) {
            if (value.is_null()) continue;
            const bool blank = (value.is_string() && only_whitespace(value.get_string())) ||
                               (value.is_object() && value.get_object().empty());
            const Field* field = field_named(key);
            if (blank && field && !field->required) continue;
            if (field && integral_double(value) && has_type(field->schema, "integer")) {
                out[key] = static_cast<std::int64_t>(value.get_double());
                continue;
            }
            out[key] = value;
        }
        return out;
    }

    // Checks a too-long string before valijson's regular expressions ever see it.
    std::string length_error(const json::object& input) const {
        for (const Field& field : fields) {
            const json::value* value = input.if_contains(field.name);
            if (!value || !value->is_string() || !field.schema.contains("maxLength")) continue;
            if (static_cast<std::int64_t>(value->get_string().size()) > int_at(field.schema, "maxLength", 0)) {
                return field_error(field, *value);
            }
        }
        return {};
    }

    // Why the input failed the merged schema, in the words of the field that failed.
    std::string explain(const json::object& input) const {
        for (const auto& [key, value] : input) {
            if (!field_named(key)) {
                return "Unknown field \"" + std::string(key) + "\" for " + label + "; its fields are " + field_names();
            }
        }
        for (const Field& field : fields) {
            const json::value* value = input.if_contains(field.name);
            if (!value) {
                if (field.required) return field.name + " is required: " + describe_rule(field.schema);
            } else if (!conforms(*field.compiled, *value)) {
                return field_error(field, *value);
            }
        }
        for (const RequireAnyRule& rule : rules) {
            bool any = false;
            for (const std::string& name : rule.names)
                any = any || input.contains(name);
            if (!any) return rule.text;
        }
        valijson::ValidationResults results;
        valijson::adapters::BoostJsonAdapter adapter(input);
        valijson::Validator(valijson::Validator::kStrongTypes).validate(*merged, adapter, &results);
        valijson::ValidationResults::Error error;
        if (results.popError(error)) return "The input for " + label + " is invalid: " + error.description;
        return "The input for " + label + " is invalid";
    }

    // The rules no schema keyword says: ids within int64, no NUL anywhere.
    std::string normalise(json::object& params) const {
        for (const Field& field : fields) {
            json::value* value = params.if_contains(field.name);
            if (!value) continue;
            if (field.schema.contains("x-id")) {
                const std::int64_t id = positive_id(*value);
                if (id == 0) return field_error(field, *value);
                *value = id;
            }
            if (contains_nul(*value)) return field.name + " must not contain NUL characters";
            // Only required fields get here blank: Freshdesk would refuse them after a round trip.
            if (value->is_string() && only_whitespace(value->get_string())) {
                return field.name + " must not be empty or only spaces";
            }
        }
        return {};
    }

    ValidatedInput validate(const json::value& input) const {
        ValidatedInput result;
        if (!input.is_object()) {
            result.error = "The input for " + label + " must be a JSON object of its fields (" + field_names() +
                           "), not " + std::string(kind_name(input));
            return result;
        }
        json::object params = without_blanks(input.get_object());
        result.error = length_error(params);
        if (!result.error.empty()) return result;
        if (!conforms(*merged, params)) {
            result.error = explain(params);
            return result;
        }
        result.error = normalise(params);
        if (!result.error.empty()) return result;
        result.ok = true;
        result.params = std::move(params);
        return result;
    }
};

InputValidator::InputValidator(const json::object& inputs_schema, const json::object& options_schema, std::string label)
    : impl_(std::make_unique<Impl>()) {
    impl_->label = std::move(label);
    impl_->build({&inputs_schema, &options_schema});
}

InputValidator::InputValidator(const json::object& schema, std::string label) : impl_(std::make_unique<Impl>()) {
    impl_->label = std::move(label);
    impl_->build({&schema});
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
