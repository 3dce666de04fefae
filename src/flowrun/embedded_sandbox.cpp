#include "flowrun/embedded_sandbox.hpp"

#include "sandbox/sandbox.hpp"

#include <boost/json/serialize.hpp>

#include <random>

namespace flowrun {
namespace json = boost::json;

namespace {

// A fresh key per sandbox: other local processes cannot use it.
std::string random_key() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device entropy;
    std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAlphabet) - 2);
    std::string key;
    for (int i = 0; i < 20; ++i)
        key += kAlphabet[pick(entropy)];
    return key;
}

}  // namespace

EmbeddedSandbox::EmbeddedSandbox() {
    fdsandbox::Config config;
    config.api_key = random_key();
    sandbox_ = std::make_unique<fdsandbox::Sandbox>(config);
    sandbox_->start();
    sandbox_->seed(fdsandbox::example_seed());
}

EmbeddedSandbox::~EmbeddedSandbox() {
    if (sandbox_) sandbox_->stop();
}

std::string EmbeddedSandbox::credentials_json() const {
    return json::serialize(json::object{{"domain", sandbox_->domain()},
                                        {"api_key", sandbox_->api_key()},
                                        {"base_url", sandbox_->base_url()},
                                        {"ca_file", sandbox_->ca_file().string()}});
}

std::string EmbeddedSandbox::base_url() const {
    return sandbox_->base_url();
}

}  // namespace flowrun
