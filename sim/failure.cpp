#include "sim/failure.hpp"

#include <fmt/format.h>

namespace vdisim::sim {

std::string Failure::summary() const {
  return fmt::format("{} at t={:.6f}s in {}: {}", rule, time_ns / 1e9, actor, message);
}

}  // namespace vdisim::sim
