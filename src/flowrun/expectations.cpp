#include "flowrun/expectations.hpp"

#include <boost/json/serialize.hpp>

namespace flowrun {
namespace json = boost::json;

namespace {

// JSON equality where 2, 2u and 2.0 are the same number, as they are in the JSON text.
bool same_json(const json::value& a, const json::value& b) {
    // Boost.JSON already equates int64 and uint64; a double is compared by value here.
    if (a.is_number() && b.is_number()) {
        return a.is_double() || b.is_double() ? a.to_number<double>() == b.to_number<double>() : a == b;
    }
    if (a.kind() != b.kind()) return false;
    if (a.is_array()) {
        const json::array &x = a.get_array(), &y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (!same_json(x[i], y[i])) return false;
        }
        return true;
    }
    if (a.is_object()) {
        const json::object &x = a.get_object(), &y = b.get_object();
        if (x.size() != y.size()) return false;
        for (const auto& [key, value] : x) {
            const json::value* other = y.if_contains(key);
            if (!other || !same_json(value, *other)) return false;
        }
        return true;
    }
    return a == b;
}

}  // namespace

std::string UnmetExpectation::describe() const {
    return "expected " + path + " = " + json::serialize(expected) + ", got " +
           (got ? json::serialize(*got) : std::string("nothing (no such output)"));
}

std::vector<UnmetExpectation> unmet_expectations(const json::object& expect, const json::value& envelope,
                                                 const Outputs& outputs) {
    std::vector<UnmetExpectation> unmet;
    const Outputs self{{"self", envelope}};
    for (const auto& [path, wanted] : expect) {
        const json::value expected = render(wanted, outputs);
        const json::value* got = lookup("self." + std::string(path), self);
        if (!got || !same_json(*got, expected)) {
            unmet.push_back({std::string(path), expected, got ? std::optional<json::value>(*got) : std::nullopt});
        }
    }
    return unmet;
}

bool expectations_decide(const json::object& expect) {
    return expect.contains("StatusCode") || expect.contains("OriginalStatusCode") || expect.contains("ErrorMessage");
}

}  // namespace flowrun
