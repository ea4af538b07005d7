#pragma once

/// @file
/// @brief A self-signed test certificate for 127.0.0.1 (valid 2000-2100) and its key, written to
/// temporary files for a TLS loopback server. Test-only material: it protects nothing.

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace roserocket::curl_test {

// EC P-256; subjectAltName IP:127.0.0.1 only, so "localhost" does not match it.
inline constexpr const char* kTestCertificatePem = R"(-----BEGIN CERTIFICATE-----
MIIBcTCCARigAwIBAgIBATAKBggqhkjOPQQDAjAfMR0wGwYDVQQDDBRyb3Nlcm9j
a2V0LWN1cmwtdGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFow
HzEdMBsGA1UEAwwUcm9zZXJvY2tldC1jdXJsLXRlc3QwWTATBgcqhkjOPQIBBggq
hkjOPQMBBwNCAARh5kt7JRBDyMWqc1fDra+c5NCFf5bJ8vGiqVizJQujWv2fXU9t
uLRYoxaATEz+UJa0HEzVi5i1LMWzTNzoDXQIo0MwQTAPBgNVHREECDAGhwR/AAAB
MA8GA1UdEwEB/wQFMAMBAf8wHQYDVR0OBBYEFIbZC5lQR3qffIfOsXU3TAInpaJI
MAoGCCqGSM49BAMCA0cAMEQCIFWn7ju3gmE1xHXG52JvpqoJ2T0V6fd7Rhk3hVi/
gsNJAiB9ld7Y//PsW7OmGk7k5/PTBZEYPcydORH8fprke4Dkzg==
-----END CERTIFICATE-----
)";

inline constexpr const char* kTestPrivateKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWfaojfC7BH0vZNy1
2513IXQ07olAP6oqAyK9BliJWuuhRANCAARh5kt7JRBDyMWqc1fDra+c5NCFf5bJ
8vGiqVizJQujWv2fXU9tuLRYoxaATEz+UJa0HEzVi5i1LMWzTNzoDXQI
-----END PRIVATE KEY-----
)";

/// @brief The test certificate and key as files in a fresh temporary directory, removed again
/// on destruction.
class TestTlsFiles {
 public:
  TestTlsFiles() {
    std::string pattern = "/tmp/rr-curl-tls-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    write(cert_path(), kTestCertificatePem);
    write(key_path(), kTestPrivateKeyPem);
  }
  TestTlsFiles(const TestTlsFiles&) = delete;
  TestTlsFiles& operator=(const TestTlsFiles&) = delete;
  ~TestTlsFiles() {
    ::unlink(cert_path().c_str());
    ::unlink(key_path().c_str());
    ::rmdir(dir_.c_str());
  }

  [[nodiscard]] std::string cert_path() const { return dir_ + "/cert.pem"; }
  [[nodiscard]] std::string key_path() const { return dir_ + "/key.pem"; }

 private:
  static void write(const std::string& path, const char* text) {
    std::ofstream out(path);
    out << text;
    if (!out)
      throw std::runtime_error("could not write " + path);
  }

  std::string dir_;
};

}  // namespace roserocket::curl_test
