// Runs nodes of the loaded plugins with one set of credentials, the same way for every command:
// --credentials FILE, else FRESHDESK_*, else an embedded sandbox started for this runner.
#pragma once

#include "flowrun/embedded_sandbox.hpp"
#include "flowrun/plugin_host.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace flowrun {

class NodeRunner {
  public:
    // Throws CredentialsError for a credentials file that cannot be used, and what starting the
    // embedded sandbox may throw. Starting the
    // embedded sandbox is said on stderr unless `quiet`.
    NodeRunner(const PluginHost& host, const std::string& credentials_file, bool quiet);

    // Runs a node of the host and sets `envelope` to its JSON envelope; false with `error` when
    // the node does not exist or the run could not be started.
    bool run(const std::string& node_id, const std::string& input_json, std::string& envelope, std::string& error,
             const wfp::Plugin::Progress& progress = {});

    bool uses_embedded_sandbox() const { return sandbox_ != nullptr; }

  private:
    const std::string& credentials_for(const NodeRef& node);

    const PluginHost& host_;
    std::optional<boost::json::object> given_;  // nullopt: the embedded sandbox's
    bool from_environment_ = false;
    std::unique_ptr<EmbeddedSandbox> sandbox_;
    // The credentials text per credentials schema: undeclared fields dropped once, not per call.
    std::map<std::string, std::string, std::less<>> by_schema_;
};

}  // namespace flowrun
