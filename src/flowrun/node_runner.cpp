#include "flowrun/node_runner.hpp"

#include "flowrun/credentials.hpp"
#include "flowrun/input_text.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace flowrun {
namespace json = boost::json;

NodeRunner::NodeRunner(const PluginHost& host, const std::string& credentials_file, bool quiet) : host_(host) {
    if (std::optional<GivenCredentials> given = resolve_credentials(credentials_file)) {
        given_ = std::move(given->fields);
        from_environment_ = given->from_environment;
        return;
    }
    sandbox_ = std::make_unique<EmbeddedSandbox>();
    if (quiet) return;
    std::cerr << "flowrun: no credentials given (--credentials FILE or FRESHDESK_DOMAIN/FRESHDESK_API_KEY): "
                 "running against the embedded Freshdesk sandbox at "
              << sandbox_->base_url() << "; nothing reaches a real Freshdesk\n";
}

const std::string& NodeRunner::credentials_for(const NodeRef& node) {
    const std::string_view schema = node.credentials_schema();
    auto found = by_schema_.find(schema);
    if (found == by_schema_.end()) {
        const std::string text =
            given_ ? json::serialize(keep_declared_fields(*given_, schema)) : sandbox_->credentials_json();
        found = by_schema_.emplace(std::string(schema), text).first;
    }
    return found->second;
}

bool NodeRunner::run(const std::string& node_id, const std::string& input_json, std::string& envelope,
                     std::string& error, const wfp::Plugin::Progress& progress) {
    const NodeRef node = host_.find(node_id);
    if (!node.descriptor) {
        error = "unknown node \"" + node_id + "\" (see flowrun nodes)";
        return false;
    }
    // One call at a time, on this thread (ABI 1.2 run_here; invoke() for an older plugin).
    if (!node.plugin->library->invoke_here(node_id, input_json, credentials_for(node), envelope, error, progress)) {
        return false;
    }
    if (!from_environment_) return true;
    std::string ignored;
    std::optional<json::value> parsed = parse_json(envelope, ignored);
    json::value* message = parsed && parsed->is_object() ? parsed->get_object().if_contains("ErrorMessage") : nullptr;
    if (message && message->is_string() && !message->get_string().empty()) {
        *message = name_environment_variables(std::string(message->get_string()));
        envelope = json::serialize(*parsed);
    }
    return true;
}

}  // namespace flowrun
