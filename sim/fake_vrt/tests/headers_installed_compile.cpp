// headers_installed_compile.cpp -- the same translation unit as headers_installed_compile.c,
// compiled as C++: a vmod written in C++ includes the same headers.
#include "headers_installed_compile.c"
