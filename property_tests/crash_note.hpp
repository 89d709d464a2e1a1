// What a crash of the code under test leaves behind when property cases run in this
// process (the in-tree suites do; the worker child, ExecOptions::isolate, runs them 1.6
// times slower). Before each case a property says what it runs; a fatal signal then prints
// the property, the case number, the case (best effort) and the command that reruns the
// test with every case in a child (VDISIM_ISOLATE=1), where the crash is a failure that
// is shrunk and reported. Then the process dies of the same signal, as it would have.
#pragma once
#include <functional>
#include <string>

namespace prop::crash_note {

// The case about to run: `number` counts the property's runs (1 = its first); `show`
// describes the case and is called only if the process crashes.
void arm(const std::string &property, long number, std::function<std::string()> show);
// No case of this process is running (or the case runs in a child, which reports itself).
void disarm();

// The command a crash note prints: the environment that chose the cases, VDISIM_ISOLATE=1,
// this program and the running test.
std::string rerun_isolated_command();

}  // namespace prop::crash_note
