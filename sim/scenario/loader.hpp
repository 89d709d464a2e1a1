// Scenario loader: YAML text -> validated scenario::Scenario (model.hpp), or a LoadError
// naming file:line:col. Used by simrun and the scenario tests. Never crashes and never
// returns a partially checked model: every YAML error (libyaml, yaml_node.hpp) becomes a LoadError.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>

#include "sim/scenario/model.hpp"

namespace vdisim::scenario {

// line/col are 1-based. File-level errors (unreadable file) have line = col = 0 and
// what() = "file: message"; all others what() = "file:line:col: message".
class LoadError : public std::runtime_error {
 public:
  LoadError(std::string file, int line, int col, std::string message);
  std::string file;
  int line;
  int col;
  std::string message;
};

Scenario load_file(const std::string& path);
Scenario load_string(std::string_view text, std::string filename);

}  // namespace vdisim::scenario
