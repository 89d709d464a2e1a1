// Request keys for traffic generators: uniform or Zipf over 0..count-1, drawn from the
// generator's own Prng stream, or 0, 1, ... in turn (each copy of a picker counts for
// itself). Zipf uses a precomputed CDF (count is bounded by the loader).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/prng.hpp"
#include "sim/scenario/model.hpp"

namespace vdisim::runner {

class KeyPicker {
 public:
  explicit KeyPicker(const scenario::KeySpec &k)
      : count_(static_cast<std::uint64_t>(std::max<std::int64_t>(k.count, 1))),
        sequence_(k.dist == scenario::KeySpec::Dist::sequence) {
    if (k.dist != scenario::KeySpec::Dist::zipf) return;
    auto cdf = std::make_shared<std::vector<double>>(count_);
    double sum = 0;
    for (std::uint64_t i = 0; i < count_; i++) (*cdf)[i] = (sum += 1.0 / std::pow(static_cast<double>(i + 1), k.s));
    for (auto &c : *cdf) c /= sum;
    cdf_ = cdf;
  }
  std::uint64_t pick(sim::Prng &p) {
    if (sequence_) return next_++ % count_;
    if (!cdf_) return p.below(count_);
    double u = p.unit();
    auto it = std::lower_bound(cdf_->begin(), cdf_->end(), u);
    return static_cast<std::uint64_t>(std::min<std::ptrdiff_t>(it - cdf_->begin(), static_cast<std::ptrdiff_t>(count_ - 1)));
  }

 private:
  std::uint64_t count_;
  bool sequence_ = false;
  std::uint64_t next_ = 0;
  std::shared_ptr<const std::vector<double>> cdf_;
};

}  // namespace vdisim::runner
