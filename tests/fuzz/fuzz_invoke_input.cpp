// libFuzzer target: the invoke input, JSON to envelope, with no I/O. The first byte picks the
// node; the rest is the node's input, validated, normalised and turned into its first request
// (or the -1 envelope). A second part after a NUL byte is read as credentials.
#include "core/envelope.hpp"
#include "core/input_validation.hpp"
#include "core/node_catalog.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/node_mapping.hpp"
#include "freshdesk/operation.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string_view>

namespace {

struct Setup {
    fd::NodeCatalog catalog{fd::embedded_node_files()};
    fd::freshdesk::NodeMappings mappings{catalog};
    std::map<const fd::NodeSpec*, std::unique_ptr<fd::InputValidator>> validators;
    std::unique_ptr<fd::freshdesk::ConnectionSettingsReader> settings;
    Setup() {
        for (const fd::NodeSpec& node : catalog.nodes())
            validators.emplace(&node, std::make_unique<fd::InputValidator>(node));
        settings = std::make_unique<fd::freshdesk::ConnectionSettingsReader>(catalog);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Setup setup;
    if (size == 0) return 0;
    const fd::NodeSpec& node = setup.catalog.nodes()[data[0] % setup.catalog.nodes().size()];
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string_view credentials;
    if (const std::size_t split = rest.find('\0'); split != std::string_view::npos) {
        credentials = rest.substr(split + 1);
        rest = rest.substr(0, split);
    }
    const fd::ValidatedInput input = setup.validators.at(&node)->validate(rest);
    if (!input.ok) {
        if (input.error.empty()) __builtin_trap();  // a refusal always says why
        (void)boost::json::serialize(fd::status_envelope(node, fd::kStatusInvalidInput, 0, input.error));
    } else {
        // Building the request (multipart too, when files are attached) never throws, and a
        // request line or header can never be injected: the target is clean.
        const fd::freshdesk::Step step =
            fd::freshdesk::make_operation(node, setup.mappings.of(node), input.params)->first_step();
        if (step.next) {
            for (char c : step.next->target) {
                if (c == '\r' || c == '\n' || c == '\0' || c == ' ') __builtin_trap();
            }
        } else if (step.invalid_input.empty()) {
            __builtin_trap();  // either a request or a reason
        }
    }
    if (!credentials.empty()) {
        const fd::freshdesk::SettingsResult settings = setup.settings->read(credentials);
        if (settings.ok) {
            const fd::transport::Endpoint& endpoint = settings.settings->endpoint;
            for (const std::string* part : {&endpoint.host, &endpoint.host_header, &endpoint.base_path}) {
                for (char c : *part) {
                    if (c == '\r' || c == '\n' || c == '\0' || c == ' ') __builtin_trap();
                }
            }
            // '@' is a legal path character; in the host it would mean userinfo slipped through.
            if (endpoint.host.find('@') != std::string::npos || endpoint.host_header.find('@') != std::string::npos) {
                __builtin_trap();
            }
            // Without a base_url the key only ever goes to {label}.freshdesk.com.
            const boost::json::value parsed = boost::json::parse(credentials);
            if (!parsed.as_object().contains("base_url") &&
                endpoint.host != settings.settings->domain + ".freshdesk.com") {
                __builtin_trap();
            }
        }
    }
    return 0;
}
