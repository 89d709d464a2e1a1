# varnish.m4 -- vdisim's autoconf macros for vmods: the public macros of Varnish's
# varnish.m4 (VARNISH_PREREQ, VARNISH_VMODS, VARNISH_VMODS_GENERATED, VARNISH_COUNTERS,
# VARNISH_UTILITIES) with the same substituted variables and make rules, written for
# vdisim, so an unmodified vmod checkout's configure.ac/Makefile.am build against vdisim.
# Installed as <prefix>/share/aclocal/varnish.m4; run aclocal with
# ACLOCAL_PATH=<prefix>/share/aclocal and PKG_CONFIG_PATH=<prefix>/lib/pkgconfig.
#
# Differences from Varnish's: no rst2man is fine (vmod_NAME.3 is then not built, and
# make says so); the generated vcc_NAME_if.c comes from vdisim's vmodtool.py.
#
# serial 1 (vdisim)

# Silent-rule variables in the make rules below, not misspelt automake macros.
m4_pattern_allow([^AM_V_VMODTOOL$])
m4_pattern_allow([^AM_V_VSCTOOL$])
m4_pattern_allow([^AM_V_GEN$])

# _VARNISH_PKG_CONFIG: what varnishapi.pc says, as VARNISHAPI_* and friends.
AC_DEFUN([_VARNISH_PKG_CONFIG], [
	PKG_PROG_PKG_CONFIG([0.21])
	PKG_CHECK_MODULES([VARNISHAPI], [varnishapi])
	AC_SUBST([VARNISH_VERSION], [$($PKG_CONFIG --modversion varnishapi)])
	PKG_CHECK_VAR([VARNISHAPI_PREFIX], [varnishapi], [prefix])
	PKG_CHECK_VAR([VARNISHAPI_DATAROOTDIR], [varnishapi], [datarootdir])
	PKG_CHECK_VAR([VARNISHAPI_LIBDIR], [varnishapi], [libdir])
	PKG_CHECK_VAR([VARNISHAPI_BINDIR], [varnishapi], [bindir])
	PKG_CHECK_VAR([VARNISHAPI_SBINDIR], [varnishapi], [sbindir])
	PKG_CHECK_VAR([VARNISHAPI_VCLDIR], [varnishapi], [vcldir])
	PKG_CHECK_VAR([VARNISHAPI_VMODDIR], [varnishapi], [vmoddir])
	PKG_CHECK_VAR([VMODTOOL], [varnishapi], [vmodtool])
	PKG_CHECK_VAR([VSCTOOL], [varnishapi], [vsctool])
	AC_SUBST([VARNISH_LIBRARY_PATH], [$VARNISHAPI_LIBDIR:$VARNISHAPI_LIBDIR/varnish])
	AC_SUBST([VARNISH_TEST_PATH], [$VARNISHAPI_SBINDIR:$VARNISHAPI_BINDIR:$PATH])

	# Without --prefix, install next to the vdisim the vmod was built against.
	AS_IF([test "x$prefix" = xNONE], [
		ac_default_prefix=$VARNISHAPI_PREFIX
		libdir=$VARNISHAPI_LIBDIR
	])
	# vcldir relative to this package's datadir (left for make to expand).
	vcldir=$($PKG_CONFIG --define-variable=datadir="$datadir" --variable=vcldir varnishapi)
	AC_SUBST([vcldir])
	AC_SUBST([pkgvcldir], ['${vcldir}/${PACKAGE}'])
])

# _VARNISH_CHECK_DEVEL: the fake VRT headers are where the flags say.
AC_DEFUN([_VARNISH_CHECK_DEVEL], [
	AC_REQUIRE([_VARNISH_PKG_CONFIG])
	vdisim_save_CPPFLAGS=$CPPFLAGS
	CPPFLAGS=$VARNISHAPI_CFLAGS
	AC_CHECK_HEADERS([vsha256.h cache/cache.h], [],
		[AC_MSG_ERROR([Varnish (vdisim) development headers not found under $VARNISHAPI_CFLAGS.])])
	CPPFLAGS=$vdisim_save_CPPFLAGS
])

# _VARNISH_CHECK_PYTHON: vmodtool.py and vsctool.py run with $(PYTHON).
AC_DEFUN([_VARNISH_CHECK_PYTHON], [
	AM_PATH_PYTHON([3.4], [], [AC_MSG_ERROR([vdisim's vmodtool needs Python >= 3.4.])])
])

# _VARNISH_VMOD_CONFIG: once for all the vmods of a package.
AC_DEFUN([_VARNISH_VMOD_CONFIG], [
	AC_REQUIRE([AC_USE_SYSTEM_EXTENSIONS])
	AC_REQUIRE([AC_PROG_CC])
	AC_REQUIRE([AC_PROG_CPP])
	AC_REQUIRE([_VARNISH_PKG_CONFIG])
	AC_REQUIRE([_VARNISH_CHECK_DEVEL])
	AC_REQUIRE([_VARNISH_CHECK_PYTHON])

	# A loadable module; VRT_* and the rest of the runtime stay undefined until
	# simrun dlopen()s it, as varnishd's symbols resolve a vmod's.
	AC_SUBST([VMOD_LDFLAGS], ["-module -export-dynamic -avoid-version -shared"])
	AS_IF([test -z "$RST2MAN"],
		[AC_MSG_WARN([no rst2man: vmod manual pages will not be built (vdisim needs none)])])

	AC_SUBST([VARNISHAPI_VMODDIR])
	AC_SUBST([VARNISHAPI_DATAROOTDIR])
	vmoddir=$($PKG_CONFIG --define-variable=libdir="$libdir" --variable=vmoddir varnishapi)
	AC_SUBST([vmoddir])

	AC_SUBST([am__v_VMODTOOL_0], ['@echo "  VMODTOOL" $''@;'])
	AC_SUBST([am__v_VMODTOOL_1], [''])
	AC_SUBST([am__v_VMODTOOL_], ['$(am__v_VMODTOOL_$(AM_DEFAULT_VERBOSITY))'])
	AC_SUBST([AM_V_VMODTOOL], ['$(am__v_VMODTOOL_$(V))'])
	AC_SUBST([VMOD_TEST_PATH], [$VARNISH_TEST_PATH])
])

# _VARNISH_VMOD(NAME, VCC-SOURCES): substitutions and make rules for vmod NAME,
# whose .vcc is the first of VCC-SOURCES that exists.
AC_DEFUN([_VARNISH_VMOD], [
	AC_REQUIRE([_VARNISH_VMOD_CONFIG])
	AC_SUBST(m4_toupper([VMOD_$1_FILE]), ['$(abs_builddir)/.libs/libvmod_$1.so'])
	AC_SUBST(m4_toupper([VMOD_$1]), ['$1 from \"$(abs_builddir)/.libs/libvmod_$1.so\"'])
	AC_SUBST([vmod_$1_vcldir], ['${vcldir}/$1'])
	AC_SUBST(m4_toupper([BUILD_VMOD_$1]), ['
# vmod $1: interface from vmod_$1.vcc (vdisim vmodtool.py)
vcc_$1_if.c: vmod_$1.vcc
	$(AM_V_VMODTOOL)$(PYTHON) $(VMODTOOL) -o vcc_$1_if $2

vcc_$1_if.h vmod_$1.rst vmod_$1.man.rst: vcc_$1_if.c

$(libvmod_$1_la_OBJECTS): vcc_$1_if.h $(nodist_libvmod_$1_la_SOURCES)

vmod_$1.3: vmod_$1.man.rst
	$(AM_V_GEN)if test -n "$(RST2MAN)"; then \
		$(RST2MAN) vmod_$1.man.rst vmod_$1.3; \
	else \
		echo "vmod_$1.3: no rst2man, manual page not built"; \
	fi

clean: clean-vmod-$1
distclean: clean-vmod-$1
clean-vmod-$1:
	rm -f vcc_$1_if.c vcc_$1_if.h vmod_$1.rst vmod_$1.man.rst vmod_$1.3
'])
	AM_SUBST_NOTMAKE(m4_toupper([BUILD_VMOD_$1]))
])

# VARNISH_VMODS(NAMES): vmods whose vmod_NAME.vcc is in the source tree.
AC_DEFUN([VARNISH_VMODS], [
	m4_foreach_w([vdisim_vmod], [$1],
		[_VARNISH_VMOD(vdisim_vmod, [$(srcdir)/vmod_]vdisim_vmod[.vcc])])
])

# VARNISH_VMODS_GENERATED(NAMES): the .vcc may be made in the build tree.
AC_DEFUN([VARNISH_VMODS_GENERATED], [
	m4_foreach_w([vdisim_vmod], [$1],
		[_VARNISH_VMOD(vdisim_vmod,
			[$(builddir)/vmod_]vdisim_vmod[.vcc $(srcdir)/vmod_]vdisim_vmod[.vcc])])
])

# _VARNISH_VSC_CONFIG: vsctool.py turns NAME.vsc into VSC_NAME.[ch] and .rst.
AC_DEFUN([_VARNISH_VSC_CONFIG], [
	AC_REQUIRE([_VARNISH_PKG_CONFIG])
	AC_REQUIRE([_VARNISH_CHECK_DEVEL])
	AC_REQUIRE([_VARNISH_CHECK_PYTHON])
	AC_SUBST([am__v_VSCTOOL_0], ['@echo "  VSCTOOL " $''@;'])
	AC_SUBST([am__v_VSCTOOL_1], [''])
	AC_SUBST([am__v_VSCTOOL_], ['$(am__v_VSCTOOL_$(AM_DEFAULT_VERBOSITY))'])
	AC_SUBST([AM_V_VSCTOOL], ['$(am__v_VSCTOOL_$(V))'])
])

AC_DEFUN([_VARNISH_COUNTER], [
	AC_REQUIRE([_VARNISH_VSC_CONFIG])
	AC_SUBST(m4_toupper([BUILD_VSC_$1]), ['
# counters $1: from $1.vsc (vdisim vsctool.py)
VSC_$1.h: $1.vsc
	$(AM_V_VSCTOOL)$(PYTHON) $(VSCTOOL) -h $(srcdir)/$1.vsc
VSC_$1.c: $1.vsc
	$(AM_V_VSCTOOL)$(PYTHON) $(VSCTOOL) -c $(srcdir)/$1.vsc
VSC_$1.rst: $1.vsc
	$(AM_V_VSCTOOL)$(PYTHON) $(VSCTOOL) -r $(srcdir)/$1.vsc >VSC_$1.rst

clean: clean-vsc-$1
distclean: clean-vsc-$1
clean-vsc-$1:
	rm -f VSC_$1.h VSC_$1.c VSC_$1.rst
'])
	AM_SUBST_NOTMAKE(m4_toupper([BUILD_VSC_$1]))
])

# VARNISH_COUNTERS(NAMES): counter sets NAME.vsc.
AC_DEFUN([VARNISH_COUNTERS], [
	m4_foreach_w([vdisim_vsc], [$1], [_VARNISH_COUNTER(vdisim_vsc)])
])

AC_DEFUN([_VARNISH_UTILITY], [
	AC_SUBST(m4_toupper([GENERATE_$1_DOCS]), ['
$1_synopsis.rst: $1
	$(AM_V_GEN)./$1 --synopsis >$1_synopsis.rst
$1_options.rst: $1
	$(AM_V_GEN)./$1 --options >$1_options.rst
$1.rst: $1_synopsis.rst $1_options.rst

clean: clean-vut-$1
distclean: clean-vut-$1
clean-vut-$1:
	rm -f $1_synopsis.rst $1_options.rst
'])
	AM_SUBST_NOTMAKE(m4_toupper([GENERATE_$1_DOCS]))
])

# VARNISH_UTILITIES(NAMES): documentation rules for VUT programs.
AC_DEFUN([VARNISH_UTILITIES], [
	m4_foreach_w([vdisim_vut], [$1], [_VARNISH_UTILITY(vdisim_vut)])
])

# VARNISH_PREREQ(MINIMUM, [BELOW]): the Varnish version vdisim fakes is at least
# MINIMUM and, if given, below BELOW.
AC_DEFUN([VARNISH_PREREQ], [
	AC_REQUIRE([_VARNISH_PKG_CONFIG])
	AC_MSG_CHECKING([for Varnish])
	AC_MSG_RESULT([$VARNISH_VERSION (vdisim)])
	AS_VERSION_COMPARE([$VARNISH_VERSION], [$1],
		[AC_MSG_ERROR([Varnish $1 or later is required; vdisim fakes $VARNISH_VERSION.])])
	m4_ifnblank([$2], [AS_VERSION_COMPARE([$VARNISH_VERSION], [$2], [],
		[AC_MSG_ERROR([Varnish below $2 is required; vdisim fakes $VARNISH_VERSION.])],
		[AC_MSG_ERROR([Varnish below $2 is required; vdisim fakes $VARNISH_VERSION.])])])
])
