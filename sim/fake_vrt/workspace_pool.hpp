// Workspace buffers (kWorkspaceBytes each) for tasks, requests and busyobjs, from a
// thread's arena of slots laid out so that a workspace in use touches one page: what a
// task writes first (its http objects, its strings) starts just past a page boundary, and
// the guard byte WS_Init writes past ws->e falls on the next slot's first page. Slots are
// reused (a freed 96k heap block went back to glibc's heap top, which trimmed the heap and
// faulted the pages in again on the next request), oldest freed first.
#pragma once

#include <cstddef>

namespace vdisim::vrt {

// Bytes of one workspace: a task's own (varnishd's CLI workspace, where vcl_init and
// vcl_fini run, is workspace_client bytes), a request's (workspace_client) and a busyobj's
// (workspace_backend): Varnish 8.0.0's default of both parameters, 96k. Pages a task
// never writes are never touched, so the size costs no memory.
inline constexpr unsigned kWorkspaceBytes = 96 * 1024;

// One workspace buffer, taken from the thread's arena and given back when it goes. Not
// zeroed, as varnishd's are not: untouched pages cost nothing. A free slot is
// unaddressable under Valgrind and ASan, so code that keeps a pointer into a finished
// task's workspace is still caught.
class WorkspaceBuffer {
 public:
  WorkspaceBuffer();
  ~WorkspaceBuffer();
  WorkspaceBuffer(const WorkspaceBuffer &) = delete;
  WorkspaceBuffer &operator=(const WorkspaceBuffer &) = delete;
  char *get() const { return mem_; }

  // Slots the thread's arena keeps mapped once no buffer is in use (a run with more at
  // once gives the rest back to the kernel when it ends). 2,048 workspaces in use (1,024
  // requests, each with its busyobj) fit: beyond the kept slots, every run faulted its
  // slots in again, and at 1,024 requests at once that was half of what a request cost.
  // A slot keeps the pages its workspaces wrote: one or two for most requests.
  static constexpr std::size_t kKeptSlots = 4096;

 private:
  char *mem_;
};

}  // namespace vdisim::vrt
