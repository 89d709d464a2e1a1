// Parsing of strategy texts and decisions files (strategy_spec.hpp).
#include "sim/strategy_spec.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vdisim::sim {

StrategySpec StrategySpec::parse(const std::string &text, bool load) {
  StrategySpec s;
  if (text == "random") return s;
  if (text == "pos") {
    s.kind = Kind::Pos;
    return s;
  }
  if (text == "portfolio") {
    s.kind = Kind::Portfolio;
    return s;
  }
  if (text == "pct" || text.rfind("pct:", 0) == 0) {
    s.kind = Kind::Pct;
    if (text.size() > 4) {
      std::size_t used = 0;
      int d = 0;
      try {
        d = std::stoi(text.substr(4), &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != text.size() - 4 || d < 1 || d > kMaxPctDepth)
        throw std::invalid_argument(fmt::format("bad pct depth in '{}': expected pct:D with D in 1..{}", text, kMaxPctDepth));
      s.depth = d;
    }
    return s;
  }
  if (text.rfind("dfs:", 0) == 0) {
    s.kind = Kind::Dfs;
    std::size_t used = 0;
    int p = -1;
    try {
      p = std::stoi(text.substr(4), &used);
    } catch (const std::exception &) {
      used = 0;
    }
    if (used == 0 || used != text.size() - 4 || p < 0 || p > kMaxPreemptions)
      throw std::invalid_argument(fmt::format("bad dfs bound in '{}': expected dfs:P with P in 0..{}", text, kMaxPreemptions));
    s.depth = p;
    return s;
  }
  if (text.rfind("replay:", 0) == 0) {
    s.kind = Kind::Replay;
    s.replay_file = text.substr(7);
    if (s.replay_file.empty()) throw std::invalid_argument("replay needs a decisions file: 'replay:FILE'");
    if (load) s.decisions = load_decisions(s.replay_file);
    return s;
  }
  throw std::invalid_argument(fmt::format("unknown strategy '{}': expected {}", text, kForms));
}

std::string StrategySpec::to_string() const {
  switch (kind) {
    case Kind::Random: return "random";
    case Kind::Pct: return fmt::format("pct:{}", depth);
    case Kind::Pos: return "pos";
    case Kind::Portfolio: return "portfolio";
    case Kind::Replay: return "replay:" + replay_file;
    case Kind::Dfs: return fmt::format("dfs:{}", depth);
  }
  return "?";
}

std::vector<std::uint32_t> load_decisions(const std::string &path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("cannot read replay file '{}'", path));
  std::vector<std::uint32_t> out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    lineno++;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      std::size_t used = 0;
      unsigned long v = 0;
      try {
        v = std::stoul(w, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != w.size() || v > UINT32_MAX)
        throw std::invalid_argument(fmt::format("{}:{}: bad decision '{}' (expected an actor id)", path, lineno, w));
      out.push_back(static_cast<std::uint32_t>(v));
    }
  }
  return out;
}

}  // namespace vdisim::sim
