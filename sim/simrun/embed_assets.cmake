# cmake -DOUT=FILE.cpp -DCSS=FILE.css -DJS=FILE.js -P embed_assets.cmake: the HTML report's
# stylesheet and chart code as C++ strings (html_report.hpp), so simrun needs no file and
# no interpreter at run time to write a page.
file(READ ${CSS} css)
file(READ ${JS} js)
foreach(text css js)
  string(FIND "${${text}}" ")vdisim_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${text} contains the raw string delimiter )vdisim_asset\"")
  endif()
endforeach()
file(WRITE ${OUT} "// Generated from html_report.css and html_report.js by embed_assets.cmake.\n"
  "#include \"sim/simrun/html_report.hpp\"\n"
  "namespace vdisim::simrun {\n"
  "const char *const kHtmlCss = R\"vdisim_asset(${css})vdisim_asset\";\n"
  "const char *const kHtmlJs = R\"vdisim_asset(${js})vdisim_asset\";\n"
  "}  // namespace vdisim::simrun\n")
