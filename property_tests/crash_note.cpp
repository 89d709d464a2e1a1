// The crash note (see crash_note.hpp): a handler for fatal signals on a stack of its own (a
// director recursing without end overflows its fiber's stack), installed on first arm().
#include "property_tests/crash_note.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "sim/runner/isolate.hpp"

namespace prop::crash_note {

namespace {

constexpr int kFatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
constexpr std::size_t kAltStackBytes = 256 * 1024;

struct State {
  bool armed = false;
  pid_t pid = 0;     // the process that armed it: a child running a case isolated reports itself
  std::string head;  // what runs, formatted at arm() (the handler must not need the heap for it)
  std::string rerun;
  std::string rerun_of;  // the property `rerun` was written for (written once a property)
  std::function<std::string()> show;
  struct sigaction previous[NSIG] = {};
};
State &state() {
  static State s;
  return s;
}

void put(const char *p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}
void put(const std::string &s) { put(s.data(), s.size()); }

void on_fatal(int sig, siginfo_t *info, void *) {
  State &s = state();
  if (s.armed && ::getpid() == s.pid) {
    s.armed = false;  // a second fault while printing goes straight on
    char num[16];
    int n = 0;
    for (int v = sig; v > 0 && n < 15; v /= 10) num[n++] = static_cast<char>('0' + v % 10);
    put("\nvdisim: the code under test crashed (signal ");
    while (n > 0) put(&num[--n], 1);
    put(") ");
    put(s.head);
    // The case's text needs the heap, which the crash may have broken: 5 s at most.
    ::alarm(5);
    put("The case:\n" + s.show() + "\n");
    put(s.rerun);
  }
  // The previous disposition (default: die; a sanitizer: its report) takes the signal: a
  // fault re-raises when the handler returns, a sent signal is sent again.
  ::sigaction(sig, &s.previous[sig], nullptr);
  if (info->si_code <= 0 || sig == SIGABRT) ::raise(sig);
}

void install() {
  static bool done = false;
  if (done) return;
  done = true;
  static std::vector<char> alt(kAltStackBytes);
  stack_t ss = {};
  ss.ss_sp = alt.data();
  ss.ss_size = alt.size();
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa = {};
  sa.sa_sigaction = on_fatal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (int sig : kFatal) ::sigaction(sig, &sa, &state().previous[sig]);
}

std::string quoted(const std::string &v) {
  if (v.find_first_of(" \"'$\\") == std::string::npos) return v;
  std::string q = "'";
  for (char c : v) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::string rerun_isolated_command() {
  std::string cmd;
  for (const char *var : {"RC_PARAMS", "VDISIM_SOAK_CASES", "VDISIM_PCT_STEPS"})
    if (const char *v = std::getenv(var)) cmd += fmt::format("{}={} ", var, quoted(v));
  std::string test = "'*'";
  if (const auto *info = ::testing::UnitTest::GetInstance()->current_test_info())
    test = std::string(info->test_suite_name()) + "." + info->name();
  return cmd + "VDISIM_ISOLATE=1 " + vdisim::runner::this_program("property_tests").string() + " --gtest_filter=" + test;
}

void arm(const std::string &property, long number, std::function<std::string()> show) {
  install();
  State &s = state();
  s.armed = false;
  s.head = fmt::format("in property {}, its run {} (runs count the cases, then the shrinking steps).\n", property, number);
  if (s.rerun_of != property) {
    s.rerun_of = property;
    s.rerun = fmt::format("Rerun it with every case in a child process, where the crash is a failure that is shrunk "
                          "and reported ({}):\n  {}\n",
                          property, rerun_isolated_command());
  }
  s.show = std::move(show);
  s.pid = ::getpid();
  s.armed = true;
}

void disarm() { state().armed = false; }

}  // namespace prop::crash_note
