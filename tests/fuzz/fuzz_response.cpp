// libFuzzer target: the response side, raw bytes from the server to the envelope. The bytes go
// through the same Beast parser and limits as the transport, then through every node's
// success mapping or the error mapping. The first byte picks the node.
#include "core/input_validation.hpp"
#include "core/node_catalog.hpp"
#include "freshdesk/connection_settings.hpp"
#include "freshdesk/envelope_mapping.hpp"
#include "freshdesk/operation.hpp"
#include "freshdesk/response_reading.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>

namespace {

// A valid input per node, so the operation exists.
const char* sample_input(const std::string& id) {
    if (id == "freshdesk.contact.create") return R"({"Name":"N","Email":"a@example.com"})";
    if (id == "freshdesk.contact.get_many" || id == "freshdesk.ticket.get_many")
        return R"({"Status":2,"PerPage":40,"Page":2})";
    if (id == "freshdesk.contact.update") return R"({"ContactId":5,"Name":"N"})";
    if (id == "freshdesk.ticket.create") return R"({"Subject":"S","Description":"D","Email":"a@example.com"})";
    if (id == "freshdesk.ticket.update") return R"({"TicketId":5,"Status":3})";
    if (id.starts_with("freshdesk.contact")) return R"({"ContactId":5})";
    return R"({"TicketId":5})";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fd::NodeCatalog catalog;
    static const fd::freshdesk::ConnectionSettings settings =
        fd::freshdesk::ConnectionSettingsReader(catalog).read(R"({"domain":"acme","api_key":"fuzz-key"})").settings;
    if (size == 0) return 0;
    const fd::NodeSpec& node = catalog.nodes()[data[0] % catalog.nodes().size()];
    fd::InputValidator validator(node.inputs, node.options, node.display_name);
    const fd::ValidatedInput input = validator.validate(sample_input(node.id));
    std::unique_ptr<fd::freshdesk::Operation> operation = fd::freshdesk::make_operation(node, input.params);
    (void)operation->first_request();

    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(1u << 20);
    parser.header_limit(64u << 10);
    boost::system::error_code error;
    parser.put(boost::asio::buffer(data + 1, size - 1), error);
    if (!error && !parser.is_done()) parser.put_eof(error);
    if (error || !parser.is_done()) return 0;

    auto message = parser.release();
    fd::transport::HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message)
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    response.body = message.body();

    const fd::freshdesk::RunFacts facts{node, settings, *operation, 1};
    boost::json::object envelope;
    if (response.status >= 200 && response.status <= 299) {
        try {
            fd::freshdesk::Progress progress = operation->on_success(response);
            if (!progress.next) envelope = fd::freshdesk::success_envelope(facts, response.status, std::move(progress));
        } catch (const fd::freshdesk::MalformedAnswer& problem) {
            envelope = fd::freshdesk::malformed_envelope(facts, response.status, problem.what());
        }
    } else {
        envelope = fd::freshdesk::response_envelope(facts, response);
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
