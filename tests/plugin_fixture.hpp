// The plugin as a host sees it, for the suites that run it against the sandbox: the library
// loaded once with dlopen, a synchronous invoke with timing, and credentials for a sandbox.
#pragma once

#include "plugin_folder.hpp"
#include "sandbox/sandbox.hpp"
#include "wfp_host.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>

namespace fdtest {

// Guards what the suites collect for the secrets scan: invoke() may run on many threads.
inline std::mutex& envelopes_mutex() {
    static std::mutex mutex;
    return mutex;
}

// Every log line the plugin sends its host (for the secrets scan).
inline std::vector<std::string>& plugin_log() {
    static std::vector<std::string> lines;
    return lines;
}

inline wfp::Plugin& plugin() {
    static std::unique_ptr<wfp::Plugin> instance = [] {
        const std::string dir = plugin_dir();
        std::string error;
        auto loaded = wfp::Plugin::load(plugin_library(), error);
        wfp_host_api host = wfp::Plugin::default_host();
        host.log = [](void*, wfp_log_level, wfp_str message) {
            std::lock_guard lock(envelopes_mutex());
            plugin_log().emplace_back(wfp::view(message));
        };
        if (!loaded || !loaded->init(host, dir, error)) throw std::runtime_error(error);
        return loaded;
    }();
    return *instance;
}

// A started sandbox with its own key; each suite keeps one for its whole run. rate_budget 0: the
// sandbox's default rate limit.
inline std::unique_ptr<fdsandbox::Sandbox> started_sandbox(const std::string& api_key, std::int64_t rate_budget = 0) {
    fdsandbox::Config config;
    config.api_key = api_key;
    if (rate_budget > 0) config.rate_limit_budget = rate_budget;
    auto sandbox = std::make_unique<fdsandbox::Sandbox>(config);
    sandbox->start();
    return sandbox;
}

// The sandbox's default seed, which every node's examples rely on.
inline void seed_default(fdsandbox::Sandbox& sandbox) {
    sandbox.reset();
    sandbox.seed(fdsandbox::example_seed());
}

inline boost::json::object credentials_for(const fdsandbox::Sandbox& sandbox, std::int64_t timeout_ms = 10000) {
    return boost::json::object{{"domain", sandbox.domain()},
                               {"api_key", sandbox.api_key()},
                               {"base_url", sandbox.base_url()},
                               {"ca_file", sandbox.ca_file().string()},
                               {"timeout_ms", timeout_ms}};
}

struct Invocation {
    std::string text;  // the envelope as the host received it
    boost::json::object envelope;
    std::chrono::milliseconds took{};
    int status_code() const { return static_cast<int>(envelope.at("StatusCode").as_int64()); }
    int original() const { return static_cast<int>(envelope.at("OriginalStatusCode").as_int64()); }
    std::string message() const { return std::string(envelope.at("ErrorMessage").as_string()); }
};

// Every envelope any suite received (for the secrets scan).
inline std::vector<std::string>& envelopes_seen() {
    static std::vector<std::string> texts;
    return texts;
}

inline Invocation invoke(const std::string& node, const std::string& input, const std::string& credentials_json) {
    std::string envelope;
    std::string error;
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(plugin().invoke(node, input, credentials_json, envelope, error)) << error;
    Invocation result;
    result.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    result.text = envelope;
    result.envelope = boost::json::parse(envelope).as_object();
    std::lock_guard lock(envelopes_mutex());
    envelopes_seen().push_back(envelope);
    return result;
}

inline Invocation invoke(const std::string& node, const std::string& input, const boost::json::object& credentials) {
    return invoke(node, input, boost::json::serialize(credentials));
}

}  // namespace fdtest
