// Child processes for runs of code under test (isolate.hpp).
#include "sim/runner/isolate.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <link.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <vector>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace vdisim::runner {

namespace {

// ---- the static data of code under test
std::vector<std::string> &watched_objects() {  // names (paths) as dl_iterate_phdr gives them
  static std::vector<std::string> names;
  return names;
}

template <class F>
void each_object(F f) {
  dl_iterate_phdr([](struct dl_phdr_info *info, std::size_t, void *data) {
    (*static_cast<F *>(data))(*info);
    return 0;
  }, &f);
}

struct Segment {
  char *addr;
  std::vector<char> bytes;
};

// The writable data of every watched object (.data, .bss; not the part made read-only
// after relocation, PT_GNU_RELRO), in load order.
std::vector<Segment> static_data() {
  std::vector<Segment> out;
  const auto &watched = watched_objects();
  each_object([&](const struct dl_phdr_info &o) {
    if (std::find(watched.begin(), watched.end(), o.dlpi_name ? o.dlpi_name : "") == watched.end()) return;
    ElfW(Addr) relro = 0, relro_end = 0;
    for (int i = 0; i < o.dlpi_phnum; i++)
      if (o.dlpi_phdr[i].p_type == PT_GNU_RELRO) {
        relro = o.dlpi_addr + o.dlpi_phdr[i].p_vaddr;
        relro_end = relro + o.dlpi_phdr[i].p_memsz;
      }
    for (int i = 0; i < o.dlpi_phnum; i++) {
      const ElfW(Phdr) &h = o.dlpi_phdr[i];
      if (h.p_type != PT_LOAD || !(h.p_flags & PF_W)) continue;
      ElfW(Addr) from = o.dlpi_addr + h.p_vaddr, to = from + h.p_memsz;
      if (relro <= from && from < relro_end) from = std::min(relro_end, to);
      if (from == to) continue;
      char *at = reinterpret_cast<char *>(from);
      out.push_back({at, std::vector<char>(at, at + (to - from))});
    }
  });
  return out;
}

// ---- pipes
// All n bytes through read(2) or write(2), again after a signal; false at an error or EOF.
template <class Byte, class Io>
bool whole(Io io, int fd, Byte *buf, std::size_t n) {
  while (n > 0) {
    ssize_t r = io(fd, buf, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    buf += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}
bool read_all(int fd, void *buf, std::size_t n) { return whole(::read, fd, static_cast<char *>(buf), n); }
bool write_all(int fd, const void *buf, std::size_t n) { return whole(::write, fd, static_cast<const char *>(buf), n); }

struct Header {  // before a job's input (to a worker) and its record (from it)
  std::uint64_t job;
  std::uint64_t bytes;
  bool again;  // record: the worker takes another job
};

struct Job {
  std::size_t id;
  std::vector<std::uint8_t> input;  // msgpack; empty: null
};

void wait_for(pid_t pid, int *status) {
  while (waitpid(pid, status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
}

}  // namespace

void *dlopen_code_under_test(const std::string &path, int flags) {
  void *h = dlopen(path.c_str(), flags);
  struct link_map *map = nullptr;
  if (h != nullptr && dlinfo(h, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && map->l_name != nullptr) {
    auto &watched = watched_objects();
    if (std::find(watched.begin(), watched.end(), map->l_name) == watched.end()) watched.push_back(map->l_name);
  }
  return h;
}

struct Workers::Impl {
  // Jobs a worker is sent before it answers the first: it starts the next one while the
  // parent reads a record, and a parent running one worker keeps a core busy.
  static constexpr std::size_t kAhead = 4;
  struct Worker {
    pid_t pid = -1;
    int cmd = -1;  // parent -> worker: job numbers
    int res = -1;  // worker -> parent: Header + record
    std::deque<Job> sent;  // jobs sent, in order, not yet answered
  };
  int max_workers = 1;
  Run one;
  std::function<bool(const nlohmann::json &)> reusable;
  std::vector<Worker> workers;
  std::deque<Job> queue;  // submitted, not yet sent
  std::size_t forks = 0;
  struct sigaction old_pipe {};

  [[noreturn]] void serve(int cmd, int res) {
    signal(SIGINT, SIG_IGN);  // the parent decides when to stop
    signal(SIGPIPE, SIG_DFL);
    const std::vector<Segment> at_fork = static_data();
    for (;;) {
      Header in{};
      if (!read_all(cmd, &in, sizeof in)) _exit(0);
      std::uint64_t job = in.job;
      std::vector<std::uint8_t> input(in.bytes);
      if (!read_all(cmd, input.data(), input.size())) _exit(0);
      std::vector<std::uint8_t> text;
      bool again = false;
      try {
        nlohmann::json rec = one(static_cast<std::size_t>(job),
                                 input.empty() ? nlohmann::json() : nlohmann::json::from_msgpack(input));
        again = reusable(rec);
        text = nlohmann::json::to_msgpack(rec);
      } catch (const std::exception &e) {
        std::fprintf(stderr, "vdisim: child run: %s\n", e.what());
        std::fflush(nullptr);
        _exit(3);
      }
      std::fflush(nullptr);
      Header h{job, text.size(), again};
      if (!write_all(res, &h, sizeof h) || !write_all(res, text.data(), text.size()) || !again) _exit(0);
      // As varnishd unloads a vmod with its last VCL and loads it again with the next:
      // the next job finds the code under test's static data as the fork did.
      for (const Segment &g : at_fork) std::memcpy(g.addr, g.bytes.data(), g.bytes.size());
    }
  }

  Worker &fork_worker() {
    int cmd[2], res[2];
    if (pipe(cmd) != 0 || pipe(res) != 0) throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
    std::fflush(nullptr);  // nothing buffered twice
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      for (const Worker &w : workers) {
        ::close(w.cmd);
        ::close(w.res);
      }
      ::close(cmd[1]);
      ::close(res[0]);
      serve(cmd[0], res[1]);
    }
    ::close(cmd[0]);
    ::close(res[1]);
    forks++;
    workers.push_back({pid, cmd[1], res[0], {}});
    return workers.back();
  }

  // Closes a worker's pipes and reaps it (it exits on its own, or was killed); the jobs it
  // was sent after `answered` go back to the front of the queue. Its wait status.
  int retire(std::size_t i, std::size_t answered) {
    Worker w = std::move(workers[i]);
    workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(i));
    ::close(w.cmd);
    ::close(w.res);
    for (std::size_t k = w.sent.size(); k > answered; k--) queue.push_front(w.sent[k - 1]);
    int status = 0;
    wait_for(w.pid, &status);
    return status;
  }

  // Sends queued jobs: to the worker with the fewest unanswered, a new one while fewer than
  // max_workers run, up to kAhead each.
  void dispatch() {
    while (!queue.empty()) {
      Worker *to = nullptr;
      for (auto &w : workers)
        if (w.sent.size() < kAhead && (!to || w.sent.size() < to->sent.size())) to = &w;
      if ((!to || !to->sent.empty()) && static_cast<int>(workers.size()) < max_workers) to = &fork_worker();
      if (!to) return;
      const Job &job = queue.front();
      Header out{job.id, job.input.size(), true};
      if (!write_all(to->cmd, &out, sizeof out) || !write_all(to->cmd, job.input.data(), job.input.size())) {
        // it died: wait() reads its end
        if (to->sent.empty()) retire(static_cast<std::size_t>(to - workers.data()), 0);
        return;
      }
      to->sent.push_back(std::move(queue.front()));
      queue.pop_front();
    }
  }
};

Workers::Workers(int max_workers, Run one,
                 std::function<bool(const nlohmann::json &)> reusable)
    : impl_(std::make_unique<Impl>()) {
  impl_->max_workers = std::max(1, max_workers);
  impl_->one = std::move(one);
  impl_->reusable = std::move(reusable);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &impl_->old_pipe);  // a dead worker's pipe is an error, not a signal
}

Workers::~Workers() {
  for (const auto &w : impl_->workers)
    if (!w.sent.empty()) ::kill(w.pid, SIGKILL);  // our own children, by pid
  while (!impl_->workers.empty()) impl_->retire(0, 0);  // idle ones exit when their pipe closes
  sigaction(SIGPIPE, &impl_->old_pipe, nullptr);
}

void Workers::submit(std::size_t job, const nlohmann::json &input) {
  impl_->queue.push_back({job, input.is_null() ? std::vector<std::uint8_t>() : nlohmann::json::to_msgpack(input)});
  impl_->dispatch();
}

std::size_t Workers::pending() const {
  std::size_t n = impl_->queue.size();
  for (const auto &w : impl_->workers) n += w.sent.size();
  return n;
}

std::size_t Workers::forks() const { return impl_->forks; }

std::optional<Workers::Done> Workers::wait() {
  impl_->dispatch();
  std::vector<pollfd> fds;
  for (const auto &w : impl_->workers)
    if (!w.sent.empty()) fds.push_back({w.res, POLLIN, 0});
  if (fds.empty()) throw std::logic_error("Workers::wait with no job sent");
  if (::poll(fds.data(), fds.size(), -1) < 0) {
    if (errno == EINTR) return std::nullopt;
    throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
  }
  std::size_t k = 0;
  while (fds[k].revents == 0) k++;
  std::size_t i = 0;
  while (impl_->workers[i].res != fds[k].fd) i++;
  Impl::Worker &w = impl_->workers[i];
  Done d;
  d.job = w.sent.front().id;
  Header h{};
  if (!read_all(w.res, &h, sizeof h)) {  // it ended without a record: it crashed in this job
    d.crash = crash_text(impl_->retire(i, 1));
    impl_->dispatch();
    return d;
  }
  std::vector<std::uint8_t> text(h.bytes);
  if (h.job == d.job && read_all(w.res, text.data(), text.size())) {
    try {
      d.record = nlohmann::json::from_msgpack(text);
    } catch (const std::exception &) {
      d.record.reset();
    }
  }
  if (!d.record) {
    ::kill(w.pid, SIGKILL);  // a record cut short or unreadable: the worker is lost
    d.crash = crash_text(impl_->retire(i, 1));
  } else if (h.again) {
    w.sent.pop_front();
  } else {
    impl_->retire(i, 1);  // it ends after this job
  }
  impl_->dispatch();
  return d;
}

void Workers::drop_if(const std::function<bool(std::size_t)> &drop) {
  auto dropped = [&drop](const Job &j) { return drop(j.id); };
  std::erase_if(impl_->queue, dropped);
  for (std::size_t i = 0; i < impl_->workers.size(); i++) {
    auto &w = impl_->workers[i];
    if (std::none_of(w.sent.begin(), w.sent.end(), dropped)) continue;
    ::kill(w.pid, SIGKILL);
    impl_->retire(i--, 0);
    std::erase_if(impl_->queue, dropped);
  }
}

std::string crash_text(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return fmt::format("the run crashed: killed by signal {} ({})", sig, strsignal(sig));
  }
  return fmt::format("the run process exited with status {} without a report", WEXITSTATUS(status));
}

std::filesystem::path this_program(const std::filesystem::path &fallback) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? fallback : self;
}

}  // namespace vdisim::runner
