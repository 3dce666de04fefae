// With no credentials at all, flowrun's commands use a Freshdesk sandbox started inside flowrun,
// so a test run never touches a real helpdesk by accident.
#pragma once

#include <memory>
#include <string>

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

}  // namespace flowrun
