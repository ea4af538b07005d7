#pragma once

// A throw-away PostgreSQL server for the PostgreSQL store's tests: a cluster made by initdb in a
// temporary folder, listening only on a unix socket in that folder (no TCP port to collide on),
// stopped and removed when the object goes. PostgreSQL refuses to run as root: as root (CI) the
// server programs run as the `postgres` user that Debian's package creates, through runuser.

#include <pwd.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/text_files.hpp"

namespace rr_pg_test {

// The test role's password: the cluster asks for it (scram-sha-256), so that the tests pass
// through libpq's password handling, and the tests check that it never shows in an error.
inline constexpr const char* kPassword = "Pg-Test-Secret-7731";
inline constexpr const char* kUser = "rr_test";

// Runs @p argv (as the postgres user when we are root) in @p cwd; returns its exit status
// (-1 when it did not exit normally).
inline int run_program(std::vector<std::string> argv, const std::string& cwd) {
  if (::geteuid() == 0)
    argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  const pid_t pid = ::fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0)
      ::_exit(126);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class PgCluster {
 public:
  explicit PgCluster(const std::string& bindir) : bindir_(bindir) {
    char pattern[] = "/tmp/rr-pg-XXXXXX";
    if (::mkdtemp(pattern) == nullptr)
      throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    dir_ = pattern;
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr)
        throw std::runtime_error(
            "running as root, and there is no 'postgres' user to run the PostgreSQL server as "
            "(PostgreSQL refuses root; Debian's postgresql package creates the user)");
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error(std::string("chown: ") + std::strerror(errno));
    }
    {
      std::ofstream pw(dir_ + "/pwfile");
      pw << kPassword << "\n";
    }
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (::chown((dir_ + "/pwfile").c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error(std::string("chown: ") + std::strerror(errno));
    }
    if (run_program(
            {bindir_ + "/initdb", "-D", dir_ + "/data", "-U", kUser, "--pwfile", dir_ + "/pwfile",
             "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"},
            dir_) != 0)
      throw std::runtime_error("initdb failed in " + dir_);
    // pg_ctl hands -o to a shell: the folder's name has no characters it would mind.
    const std::string options = "-k " + dir_ + " -c listen_addresses= -c fsync=off " +
                                "-c synchronous_commit=off -c full_page_writes=off " +
                                "-c max_connections=40";
    if (run_program({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-w", "-t", "120", "-s", "-l",
                     dir_ + "/server.log", "-o", options, "start"},
                    dir_) != 0)
      throw std::runtime_error("pg_ctl start failed; its log:\n" +
                               rr_test::read_text(dir_ + "/server.log"));
    started_ = true;
  }

  ~PgCluster() {
    if (started_)
      run_program(
          {bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "-s", "stop"}, dir_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // A libpq connection string to the cluster's `postgres` database; @p extra is appended.
  [[nodiscard]] std::string conninfo(const std::string& extra = "") const {
    std::string out =
        "host=" + dir_ + " port=5432 dbname=postgres user=" + kUser + " password=" + kPassword;
    if (!extra.empty())
      out += " " + extra;
    return out;
  }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  std::string bindir_;
  std::string dir_;
  bool started_ = false;
};

}  // namespace rr_pg_test
