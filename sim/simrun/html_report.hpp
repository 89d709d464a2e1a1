// `simrun --html FILE`: the JSON report as one self-contained page (inline CSS, JS and
// SVG; nothing fetched at view time). Tables and text are written here; the charts are
// drawn in the browser by html_report.js from the expanded run's record, embedded as JSON.
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace vdisim::simrun {

// The run a page shows in full: the first failing seed, else the first that hit the
// failure `expect: failure` asks for, else the first seed. nullopt when there is no run.
std::optional<std::size_t> expanded_run(const nlohmann::json &runs);

// The page for a report as Reporter::report builds it (a sweep, one seed, or a merge).
std::string html_report(const nlohmann::json &report);

// The CSS and the chart code, embedded at build time (html_report.css, html_report.js).
extern const char *const kHtmlCss;
extern const char *const kHtmlJs;

}  // namespace vdisim::simrun
