// Child processes for runs of code under test (isolate.hpp).
#include "sim/runner/isolate.hpp"

#include "sim/sim.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <link.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else  // scripts/deps installs valgrind; without its header nothing can run under it
#define VALGRIND_COUNT_ERRORS 0u
#endif

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

// A writable part of a watched object: its .data and .bss (less PT_GNU_RELRO), or this
// thread's block of its thread-local data.
struct Segment {
  std::string object;
  bool tls = false;
  char *addr = nullptr;
  std::vector<char> bytes;
};

// The watched objects' writable data as it is now, in load order.
std::vector<Segment> static_data() {
  std::vector<Segment> out;
  const auto &watched = watched_objects();
  if (watched.empty()) return out;  // no code under test was opened: nothing to walk each job
  each_object([&](const struct dl_phdr_info &o) {
    std::string name = o.dlpi_name ? o.dlpi_name : "";
    if (std::find(watched.begin(), watched.end(), name) == watched.end()) return;
    ElfW(Addr) relro = 0, relro_end = 0;
    for (int i = 0; i < o.dlpi_phnum; i++)
      if (o.dlpi_phdr[i].p_type == PT_GNU_RELRO) {
        relro = o.dlpi_addr + o.dlpi_phdr[i].p_vaddr;
        relro_end = relro + o.dlpi_phdr[i].p_memsz;
      }
    for (int i = 0; i < o.dlpi_phnum; i++) {
      const ElfW(Phdr) &h = o.dlpi_phdr[i];
      if (h.p_type == PT_TLS && o.dlpi_tls_data != nullptr) {
        char *at = static_cast<char *>(o.dlpi_tls_data);
        out.push_back({name, true, at, std::vector<char>(at, at + h.p_memsz)});
      }
      if (h.p_type != PT_LOAD || !(h.p_flags & PF_W)) continue;
      ElfW(Addr) from = o.dlpi_addr + h.p_vaddr, to = from + h.p_memsz;
      if (relro <= from && from < relro_end) from = std::min(relro_end, to);
      if (from == to) continue;
      char *at = reinterpret_cast<char *>(from);
      out.push_back({name, false, at, std::vector<char>(at, at + (to - from))});
    }
  });
  return out;
}

// Zero bytes where a thread-local block not yet made at the fork would start from: what a
// fresh thread's block of the object holds before its initial values (found below).
bool tls_initial_image(const std::string &object, std::vector<char> &image) {
  bool found = false;
  each_object([&](const struct dl_phdr_info &o) {
    if (found || object != (o.dlpi_name ? o.dlpi_name : "")) return;
    for (int i = 0; i < o.dlpi_phnum; i++) {
      const ElfW(Phdr) &h = o.dlpi_phdr[i];
      if (h.p_type != PT_TLS) continue;
      const char *init = reinterpret_cast<const char *>(o.dlpi_addr + h.p_vaddr);
      image.assign(h.p_memsz, 0);
      std::memcpy(image.data(), init, h.p_filesz);
      found = true;
    }
  });
  return found;
}

// Sets the watched objects' writable data back to its bytes at the fork, as a fresh child
// would find it, where that is sound: a word that was zero at the fork (a pointer not yet
// set, a counter not yet counted) is zeroed again. A word that was not zero and changed
// (a pointer to memory made before the fork, which the job may have changed too), or an
// object the job loaded, cannot be set back: false, and the worker must end.
bool set_back(const std::vector<Segment> &at_fork) {
  for (Segment &now : static_data()) {
    const Segment *then = nullptr;
    for (const Segment &f : at_fork)
      if (f.object == now.object && f.tls == now.tls) then = &f;
    std::vector<char> image;
    if (!then && !(now.tls && tls_initial_image(now.object, image))) return false;
    const std::vector<char> &before = then ? then->bytes : image;
    if (before.size() != now.bytes.size()) return false;
    // By words (a pointer is one): a word that changed must have been all zero.
    for (std::size_t i = 0; i < before.size(); i += 8) {
      std::size_t n = std::min<std::size_t>(8, before.size() - i);
      if (std::memcmp(before.data() + i, now.bytes.data() + i, n) == 0) continue;
      if (std::any_of(before.begin() + static_cast<std::ptrdiff_t>(i),
                      before.begin() + static_cast<std::ptrdiff_t>(i + n), [](char c) { return c != 0; }))
        return false;
      std::memset(now.addr + i, 0, n);
    }
  }
  return true;
}

// ---- sockets
// All n bytes through write(2), again after a signal; false at an error. A dead reader is
// an error (EPIPE), never a SIGPIPE.
bool write_all(int fd, const void *buf, std::size_t n) {
  const char *at = static_cast<const char *>(buf);
  while (n > 0) {
    ssize_t r = ::send(fd, at, n, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    at += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

enum class Reply : std::uint8_t {
  input,        // to a worker: the job's input follows
  record_more,  // a record follows, and the worker takes another job
  record_last,  // a record follows, and the worker ends
  skipped,      // the job was not run (Workers::stop)
  crash_note,   // the job crashed the worker: where, and the last events (text)
};

struct Header {  // before a job's input (to a worker) and its record (from it)
  std::uint64_t job;
  std::uint64_t bytes;
  std::uint64_t ns;  // with a record: how long the job ran (wall), for Workers' dispatch
  Reply reply;
  std::uint8_t unused[7] = {};  // written as zeros, never as whatever the stack held
};

// More than any record a run makes (a run's whole trace is kept elsewhere): a header
// asking for more is not one a worker wrote.
constexpr std::uint64_t kMaxRecordBytes = std::uint64_t{1} << 32;

struct Job {
  std::size_t id;
  std::vector<std::uint8_t> input;  // msgpack; empty: null
};

// A message as it goes on a socket: its header, then `bytes` bytes (appended by the caller).
void begin_message(std::vector<std::uint8_t> &out, const Header &h) {
  const auto *p = reinterpret_cast<const std::uint8_t *>(&h);
  out.insert(out.end(), p, p + sizeof h);
}

// ---- what a worker says as it dies
// A crash of the code under test in a worker: the seed's actor, its virtual time and the
// last trace events, written into a buffer set aside beforehand and sent before the
// signal kills the worker. Best effort (the heap may be what broke): no allocation, only
// reads of the run's own structures.
struct CrashNote {
  static constexpr std::size_t kBytes = 16 * 1024;
  char text[kBytes];
  std::size_t n = 0;
  void put(const char *s, std::size_t k) {
    k = std::min(k, kBytes - n);
    std::memcpy(text + n, s, k);
    n += k;
  }
  void put(std::string_view s) { put(s.data(), s.size()); }
  void put(std::uint64_t v, int min_digits = 1) {
    char d[24];
    int i = 0;
    do {
      d[i++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v > 0 || i < min_digits);
    while (i > 0) put(&d[--i], 1);
  }
  void put_time(std::int64_t ns) {  // "12.345678901"
    std::uint64_t u = ns < 0 ? 0 : static_cast<std::uint64_t>(ns);
    put(u / 1'000'000'000);
    put(".", 1);
    put(u % 1'000'000'000, 9);
  }
};

CrashNote g_note;
int g_note_fd = -1;
std::uint64_t g_note_job = 0;

// The records a worker made and has not sent yet: they go several to a write (a write,
// and the parent waking for it, per short run cost more than the run), and however the
// worker ends, the whole ones go first: before its crash note, before it exits on a job
// that threw, and when the code under test calls exit(). Its parent reads, in a word they
// share, which job it was in: a worker killed with records unsent (SIGKILL) loses them, and
// the parent runs those jobs again elsewhere.
struct Unsent {
  std::vector<std::uint8_t> bytes;
  std::size_t whole = 0;  // bytes of whole messages (a record being appended is not one)
  std::size_t count = 0;  // whole messages
};
Unsent g_unsent;
constexpr std::uint64_t kNoJob = ~std::uint64_t{0};
volatile std::uint64_t *g_running = nullptr;  // shared with the parent: the job this worker is in
pid_t g_worker = 0;  // the worker's pid: a process the code under test forks sends nothing

bool send_unsent() {
  if (getpid() != g_worker) return false;  // a fork of the worker's: its records are not its own
  const std::size_t n = g_unsent.whole;
  bool ok = n == 0 || write_all(g_note_fd, g_unsent.bytes.data(), n);
  g_unsent.whole = g_unsent.count = 0;  // before the bytes go: never sent twice
  g_unsent.bytes.erase(g_unsent.bytes.begin(), g_unsent.bytes.begin() + static_cast<std::ptrdiff_t>(n));
  return ok;
}

void on_fatal(int sig) {
  if (getpid() != g_worker) {  // a process the code under test forked: it says nothing
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  // The records held first: reading the run to write the note may fault again.
  if (g_note_fd >= 0 && g_unsent.whole > 0) write_all(g_note_fd, g_unsent.bytes.data(), g_unsent.whole);
  g_note.n = 0;
  if (vdisim::sim::Sim *s = vdisim::sim::Sim::current()) {
    g_note.put("in actor ");
    g_note.put(s->running() ? std::string_view(s->running()->name) : std::string_view("(the run loop)"));
    g_note.put(" at t=");
    g_note.put_time(s->now_ns());
    g_note.put("s");
    if (s->running() && s->running()->in_code) {
      g_note.put(" in ");
      g_note.put(std::string_view(s->running()->in_code));
    }
    g_note.put("\n");
    s->trace().each_tail([](const vdisim::sim::EventView &e) {
      g_note.put("#");
      g_note.put(e.seq);
      g_note.put(" t=");
      g_note.put_time(e.time_ns);
      g_note.put(" a");
      g_note.put(e.actor);
      g_note.put(" ");
      g_note.put(std::string_view(vdisim::sim::to_string(e.kind)));
      if (e.kind == vdisim::sim::EventKind::Decision) {  // as format_event writes them
        g_note.put(" pick a");
        g_note.put(e.a);
        g_note.put(" of ");
        g_note.put(e.b);
      }
      if (e.kind == vdisim::sim::EventKind::Timer) {
        g_note.put(" woke ");
        g_note.put(e.a);
      }
      if (!e.topic.empty()) {
        g_note.put(" [");
        g_note.put(e.topic);
        g_note.put("]");
      }
      if (!e.text.empty()) {
        g_note.put(" ");
        g_note.put(e.text);
      }
      g_note.put("\n");
    });
  }
  Header h{g_note_job, g_note.n, 0, Reply::crash_note};
  if (g_note_fd >= 0 && g_note.n > 0 && write_all(g_note_fd, &h, sizeof h)) write_all(g_note_fd, g_note.text, g_note.n);
  signal(sig, SIG_DFL);
  raise(sig);
}

// The parent's reading of a note: "in actor NAME at t=S.NNNNNNNNNs[ in CALL]", then event lines.
void read_note(const std::string &note, Workers::Done &d) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < note.size();) {
    std::size_t end = std::min(note.find('\n', at), note.size());
    lines.push_back(note.substr(at, end - at));
    at = end + 1;
  }
  const std::string in = "in actor ", at_t = " at t=";
  std::size_t t = lines.empty() ? std::string::npos : lines[0].rfind(at_t);
  if (t == std::string::npos || lines[0].rfind(in, 0) != 0) return;
  d.crash_where = lines[0];
  d.crash_actor = lines[0].substr(in.size(), t - in.size());
  d.crash_time_s = std::strtod(lines[0].c_str() + t + at_t.size(), nullptr);
  d.crash_tail.assign(lines.begin() + 1, lines.end());
}

void note_crashes(int fd) {
  g_note_fd = fd;
  static char alt[64 * 1024];  // the handler's own stack: a fiber's may be what overflowed
  stack_t ss{};
  ss.ss_sp = alt;
  ss.ss_size = sizeof alt;
  sigaltstack(&ss, nullptr);
  struct sigaction sa {};
  sa.sa_handler = on_fatal;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigaction(sig, &sa, nullptr);
}

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
  // parent reads a record, and a parent running one worker keeps a core busy. About
  // kAheadNs of the worker's work (as its jobs took so far), 2 to kAheadMax jobs, sent
  // together when half of them are answered: short jobs (race seeds) go many to a write,
  // long ones (a scenario's seeds) few, so no worker holds much that another could run.
  // Their inputs stay far below a socket's buffer: the parent never blocks sending inputs
  // while the worker blocks sending a record.
  static constexpr std::size_t kAheadMax = 64;
  static constexpr std::uint64_t kAheadNs = 4'000'000;
  static constexpr std::size_t kAheadBytes = 16 * 1024;
  // A worker sends its records every kBatch of them, or after kBatchTime, or when it has no
  // job left to start: half a full window, so the parent refills while the other half runs.
  static constexpr std::size_t kBatch = kAheadMax / 2;
  static constexpr std::chrono::milliseconds kBatchTime{2};
  // The bytes read from a socket and not yet taken, read as much at a time as the socket
  // holds: a sweep of short runs sends many messages each way, and one read(2) takes all
  // that came (a system call per message was most of what a short seed cost beside its run).
  class Inbox {
   public:
    // One read of what the socket holds; `wait`: block until something comes. As recv(2):
    // the bytes read, 0 at the end of the stream, -1 and errno (EAGAIN: nothing to read).
    ssize_t fill(int fd, bool wait) {
      if (at_ > 0) {  // what is left of a message moves to the front
        std::memmove(buf_.data(), buf_.data() + at_, end_ - at_);
        end_ -= at_;
        at_ = 0;
      }
      if (buf_.size() < end_ + kChunk) buf_.resize(end_ + kChunk);
      ssize_t r;
      do r = ::recv(fd, buf_.data() + end_, kChunk, wait ? 0 : MSG_DONTWAIT);
      while (r < 0 && errno == EINTR);
      if (r > 0) end_ += static_cast<std::size_t>(r);
      return r;
    }
    std::size_t size() const { return end_ - at_; }
    const char *data() const { return buf_.data() + at_; }
    void take(std::size_t n) { at_ += n; }
    // n bytes into `out`, reading (blocking) until they came; false at the end of the stream.
    bool read(int fd, void *out, std::size_t n) {
      while (size() < n)
        if (fill(fd, true) <= 0) return false;
      std::memcpy(out, data(), n);
      take(n);
      return true;
    }

   private:
    static constexpr std::size_t kChunk = 64 * 1024;
    std::vector<char> buf_;
    std::size_t at_ = 0, end_ = 0;  // the bytes not yet taken
  };

  struct Worker {
    pid_t pid = -1;
    int fd = -1;                   // a socket: jobs and inputs to it, records from it
    std::deque<Job> sent;          // jobs sent, in order, not yet answered
    std::size_t sent_bytes = 0;    // their inputs
    std::size_t ahead = 4;         // jobs it may hold: kAheadNs of its work once measured
    std::uint64_t mean_ns = 0;     // its jobs' time, a moving mean
    std::vector<std::uint8_t> out; // messages dispatch() is about to send it
    std::size_t fresh = 0;         // jobs among them
    Inbox inbox;                   // what it sent that wait() has not taken
    std::string note;              // its crash note, if it sent one
    bool ended = false;            // its socket reached its end: it exited or died
    std::size_t answered = 0;      // jobs it answered
    volatile std::uint64_t *running = nullptr;  // shared: the job it is in (kNoJob: none)
  };
  int max_workers = 1;
  Run one;
  std::function<bool(const nlohmann::json &)> reusable;
  std::vector<Worker> workers;
  std::deque<Job> queue;  // submitted, not yet sent
  std::size_t forks = 0;
  volatile int *stopped = nullptr;  // shared with the workers: skip the jobs not begun

  [[noreturn]] void serve(int fd) {
    g_worker = getpid();
    signal(SIGINT, SIG_IGN);  // the parent decides when to stop
    note_crashes(fd);
    const std::vector<Segment> at_fork = static_data();
    std::atexit([] { send_unsent(); });  // the code under test called exit()
    Inbox inbox;
    auto job_waiting = [&inbox] {  // the next job's message came whole
      Header h;
      if (inbox.size() < sizeof h) return false;
      std::memcpy(&h, inbox.data(), sizeof h);
      return inbox.size() >= sizeof h + h.bytes;
    };
    auto sent_at = std::chrono::steady_clock::now();  // dispatch only; never reaches a run
    auto end = [](int status) {
      send_unsent();
      _exit(status);
    };
    for (;;) {
      // Before waiting for a job, and every kBatch records or 2 ms of jobs.
      auto now = std::chrono::steady_clock::now();
      if (g_unsent.count > 0 && (g_unsent.count >= kBatch || !job_waiting() || now - sent_at > kBatchTime)) {
        if (!send_unsent()) _exit(0);
        sent_at = now;
      }
      Header in{};
      if (!inbox.read(fd, &in, sizeof in)) end(0);
      std::vector<std::uint8_t> input(in.bytes);
      if (!inbox.read(fd, input.data(), input.size())) end(0);
      std::vector<std::uint8_t> &out = g_unsent.bytes;
      if (*stopped) {
        begin_message(out, {in.job, 0, 0, Reply::skipped});
        g_unsent.whole = out.size();
        g_unsent.count++;
        continue;
      }
      g_note_job = in.job;
      *g_running = in.job;
      const unsigned memory_errors = VALGRIND_COUNT_ERRORS;
      Reply reply = Reply::record_last;
      try {
        const auto began = std::chrono::steady_clock::now();
        nlohmann::json rec = one(static_cast<std::size_t>(in.job),
                                 input.empty() ? nlohmann::json() : nlohmann::json::from_msgpack(input));
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - began);
        // As varnishd unloads a vmod with its last VCL and loads it again with the next,
        // the next job finds the code under test's static data as the fork did.
        if (reusable(rec) && set_back(at_fork)) reply = Reply::record_more;
        begin_message(out, {in.job, 0, static_cast<std::uint64_t>(ns.count()), reply});
        nlohmann::json::to_msgpack(rec, out);
      } catch (const std::exception &e) {
        std::fprintf(stderr, "vdisim: child run: %s\n", e.what());
        std::fflush(nullptr);
        end(3);
      }
      std::fflush(nullptr);
      // Under Valgrind, a job that made memory errors ends its worker without a record:
      // the worker's exit status (--error-exitcode) makes it a failure of that job.
      if (VALGRIND_COUNT_ERRORS != memory_errors) end(3);
      const std::uint64_t bytes = out.size() - g_unsent.whole - sizeof(Header);
      std::memcpy(out.data() + g_unsent.whole + offsetof(Header, bytes), &bytes, sizeof bytes);
      g_unsent.whole = out.size();
      g_unsent.count++;
      *g_running = kNoJob;
      if (reply != Reply::record_more) end(0);
    }
  }

  Worker &fork_worker() {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
      throw std::runtime_error(std::string("socketpair failed: ") + std::strerror(errno));
    void *page = mmap(nullptr, sizeof(std::uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::runtime_error(std::string("mmap failed: ") + std::strerror(errno));
    auto *running = static_cast<volatile std::uint64_t *>(page);
    *running = kNoJob;
    std::fflush(nullptr);  // nothing buffered twice
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      for (const Worker &w : workers) ::close(w.fd);
      ::close(sv[0]);
      g_running = running;
      serve(sv[1]);
    }
    ::close(sv[1]);
    forks++;
    Worker &w = workers.emplace_back();
    w.pid = pid;
    w.fd = sv[0];
    w.running = running;
    return w;
  }

  // Closes a worker's socket and reaps it (it exits on its own, or was killed); the jobs
  // it was sent go back to the front of the queue, but the one at `answered` (an index in
  // its jobs sent; kAll: none), which ended. Its wait status.
  static constexpr std::size_t kAll = ~std::size_t{0};
  int retire(std::size_t i, std::size_t answered) {
    Worker w = std::move(workers[i]);
    workers.erase(workers.begin() + static_cast<std::ptrdiff_t>(i));
    ::close(w.fd);
    for (std::size_t k = w.sent.size(); k > 0; k--)
      if (k - 1 != answered) queue.push_front(w.sent[k - 1]);
    int status = 0;
    wait_for(w.pid, &status);
    munmap(const_cast<std::uint64_t *>(w.running), sizeof(std::uint64_t));
    return status;
  }

  bool may_take(const Worker &w, const Job &job) const {
    if (w.sent.empty()) return true;
    bool open = w.fresh > 0 || w.sent.size() <= w.ahead / 2 || w.mean_ns == 0;  // unmeasured: up to 4
    return open && w.sent.size() < w.ahead && w.sent_bytes + job.input.size() <= kAheadBytes;
  }

  // Sends queued jobs: each to the worker with the fewest unanswered that may take it, a
  // new one while fewer than max_workers run; a worker's jobs in one write.
  void dispatch() {
    for (bool again = true; again;) {
      again = false;
      while (!queue.empty()) {
        const Job &job = queue.front();
        Worker *to = nullptr;
        for (auto &w : workers)
          if (may_take(w, job) && (!to || w.sent.size() < to->sent.size())) to = &w;
        if ((!to || !to->sent.empty()) && static_cast<int>(workers.size()) < max_workers) to = &fork_worker();
        if (!to) break;
        begin_message(to->out, {job.id, job.input.size(), 0, Reply::input});
        to->out.insert(to->out.end(), job.input.begin(), job.input.end());
        to->fresh++;
        to->sent_bytes += job.input.size();
        to->sent.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      for (std::size_t i = 0; i < workers.size(); i++) {
        Worker &w = workers[i];
        if (w.out.empty()) continue;
        bool sent = write_all(w.fd, w.out.data(), w.out.size());
        bool idle = w.sent.size() == w.fresh;
        w.out.clear();
        w.fresh = 0;
        // It died. Idle: reap it and send its jobs elsewhere; else wait() reads its end.
        if (!sent && idle) {
          retire(i--, kAll);
          again = true;
        }
      }
    }
  }

  // The answer of worker i to its first job, if it came: a record, a skip, or its end
  // (it died in the job, with the note it wrote as it died).
  std::optional<Done> answer(std::size_t i) {
    Worker &w = workers[i];
    if (w.sent.empty()) return std::nullopt;
    Done d;
    d.job = w.sent.front().id;
    bool garbled = false;  // a message no worker writes, or a record that does not decode
    while (!garbled && w.inbox.size() >= sizeof(Header)) {
      Header h;
      std::memcpy(&h, w.inbox.data(), sizeof h);
      const bool ours = h.job == d.job;
      const bool record = h.reply == Reply::record_more || h.reply == Reply::record_last;
      if (ours && h.reply == Reply::skipped) {
        w.inbox.take(sizeof h);
        d.skipped = true;
        next_job(w);
        return d;
      }
      garbled = !ours || !(record || h.reply == Reply::crash_note) ||
                h.bytes > (record ? kMaxRecordBytes : CrashNote::kBytes);
      if (garbled) break;
      if (w.inbox.size() < sizeof h + h.bytes) {
        if (!w.ended) return std::nullopt;  // the rest is on its way
        break;                              // cut short: it died sending it
      }
      const auto *body = reinterpret_cast<const std::uint8_t *>(w.inbox.data() + sizeof h);
      if (h.reply == Reply::crash_note) {
        w.note.assign(reinterpret_cast<const char *>(body), h.bytes);
        w.inbox.take(sizeof h + h.bytes);
        continue;
      }
      try {
        d.record = nlohmann::json::from_msgpack(body, body + h.bytes);
      } catch (const std::exception &) {
        garbled = true;
        break;
      }
      w.inbox.take(sizeof h + h.bytes);
      w.mean_ns = w.mean_ns == 0 ? h.ns : (3 * w.mean_ns + h.ns) / 4;
      w.ahead = std::clamp<std::size_t>(kAheadNs / std::max<std::uint64_t>(w.mean_ns, 1), 2, kAheadMax);
      if (h.reply == Reply::record_last)
        retire(i, 0);  // it ends after this job
      else
        next_job(w);
      return d;
    }
    if (!garbled && !w.ended) return std::nullopt;
    if (!w.ended) ::kill(w.pid, SIGKILL);  // garbled: the worker is lost, and its first job with it
    // It ended without a record: it died in the job it says it was in. The jobs before that
    // one ended, but their records were lost with it (killed before it sent them): they run
    // again. Not in a job: it died between two, and every job it held runs again, unless it
    // never answered one (it died before its first job: that job is the crash, or the
    // sweep would fork and lose worker after worker).
    std::size_t k = 0;
    if (!garbled) {
      const auto in = std::find_if(w.sent.begin(), w.sent.end(), [&w](const Job &j) { return j.id == *w.running; });
      if (in == w.sent.end() && w.answered > 0) {
        retire(i, kAll);
        return std::nullopt;
      }
      if (in != w.sent.end()) k = static_cast<std::size_t>(in - w.sent.begin());
    }
    d.job = w.sent[k].id;
    read_note(w.note, d);
    d.crash = crash_text(retire(i, k));
    return d;
  }

  static void next_job(Worker &w) {
    w.sent_bytes -= w.sent.front().input.size();
    w.sent.pop_front();
    w.answered++;
  }
};

Workers::Workers(int max_workers, Run one,
                 std::function<bool(const nlohmann::json &)> reusable)
    : impl_(std::make_unique<Impl>()) {
  impl_->max_workers = std::max(1, max_workers);
  impl_->one = std::move(one);
  impl_->reusable = std::move(reusable);
  void *page = mmap(nullptr, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw std::runtime_error(std::string("mmap failed: ") + std::strerror(errno));
  impl_->stopped = static_cast<volatile int *>(page);
  *impl_->stopped = 0;
}

Workers::~Workers() {
  for (const auto &w : impl_->workers)
    if (!w.sent.empty()) ::kill(w.pid, SIGKILL);  // our own children, by pid
  while (!impl_->workers.empty()) impl_->retire(0, Impl::kAll);  // idle ones exit when their socket closes
  munmap(const_cast<int *>(impl_->stopped), sizeof(int));
}

void Workers::stop() {
  *impl_->stopped = 1;
  impl_->queue.clear();
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

std::size_t Workers::capacity() const { return Impl::kAheadMax * static_cast<std::size_t>(impl_->max_workers); }

std::string Workers::Done::crash_message() const { return crash_where.empty() ? crash : crash + " " + crash_where; }

Workers::Done Workers::run(std::size_t job, const nlohmann::json &input) {
  if (pending() != 0) throw std::logic_error("Workers::run with other jobs pending");
  submit(job, input);
  std::optional<Done> d;
  while (!(d = wait())) {
  }
  return std::move(*d);
}

std::optional<Workers::Done> Workers::wait() {
  impl_->dispatch();
  for (;;) {
    for (std::size_t i = 0; i < impl_->workers.size();) {
      const std::size_t n = impl_->workers.size();
      if (std::optional<Done> d = impl_->answer(i)) {
        impl_->dispatch();
        return d;
      }
      if (impl_->workers.size() == n) i++;  // else worker i ended: its jobs went back to the queue
    }
    impl_->dispatch();
    std::vector<pollfd> fds;
    for (const auto &w : impl_->workers)
      if (!w.sent.empty()) fds.push_back({w.fd, POLLIN, 0});
    if (fds.empty()) throw std::logic_error("Workers::wait with no job sent");
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) return std::nullopt;
      throw std::runtime_error(std::string("poll failed: ") + std::strerror(errno));
    }
    for (const pollfd &p : fds) {
      if (p.revents == 0) continue;
      auto w = std::find_if(impl_->workers.begin(), impl_->workers.end(), [&](const auto &x) { return x.fd == p.fd; });
      ssize_t r = w->inbox.fill(w->fd, false);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) w->ended = true;
    }
  }
}

void Workers::drop_if(const std::function<bool(std::size_t)> &drop) {
  auto dropped = [&drop](const Job &j) { return drop(j.id); };
  std::erase_if(impl_->queue, dropped);
  for (std::size_t i = 0; i < impl_->workers.size(); i++) {
    auto &w = impl_->workers[i];
    if (std::none_of(w.sent.begin(), w.sent.end(), dropped)) continue;
    ::kill(w.pid, SIGKILL);
    impl_->retire(i--, Impl::kAll);
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
