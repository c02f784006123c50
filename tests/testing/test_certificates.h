// Certificates made at test time with the openssl command-line tool (Debian's
// `openssl` package, in scripts/install-deps), and TLS files laid out the
// way the kubelet lays out a mounted Secret. Nothing here links the server
// code, so end-to-end tests can use it too.
#ifndef FAZHI_TESTS_TESTING_TEST_CERTIFICATES_H_
#define FAZHI_TESTS_TESTING_TEST_CERTIFICATES_H_

#include <map>
#include <string>

namespace fazhi::testing {

// A certificate and its private key, as PEM files.
struct TestIdentity {
  std::string cert_file;
  std::string key_file;
};

// A certificate authority of its own: an EC P-256 key and a self-signed CA
// certificate valid for two days, in a directory of its own. Failures of the
// openssl tool fail the test with its output.
class TestCa {
 public:
  // Makes the CA in `dir` (created if missing) with the common name `name`.
  TestCa(const std::string& dir, const std::string& name);

  // The CA certificate (what clients and servers are told to trust).
  const std::string& cert_file() const { return cert_file_; }

  // Issues a leaf certificate good for both server and client
  // authentication, with subject alternative names `sans` in openssl's
  // syntax ("DNS:localhost,IP:127.0.0.1"), as <dir>/<name>.crt and .key.
  TestIdentity Issue(const std::string& name, const std::string& sans) const;

 private:
  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
};

// The names cert-manager gives a TLS Secret's keys, which the manifests use.
inline constexpr char kSecretCert[] = "tls.crt";
inline constexpr char kSecretKey[] = "tls.key";
inline constexpr char kSecretCa[] = "ca.crt";

// Puts `files` (name in the Secret -> path of the file to copy) into `dir`
// as the kubelet does for a Secret volume: the contents go into a fresh
// directory `dir/..<n>`, the symlink `dir/..data` is pointed at it by an
// atomic rename, and each `dir/<name>` is a symlink to `..data/<name>`. So a
// reader sees either every old file or every new one. The first call lays
// the directory out; each later call is a rotation.
void UpdateSecretVolume(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace fazhi::testing

#endif  // FAZHI_TESTS_TESTING_TEST_CERTIFICATES_H_
