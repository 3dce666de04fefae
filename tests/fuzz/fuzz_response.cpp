// libFuzzer target: the response side, raw bytes from the server to the envelope. The bytes go
// through the same Beast parser and limits as the transport, then through every node's
// success mapping or the error mapping. The first byte picks the node.
#include "core/input_validation.hpp"
#include "core/node_catalog.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/node_mapping.hpp"
#include "freshdesk/operation.hpp"
#include "freshdesk/response_reading.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <optional>

namespace {

struct Setup {
    fd::NodeCatalog catalog{fd::embedded_node_files()};
    fd::freshdesk::NodeMappings mappings{catalog};
    // Each record's first example, validated once.
    std::vector<fd::ValidatedInput> examples = [this] {
        std::vector<fd::ValidatedInput> out;
        for (const fd::NodeSpec& node : catalog.nodes())
            out.push_back(fd::InputValidator(node).validate(boost::json::serialize(node.examples.at(0))));
        return out;
    }();
    fd::freshdesk::ConnectionSettings settings =
        *fd::freshdesk::ConnectionSettingsReader(catalog).read(R"({"domain":"acme","api_key":"fuzz-key"})").settings;
};

// An answer from the fuzzer's bytes: an HTTP response Beast can read, or nullopt.
std::optional<fd::transport::HttpResponse> parse_response(const std::uint8_t* data, std::size_t size) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(1u << 20);
    parser.header_limit(64u << 10);
    boost::system::error_code error;
    parser.put(boost::asio::buffer(data, size), error);
    if (!error && !parser.is_done()) parser.put_eof(error);
    if (error || !parser.is_done()) return std::nullopt;
    auto message = parser.release();
    fd::transport::HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message)
        response.headers.add(field.name_string(), field.value());
    response.body = message.body();
    return response;
}

}  // namespace

// The first answer of every node's own example run (each record's first example, which the
// validator must accept), taken from the fuzzer: whatever it is, the envelope comes out whole
// and without the key.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Setup setup;
    if (size == 0) return 0;
    const std::size_t index = data[0] % setup.catalog.nodes().size();
    const fd::NodeSpec& node = setup.catalog.nodes()[index];
    const fd::ValidatedInput& input = setup.examples[index];
    if (!input.ok) __builtin_trap();  // a record's example is valid input
    std::unique_ptr<fd::freshdesk::Operation> operation =
        fd::freshdesk::make_operation(node, setup.mappings.of(node), input.params);
    const fd::freshdesk::Step first = operation->first_step();
    if (!first.next) return 0;
    const std::optional<fd::transport::HttpResponse> response = parse_response(data + 1, size - 1);
    if (!response) return 0;

    const fd::freshdesk::RunFacts facts{node, setup.settings, *operation, 1, first.next->method};
    boost::json::object envelope;
    try {
        const bool success = response->status >= 200 && response->status <= 299;
        std::optional<fd::freshdesk::Step> step =
            success ? operation->on_success(*response) : operation->on_refusal(*response);
        if (!step) {
            envelope = fd::freshdesk::response_envelope(facts, *response);
        } else if (!step->next && step->invalid_input.empty()) {
            envelope = fd::freshdesk::success_envelope(facts, response->status, std::move(*step));
        }
    } catch (const fd::freshdesk::MalformedAnswer& problem) {
        envelope = fd::freshdesk::malformed_envelope(facts, response->status, problem.what());
    }
    if (!envelope.empty()) {
        const std::string text = boost::json::serialize(envelope);
        if (text.find("fuzz-key") != std::string::npos) __builtin_trap();
        for (const auto& [key, value] : node.outputs.at("properties").as_object()) {
            if (!envelope.contains(key)) __builtin_trap();  // every output key, always
        }
    }
    return 0;
}
