// WorkspaceBuffer: a thread-local arena of workspace slots, mapped a chunk at a time.
#include "sim/fake_vrt/workspace_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <new>
#include <vector>

#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#else  // scripts/deps installs valgrind; without its header nothing can run under it
#define VALGRIND_MAKE_MEM_NOACCESS(p, n) ((void)(p), (void)(n))
#define VALGRIND_MAKE_MEM_UNDEFINED(p, n) ((void)(p), (void)(n))
#endif
#ifdef VDISIM_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(p, n) ((void)(p), (void)(n))
#endif

namespace vdisim::vrt {

namespace {

// A slot starts this far past a page boundary: the guard bytes of the slot below end there.
constexpr std::size_t kOffset = 64;
constexpr std::size_t kSlotsPerChunk = 64;  // 6 MiB of address space a chunk
static_assert(kWorkspaceBytes % 4096 == 0 && WorkspaceBuffer::kKeptSlots % kSlotsPerChunk == 0);

class Arena {
 public:
  ~Arena() {
    gone = true;
    // A buffer still in use (an object of static duration ending after the thread's
    // locals) keeps its slot: leave every mapping then.
    if (used_ == 0) unmap_from(0);
  }

  // Set when the thread's arena is destroyed; a buffer that outlives it leaves its slot.
  static thread_local bool gone;

  // Oldest freed slot first: a slot freed by one request is not the next one's, so a read
  // through a pointer kept from a finished request's workspace finds it still unaddressable
  // under Valgrind and ASan for as long as other free slots come first.
  char *take() {
    if (free_.empty()) grow();
    char *p = free_.front();
    free_.pop_front();
    used_++;
    ASAN_UNPOISON_MEMORY_REGION(p, kWorkspaceBytes);
    VALGRIND_MAKE_MEM_UNDEFINED(p, kWorkspaceBytes);
    return p;
  }

  void give(char *p) {
    ASAN_POISON_MEMORY_REGION(p, kWorkspaceBytes);
    VALGRIND_MAKE_MEM_NOACCESS(p, kWorkspaceBytes);
    free_.push_back(p);
    if (--used_ == 0 && chunks_.size() * kSlotsPerChunk > WorkspaceBuffer::kKeptSlots) shrink();
  }

 private:
  static std::size_t chunk_bytes() {
    // One page more than the slots: the last slot's guard bytes and its offset.
    return kSlotsPerChunk * kWorkspaceBytes + static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  }

  void grow() {
    void *m = ::mmap(nullptr, chunk_bytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    chunks_.push_back(static_cast<char *>(m));
    add_free_slots(chunks_.back());
  }

  void add_free_slots(char *chunk) {
    for (std::size_t i = 0; i < kSlotsPerChunk; i++) {  // the lowest slot is taken first
      char *p = chunk + kOffset + i * kWorkspaceBytes;
      ASAN_POISON_MEMORY_REGION(p, kWorkspaceBytes);
      VALGRIND_MAKE_MEM_NOACCESS(p, kWorkspaceBytes);
      free_.push_back(p);
    }
  }

  // Nothing in use: keep the first chunks, give the rest back.
  void shrink() {
    unmap_from(WorkspaceBuffer::kKeptSlots / kSlotsPerChunk);
    free_.clear();
    for (char *c : chunks_) add_free_slots(c);
  }

  void unmap_from(std::size_t keep) {
    for (std::size_t i = keep; i < chunks_.size(); i++) {
      ASAN_UNPOISON_MEMORY_REGION(chunks_[i], chunk_bytes());
      ::munmap(chunks_[i], chunk_bytes());
    }
    chunks_.resize(std::min(keep, chunks_.size()));
  }

  std::vector<char *> chunks_;
  std::deque<char *> free_;
  std::size_t used_ = 0;
};

thread_local bool Arena::gone = false;
thread_local Arena t_arena;

}  // namespace

WorkspaceBuffer::WorkspaceBuffer() : mem_(t_arena.take()) {}

WorkspaceBuffer::~WorkspaceBuffer() {
  if (!Arena::gone) t_arena.give(mem_);
}

}  // namespace vdisim::vrt
