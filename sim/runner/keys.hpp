// What each request of a traffic generator asks for. Keys: uniform or Zipf over
// 0..count-1, drawn from the generator's own Prng stream, or 0, 1, ... in turn; the key
// gives the request (request_for_key), whose URL and headers a generator's `urls:` and
// `headers:` may replace, each in turn or drawn by weight from the same stream. Each copy
// of a picker counts for itself (a closed-loop client's sequence is its own). Zipf and
// weights use a precomputed CDF (sizes are bounded by the loader).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/prng.hpp"
#include "sim/runner/director_object.hpp"
#include "sim/scenario/model.hpp"

namespace vdisim::runner {

namespace keys_detail {
// The index at which a uniform draw u falls in a cumulative distribution (last entry 1).
inline std::uint64_t index_in(const std::vector<double> &cdf, double u) {
  auto it = std::lower_bound(cdf.begin(), cdf.end(), u);
  return static_cast<std::uint64_t>(std::min<std::ptrdiff_t>(it - cdf.begin(), static_cast<std::ptrdiff_t>(cdf.size() - 1)));
}
inline std::shared_ptr<const std::vector<double>> normalized(std::vector<double> w) {
  double sum = 0;
  for (auto &x : w) x = (sum += x);
  for (auto &x : w) x /= sum;
  return std::make_shared<const std::vector<double>>(std::move(w));
}
}  // namespace keys_detail

class KeyPicker {
 public:
  explicit KeyPicker(const scenario::KeySpec &k)
      : count_(static_cast<std::uint64_t>(std::max<std::int64_t>(k.count, 1))),
        sequence_(k.dist == scenario::KeySpec::Dist::sequence) {
    if (k.dist != scenario::KeySpec::Dist::zipf) return;
    std::vector<double> w(count_);
    for (std::uint64_t i = 0; i < count_; i++) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), k.s);
    cdf_ = keys_detail::normalized(std::move(w));
  }
  std::uint64_t pick(sim::Prng &p) {
    if (sequence_) return next_++ % count_;
    if (!cdf_) return p.below(count_);
    return keys_detail::index_in(*cdf_, p.unit());
  }

 private:
  std::uint64_t count_;
  bool sequence_ = false;
  std::uint64_t next_ = 0;
  std::shared_ptr<const std::vector<double>> cdf_;
};

// One `urls:` or header value per request: the list in turn, or drawn by weight.
class ValuePicker {
 public:
  explicit ValuePicker(const scenario::ValueChoice &c) : values_(c.values) {
    if (!c.weights.empty()) cdf_ = keys_detail::normalized(c.weights);
  }
  const std::string &pick(sim::Prng &p) {
    if (!cdf_) return values_[next_++ % values_.size()];
    return values_[keys_detail::index_in(*cdf_, p.unit())];
  }

 private:
  std::vector<std::string> values_;  // at least one (the loader's rule)
  std::uint64_t next_ = 0;
  std::shared_ptr<const std::vector<double>> cdf_;
};

// The next request of a generator: the key's request, then its URL, then each header
// (in the file's order), so the draws from the stream come in one fixed order.
class RequestPicker {
 public:
  explicit RequestPicker(const scenario::Traffic &t) : keys_(t.keys) {
    if (t.urls) url_.emplace(*t.urls);
    for (const auto &h : t.headers) headers_.emplace_back(h.name, ValuePicker(h.values));
  }
  ClientRequest pick(sim::Prng &p) {
    ClientRequest r = request_for_key(keys_.pick(p));
    if (url_) r.http.url = url_->pick(p);
    for (auto &[name, values] : headers_) r.set_header(name, values.pick(p));
    return r;
  }

 private:
  KeyPicker keys_;
  std::optional<ValuePicker> url_;
  std::vector<std::pair<std::string, ValuePicker>> headers_;
};

}  // namespace vdisim::runner
