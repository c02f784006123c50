#include "tests/testing/test_certificates.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fazhi::testing {
namespace {

namespace fs = std::filesystem;

// The openssl configuration both steps read: the CA's extensions, and a
// leaf's, with its subject alternative names.
std::string OpensslConfig(const std::string& sans) {
  std::ostringstream text;
  text << "[req]\n"
          "distinguished_name = dn\n"
          "prompt = no\n"
          "[dn]\n"
          "CN = replaced by -subj\n"
          "[ca]\n"
          "basicConstraints = critical,CA:TRUE\n"
          "keyUsage = critical,keyCertSign,cRLSign\n"
          "subjectKeyIdentifier = hash\n"
          "[leaf]\n"
          "basicConstraints = critical,CA:FALSE\n"
          "keyUsage = critical,digitalSignature,keyEncipherment\n"
          "extendedKeyUsage = serverAuth,clientAuth\n";
  if (!sans.empty()) text << "subjectAltName = " << sans << "\n";
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `openssl <args>` in `dir`; fails the test with its output if it fails.
void Openssl(const std::string& dir, const std::string& args) {
  const std::string log = dir + "/openssl.log";
  const std::string command = "cd '" + dir + "' && openssl " + args + " >'" + log + "' 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_EQ(status, 0) << "openssl " << args << " failed (is the openssl package installed?):\n"
                       << ReadText(log);
}

constexpr char kNewKey[] = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

}  // namespace

TestCa::TestCa(const std::string& dir, const std::string& name)
    : dir_(dir), cert_file_(dir + "/ca.crt"), key_file_(dir + "/ca.key") {
  fs::create_directories(dir_);
  WriteText(dir_ + "/ca.cnf", OpensslConfig(""));
  Openssl(dir_,
          std::string("req -x509 -new ") + kNewKey +
              " -keyout ca.key -out ca.crt -days 2 -config ca.cnf -extensions ca -subj '/CN=" +
              name + "'");
}

TestIdentity TestCa::Issue(const std::string& name, const std::string& sans) const {
  const std::string config = name + ".cnf";
  WriteText(dir_ + "/" + config, OpensslConfig(sans));
  Openssl(dir_, std::string("req -new ") + kNewKey + " -keyout " + name + ".key -out " + name +
                    ".csr -config " + config + " -subj '/CN=" + name + "'");
  Openssl(dir_, "x509 -req -in " + name + ".csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2" +
                    " -out " + name + ".crt -extfile " + config + " -extensions leaf");
  return {dir_ + "/" + name + ".crt", dir_ + "/" + name + ".key"};
}

void UpdateSecretVolume(const std::string& dir, const std::map<std::string, std::string>& files) {
  static std::atomic<int> generation{0};
  fs::create_directories(dir);
  const std::string version = "..v" + std::to_string(++generation);
  fs::create_directory(dir + "/" + version);
  for (const auto& [name, source] : files) {
    fs::copy_file(source, dir + "/" + version + "/" + name, fs::copy_options::overwrite_existing);
  }
  // The swap: a new link beside the old one, renamed over it in one step.
  std::error_code ignored;
  const fs::path data = dir + "/..data";
  const fs::path previous = fs::exists(data) ? fs::read_symlink(data) : fs::path();
  fs::remove(dir + "/..data_tmp", ignored);
  fs::create_directory_symlink(version, dir + "/..data_tmp");
  ASSERT_EQ(::rename((dir + "/..data_tmp").c_str(), data.c_str()), 0) << "rename in " << dir;
  for (const auto& [name, source] : files) {
    const fs::path link = dir + "/" + name;
    if (!fs::is_symlink(link)) fs::create_symlink(fs::path("..data") / name, link);
  }
  if (!previous.empty()) fs::remove_all(fs::path(dir) / previous, ignored);
}

}  // namespace fazhi::testing
