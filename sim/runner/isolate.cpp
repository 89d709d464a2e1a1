// Child processes for runs of code under test (isolate.hpp).
#include "sim/runner/isolate.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace vdisim::runner {

pid_t start_child(const std::filesystem::path &result, const std::function<nlohmann::json()> &one) {
  std::fflush(nullptr);  // nothing buffered twice
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid > 0) return pid;
  signal(SIGINT, SIG_IGN);  // the parent decides when to stop
  int code = 3;
  try {
    nlohmann::json rec = one();
    std::ofstream f(result);
    f << rec.dump();
    f.close();
    code = f ? 0 : 3;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "vdisim: child run: %s\n", e.what());
  }
  std::fflush(nullptr);
  _exit(code);
}

std::optional<nlohmann::json> child_result(const std::filesystem::path &result, int status) {
  std::optional<nlohmann::json> rec;
  std::ifstream f(result);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && f) {
    try {
      nlohmann::json j;
      f >> j;
      rec = std::move(j);
    } catch (const std::exception &) {
      rec.reset();
    }
  }
  f.close();
  std::error_code ec;
  std::filesystem::remove(result, ec);
  return rec;
}

std::string crash_text(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return fmt::format("the run crashed: killed by signal {} ({})", sig, strsignal(sig));
  }
  return fmt::format("the run process exited with status {} without a report", WEXITSTATUS(status));
}

nlohmann::json run_isolated(const std::function<nlohmann::json()> &one) {
  std::filesystem::path result =
      std::filesystem::temp_directory_path() / fmt::format("vdisim-run.{}.json", getpid());
  pid_t pid = start_child(result, one);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
  if (std::optional<nlohmann::json> rec = child_result(result, status)) return *rec;
  return {{"crash", crash_text(status)}};
}

std::filesystem::path this_program(const std::filesystem::path &fallback) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? fallback : self;
}

}  // namespace vdisim::runner
