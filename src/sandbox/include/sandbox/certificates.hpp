// The sandbox's own PKI, made in memory at start: a throw-away CA and a server certificate it
// signs, for the host names and IPs clients will use (SAN). Only the CA goes to disk, for
// clients to trust.
#pragma once

#include <string>
#include <vector>

namespace fdsandbox {

struct CertificateBundle {
    std::string ca_certificate_pem;
    std::string server_certificate_pem;
    std::string server_private_key_pem;
};

// ECDSA P-256 keys, SHA-256 signatures, valid from a day ago for a year. Each entry of
// `hosts` that parses as an IPv4/IPv6 address becomes an IP SAN, every other a DNS SAN.
// Throws std::runtime_error when OpenSSL fails.
CertificateBundle make_certificates(const std::vector<std::string>& hosts);

}  // namespace fdsandbox
