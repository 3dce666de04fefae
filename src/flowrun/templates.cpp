#include "flowrun/templates.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace flowrun {
namespace json = boost::json;

namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

std::string trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    return std::string(text);
}

// Calls `on_reference(reference, begin, end)` for each {{...}} in `text`; returns false when a
// "{{" is not closed.
template <class Visit>
bool scan(std::string_view text, Visit on_reference) {
    for (std::size_t at = text.find(kOpen); at != std::string_view::npos; at = text.find(kOpen, at)) {
        const std::size_t close = text.find(kClose, at + kOpen.size());
        if (close == std::string_view::npos) return false;
        on_reference(trimmed(text.substr(at + kOpen.size(), close - at - kOpen.size())), at, close + kClose.size());
        at = close + kClose.size();
    }
    return true;
}

void collect(const json::value& value, std::vector<std::string>& out) {
    if (value.is_string()) {
        const std::vector<std::string> found = scan_template(value.get_string()).references;
        out.insert(out.end(), found.begin(), found.end());
    } else if (value.is_array()) {
        for (const json::value& item : value.get_array())
            collect(item, out);
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.get_object())
            collect(item, out);
    }
}

std::string as_text(const json::value* value) {
    if (!value || value->is_null()) return "";
    return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
}

}  // namespace

TemplateScan scan_template(std::string_view text) {
    TemplateScan result;
    result.unclosed = !scan(
        text, [&](const std::string& reference, std::size_t, std::size_t) { result.references.push_back(reference); });
    return result;
}

std::vector<std::string> references_in(const json::value& value) {
    std::vector<std::string> out;
    collect(value, out);
    return out;
}

const json::value* lookup(const std::string& reference, const Outputs& outputs) {
    std::string_view rest = reference;
    const std::size_t dot = rest.find('.');
    const json::value* current = outputs.if_contains(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    while (current && !rest.empty()) {
        const std::size_t next = rest.find('.');
        const std::string_view part = rest.substr(0, next);
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
        if (current->is_object()) {
            current = current->get_object().if_contains(part);
        } else if (current->is_array()) {
            std::size_t index = 0;
            const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), index);
            const json::array& items = current->get_array();
            current = error == std::errc() && end == part.data() + part.size() && index < items.size() ? &items[index]
                                                                                                       : nullptr;
        } else {
            current = nullptr;
        }
    }
    return current;
}

json::value render(const json::value& value, const Outputs& outputs) {
    if (value.is_array()) {
        json::array out;
        for (const json::value& item : value.get_array())
            out.push_back(render(item, outputs));
        return out;
    }
    if (value.is_object()) {
        json::object out;
        for (const auto& [key, item] : value.get_object())
            out[key] = render(item, outputs);
        return out;
    }
    if (!value.is_string()) return value;
    const std::string_view text = value.get_string();
    std::string out;
    std::size_t copied = 0;
    bool whole = false;
    const json::value* whole_value = nullptr;
    scan(text, [&](const std::string& reference, std::size_t begin, std::size_t end) {
        const json::value* found = lookup(reference, outputs);
        if (begin == 0 && end == text.size()) {
            whole = true;
            whole_value = found;
        }
        out.append(text.substr(copied, begin - copied));
        out += as_text(found);
        copied = end;
    });
    if (whole) return whole_value ? *whole_value : json::value(nullptr);
    out.append(text.substr(copied));
    return json::string(out);
}

}  // namespace flowrun
