// With no credentials at all, invoke and run use a Freshdesk sandbox started inside flowrun,
// so a test run never touches a real helpdesk by accident.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace fdsandbox {
class Sandbox;
}

namespace flowrun {

class EmbeddedSandbox {
  public:
    EmbeddedSandbox();  // starts it on an ephemeral loopback port, with a few seeded objects
    ~EmbeddedSandbox();

    std::string credentials_json() const;  // domain, api_key, base_url, ca_file
    std::string base_url() const;

  private:
    std::unique_ptr<fdsandbox::Sandbox> sandbox_;
};

// The credentials JSON for a run: --credentials FILE, else FRESHDESK_*, else an embedded
// sandbox (started into `sandbox`, announced on stderr). Throws std::runtime_error for an
// unreadable credentials file.
// Fields the plugin's credentials schema (`schema_text`) does not declare are dropped.
std::string credentials_for_run(const std::string& credentials_file, std::string_view schema_text,
                                std::unique_ptr<EmbeddedSandbox>& sandbox);

}  // namespace flowrun
