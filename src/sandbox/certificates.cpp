#include "sandbox/certificates.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <memory>
#include <stdexcept>

namespace fdsandbox {
namespace {

template <auto Free>
struct OpenSslDeleter {
    template <class T>
    void operator()(T* pointer) const {
        Free(pointer);
    }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using CertificatePtr = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
    const unsigned long code = ERR_get_error();
    char detail[256] = "no OpenSSL error queued";
    if (code != 0) ERR_error_string_n(code, detail, sizeof detail);
    ERR_clear_error();
    throw std::runtime_error("sandbox certificates: " + what + ": " + detail);
}

void check(int result, const char* what) {
    if (result <= 0) fail(what);
}

KeyPtr make_p256_key() {
    KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) fail("generating a P-256 key");
    return key;
}

bool is_ip_address(const std::string& host) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    if (!extension) fail("building extension " + value);
    check(X509_add_ext(certificate, extension.get(), -1), "adding an extension");
}

// An unsigned certificate for `subject_key` with the given common name, issued by `issuer`
// (by itself when `issuer` is null).
CertificatePtr make_certificate(EVP_PKEY* subject_key, const std::string& common_name, X509* issuer) {
    CertificatePtr certificate(X509_new());
    if (!certificate) fail("allocating a certificate");
    check(X509_set_version(certificate.get(), 2), "setting the version");

    unsigned char serial_bytes[16];
    check(RAND_bytes(serial_bytes, sizeof serial_bytes), "drawing a serial number");
    serial_bytes[0] &= 0x7f;  // a positive serial
    std::unique_ptr<BIGNUM, OpenSslDeleter<BN_free>> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
    if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())))
        fail("setting the serial number");

    // Valid from yesterday (tolerates clock skew between processes) for a year.
    if (!X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -24L * 3600) ||
        !X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 365L * 24 * 3600))
        fail("setting the validity");

    X509_NAME* name = X509_get_subject_name(certificate.get());
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("Freshdesk sandbox"), -1, -1, 0),
          "setting the organisation");
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
          "setting the common name");
    X509* signer = issuer ? issuer : certificate.get();
    check(X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer)), "setting the issuer");
    check(X509_set_pubkey(certificate.get(), subject_key), "setting the public key");
    return certificate;
}

std::string to_pem(X509* certificate) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) fail("allocating a BIO");
    check(PEM_write_bio_X509(bio.get(), certificate), "writing a certificate as PEM");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string to_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) fail("allocating a BIO");
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "writing a key as PEM");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

CertificateBundle make_certificates(const std::vector<std::string>& hosts) {
    if (hosts.empty()) throw std::invalid_argument("sandbox certificates: no host names for the SAN");

    KeyPtr ca_key = make_p256_key();
    CertificatePtr ca = make_certificate(ca_key.get(), "Freshdesk sandbox local CA", nullptr);
    add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()), "signing the CA certificate");

    KeyPtr server_key = make_p256_key();
    CertificatePtr server = make_certificate(server_key.get(), hosts.front(), ca.get());
    std::string alternative_names;
    for (const std::string& host : hosts) {
        if (!alternative_names.empty()) alternative_names += ',';
        alternative_names += (is_ip_address(host) ? "IP:" : "DNS:") + host;
    }
    add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
    add_extension(server.get(), ca.get(), NID_subject_key_identifier, "hash");
    add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    add_extension(server.get(), ca.get(), NID_subject_alt_name, alternative_names);
    check(X509_sign(server.get(), ca_key.get(), EVP_sha256()), "signing the server certificate");

    return {to_pem(ca.get()), to_pem(server.get()), to_pem(server_key.get())};
}

}  // namespace fdsandbox
