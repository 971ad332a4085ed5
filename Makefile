# ss-security: one build for everything.

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system
DATADIR	?= $(PREFIX)/share/ss-security
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
# /etc whatever the PREFIX: the tools read /etc/ss/security.conf by
# default, wherever they are installed.  The path is compiled in.
SYSCONFDIR ?= /etc
CONFDIR	 = $(SYSCONFDIR)/ss
# The directories of the default configuration ([device] state_dir,
# [certs] dir, [acme] webroot): tests/integration/install.sh checks that
# they are the defaults of lib/conf_keys.h.
STATEDIR = /var/lib/ss
CERTSDIR = /var/apollo/data/certs
WEBROOT	 = /var/www/acme
DESTDIR	?=
VERSION	 = 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config

# Cross-building: CROSS is the toolchain's prefix (arm-linux-gnueabihf-),
# found from DEB_ARCH, the Debian architecture (armhf), when only that is
# given; CC, AR and PKG_CONFIG follow it.  The build goes to
# build/cross-DEB_ARCH.  make deps-cross DEB_ARCH=... installs what it
# needs, make check-cross DEB_ARCH=... runs the tests under qemu-user.
DEB_ARCH ?=
ifeq ($(origin CROSS),undefined)
CROSS	:= $(if $(DEB_ARCH),$(shell dpkg-architecture -a$(DEB_ARCH) \
	   -qDEB_HOST_GNU_TYPE 2>/dev/null)-)
endif
ifneq ($(CROSS),)
ifeq ($(DEB_ARCH),)
DEB_ARCH := $(shell dpkg-architecture -t$(CROSS:%-=%) -qDEB_HOST_ARCH \
	   2>/dev/null)
endif
CC	 = $(CROSS)gcc
AR	 = $(CROSS)ar
PKG_CONFIG = $(CROSS)pkg-config
B	?= build/cross-$(DEB_ARCH)
endif
B	?= build
PKGS	 = libcrypto libssl inih jansson libcurl libargon2 libxcrypt libgpiod ldns

OPT	?= -O2 -D_FORTIFY_SOURCE=2
CFLAGS	?= $(OPT)
SANFLAGS ?=
CFLAGS	+= -std=gnu11 -Wall -Wextra -Werror -fstack-protector-strong -fPIE \
	   -D_FILE_OFFSET_BITS=64 \
	   -Ilib -DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED \
	   -DSS_VERSION=\"$(VERSION)\" \
	   -DCONF_DEFAULT_PATH=\"$(CONFDIR)/security.conf\" \
	   -DCONF_EXAMPLE_PATH=\"$(DATADIR)/security.conf.example\" \
	   $(SANFLAGS) $(shell $(PKG_CONFIG) --cflags $(PKGS))
LDFLAGS	+= -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(SANFLAGS)
# libcurl is not linked: lib/libcurl.c dlopen()s libcurl.so.4 when a tool
# first goes on the network, so the linker cannot see it.  The package
# declares it (debian/control): Depends: libcurl4 (>= 7.85).
LDLIBS	 = $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS)))

TOOLS	 = ss-audit ss-btnwatch ss-cert ss-ddns ss-nginxconf ss-passwd
LIB_SRC	 = $(wildcard lib/*.c)
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNITS	 = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SHIM	 = $(B)/tests/faultinj.so

# Debian packages, in three lists: each package that a target or a test
# uses is in exactly one (tests/integration/install.sh checks that they do
# not overlap, that debian/control's Build-Depends are in DEBS_BUILD and
# that the package's Depends are in DEBS_RUN).
#   DEBS_CC     compiling the tools: debian/control's Build-Depends
#   DEBS_BUILD  and the unit tests, the fuzzers and the package
#   DEBS_RUN    what the installed tools need (libcurl4 is dlopen()ed)
#   DEBS_TEST   the test servers and checkers, and make lint
#   DEBS_DEMO   what make demo uses, taken from the lists above
DEBS_CC	 = gcc make pkg-config libc6-dev libssl-dev libinih-dev \
	   libjansson-dev libcurl4-openssl-dev libargon2-dev libcrypt-dev \
	   libldns-dev libgpiod-dev
DEBS_BUILD = $(DEBS_CC) libcmocka-dev clang-14 libclang-rt-14-dev \
	   debhelper dpkg-dev lintian devscripts
DEBS_RUN = libc6 libssl3 libinih1 libjansson4 libcurl4 libargon2-1 \
	   libcrypt1 libldns3 libgpiod2 ca-certificates
DEBS_TEST = openssl curl python3 python3-aiosmtpd python3-cryptography \
	   pebble bind9 bind9-utils bind9-dnsutils nginx tinyproxy-bin \
	   openjdk-17-jre-headless sslscan argon2 whois pamtester \
	   libfaketime time util-linux procps iproute2 bsdutils mount \
	   debootstrap systemd-container ansible-core ansible-lint \
	   openssh-client git cppcheck mandoc python3-pyflakes \
	   bash-completion lynis testssl.sh
DEBS_DEMO = $(DEBS_CC) $(DEBS_RUN) openssl python3 pebble bind9 \
	   bind9-dnsutils nginx
#   DEBS_CROSS  make deps-cross DEB_ARCH=...: the cross compiler, qemu-user
#               and the target's -dev packages and libfaketime (libldns-dev
#               apart: see deps-cross)
DEBS_CROSS = gcc-$(CROSS:%-=%) qemu-user-static \
	   $(addsuffix :$(DEB_ARCH),libc6-dev libssl-dev libinih-dev \
	   libjansson-dev libcurl4-openssl-dev libargon2-dev libcrypt-dev \
	   libgpiod-dev libcmocka-dev pkgconf libfaketime libldns3)

all: $(B)/libsec.a $(TOOLS:%=$(B)/%) $(B)/security.conf

$(B)/obj/%.o: %.c $(wildcard lib/*.h) $(wildcard tools/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The configuration's path and its example's are compiled in: what uses
# them is rebuilt when SYSCONFDIR or DATADIR changes.
CONF_PATHS = '$(CONFDIR)/security.conf' '$(DATADIR)/security.conf.example'
$(B)/conf-path: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(CONF_PATHS) | cmp -s - $@ || \
	    printf '%s\n' $(CONF_PATHS) >$@
$(patsubst %.c,$(B)/obj/%.o,$(shell grep -lE \
    'CONF_(DEFAULT|EXAMPLE)_PATH' lib/*.c tools/*/*.c)) \
    $(B)/tests/test_conf: $(B)/conf-path

$(B)/libsec.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

.SECONDEXPANSION:
$(B)/ss-%: $$(addprefix $(B)/obj/,$$(subst .c,.o,$$(wildcard tools/ss-$$*/*.c))) $(B)/libsec.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests: one per module; test_fs wraps write/fsync/rename to inject faults.
# Their Python scripts are found in the source tree from any directory.
$(B)/tests/%: private CFLAGS += -DSS_TEST_PYTHON=\"$(CURDIR)/tests/unit/python\"
WRAP_test_fs = -Wl,--wrap=write,--wrap=fsync,--wrap=renameat
$(B)/tests/test_%: tests/unit/test_%.c tests/unit/util.c tests/unit/util.h \
    $(B)/libsec.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(shell $(PKG_CONFIG) --cflags cmocka) $(LDFLAGS) \
	    $(WRAP_test_$*) -o $@ $(filter-out %.h $(B)/conf-path,$^) $(LDLIBS) \
	    $(shell $(PKG_CONFIG) --libs cmocka)

# test_btnwatch links ss-btnwatch without its main() and wraps libgpiod:
# the button and the LEDs are the one thing the tests fake.
BTN_OBJ	 = $(patsubst %.c,$(B)/obj/%.o,$(filter-out %/main.c,\
	   $(wildcard tools/ss-btnwatch/*.c)))
WRAP_btnwatch = -Wl,--wrap=gpiod_chip_open_lookup,--wrap=gpiod_chip_get_line \
	   -Wl,--wrap=gpiod_line_request_both_edges_events_flags \
	   -Wl,--wrap=gpiod_line_event_get_fd,--wrap=gpiod_line_event_read \
	   -Wl,--wrap=gpiod_line_release,--wrap=gpiod_chip_close \
	   -Wl,--wrap=gpiod_line_request_output,--wrap=gpiod_line_set_value
$(B)/tests/test_btnwatch: tests/unit/test_btnwatch.c tests/unit/util.c \
    tests/unit/util.h $(BTN_OBJ) $(B)/libsec.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/ss-btnwatch \
	    $(shell $(PKG_CONFIG) --cflags cmocka) $(LDFLAGS) \
	    $(WRAP_btnwatch) -o $@ $(filter-out %.h,$^) $(LDLIBS) \
	    $(shell $(PKG_CONFIG) --libs cmocka)

$(SHIM): tests/unit/faultinj.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $< -ldl

units: $(UNITS) $(SHIM)

# Fuzzing: libFuzzer harnesses (tests/fuzz/fuzz_NAME.c), built by clang
# with ASan and UBSan into $(B)/fuzz, everything under them included.  A
# harness links libsec and, when FUZZ_TOOL_NAME names one, that tool's
# objects but main.o (a harness that #includes one of them for its static
# parser gets that copy instead of the archive's).
FUZZ_CC	 = clang-14
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
FUZZERS	 = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_TOOL_acme = ss-cert
FUZZ_TOOL_bind = ss-nginxconf
FUZZ_TOOL_dyndns2 = ss-ddns
FUZZ_TOOL_htpasswd = ss-passwd
FUZZ_TOOL_sim = ss-btnwatch
FUZZ_TOOL_tsigkey = ss-ddns

fuzzers:
	$(MAKE) B=$(B)/fuzz CC=$(FUZZ_CC) OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" fuzz-harnesses

fuzz-harnesses: $(FUZZERS:%=$(B)/fuzz_%)

$(B)/tools/ss-%.a: $$(addprefix $(B)/obj/,$$(subst .c,.o,$$(filter-out \
    tools/ss-$$*/main.c,$$(wildcard tools/ss-$$*/*.c))))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h \
    $$(if $$(FUZZ_TOOL_$$*),$(B)/tools/$$(FUZZ_TOOL_$$*).a) $(B)/libsec.a
	$(CC) $(CFLAGS) -Itests/fuzz \
	    $(if $(FUZZ_TOOL_$*),-Itools/$(FUZZ_TOOL_$*)) \
	    $(LDFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.a,$^) $(LDLIBS)

# Each harness for FUZZ_SECONDS, from its seeds; what it finds new goes to
# $(B)/fuzz/corpus/NAME, a crash to $(B)/fuzz/crash-NAME-*.
fuzz: deps-build fuzzers
	@fail=0; for f in $(FUZZERS); do \
	    mkdir -p $(B)/fuzz/corpus/$$f; \
	    echo "fuzz_$$f: $(FUZZ_SECONDS) s"; \
	    $(B)/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(B)/fuzz/crash-$$f- -print_final_stats=1 \
		-close_fd_mask=2 $(B)/fuzz/corpus/$$f tests/fuzz/corpus/$$f \
		2>$(B)/fuzz/$$f.log || { fail=1; \
		echo "fuzz_$$f: FAILED, see $(B)/fuzz/$$f.log"; }; \
	    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
		$(B)/fuzz/$$f.log; \
	done; exit $$fail

# apt-get install of the packages of list $(1) that are missing, with
# nothing asked; nothing when all are there.  Debian starts a server it
# installs (nginx, bind9) unless /usr/sbin/policy-rc.d says no.
define deps_install
	@missing=""; for p in $(1); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq </dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $$missing </dev/null; \
	fi
endef

deps: deps-build deps-run deps-test

deps-build:
	$(call deps_install,$(DEBS_BUILD))

deps-run:
	$(call deps_install,$(DEBS_RUN))

deps-test:
	$(call deps_install,$(DEBS_TEST))

deps-demo:
	$(call deps_install,$(DEBS_DEMO))

# The target's architecture is added to dpkg's, and its packages are
# installed next to this machine's (multiarch).  libldns-dev:$(DEB_ARCH)
# and the native one both ship a doc file that differs: that one package
# is installed with dpkg --force-overwrite.
deps-cross: cross-arch
	@dpkg --print-foreign-architectures | grep -qx '$(DEB_ARCH)' || { \
	    echo dpkg --add-architecture $(DEB_ARCH); \
	    dpkg --add-architecture $(DEB_ARCH) && \
	    apt-get update -qq </dev/null; }
	$(call deps_install,$(DEBS_CROSS))
	@p=libldns-dev:$(DEB_ARCH); \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'ok installed' || { \
	    echo "installing: $$p (dpkg --force-overwrite)"; \
	    d=$$(mktemp -d) && (cd $$d && apt-get download -qq $$p) && \
	    dpkg -i --force-overwrite $$d/*.deb; rc=$$?; rm -rf $$d; exit $$rc; }

cross-arch:
	@[ -n '$(CROSS)' ] && [ -n '$(DEB_ARCH)' ] || { \
	    echo 'name the target: DEB_ARCH=arm64 or DEB_ARCH=armhf' >&2; \
	    exit 2; }

check: deps
	$(MAKE) all units fuzzers
	tests/run $(B)

# The package under a real systemd: tests/system boots a debootstrapped
# Debian 12 root (cached in /var/cache/ss-security) with systemd-nspawn.
check-system: deps deb
	tests/system/run $(B)

# The collection against a small fleet: tests/fleet boots three copies of
# that root, each with sshd on a 127.0.0.1 port of its own, and runs
# Ansible against them over SSH.
check-fleet: deps deb
	tests/fleet/run $(B)

# The tests with the tools and the unit tests built by CROSS and run by
# qemu-user; the servers and the test scripts stay native.  $(B)/qemu has
# a stand-in for each (tests/cross/qemu-run.c) and the target's fault
# injection shim: tests/run runs them from there.
QEMU	 = /usr/bin/qemu-$(firstword $(subst -, ,$(CROSS)))-static
CROSS_RUN = $(TOOLS:%=$(B)/qemu/%) $(UNITS:$(B)/%=$(B)/qemu/%) \
	   $(B)/qemu/tests/faultinj.so $(B)/qemu/ss-confgen \
	   $(B)/qemu/security.conf

check-cross: cross-arch deps-cross deps-test
	$(MAKE) all units cross-run
	SS_CROSS=$(DEB_ARCH) tests/run $(B)/qemu

cross-run: $(CROSS_RUN)

# (a rule of its own for each pattern: one rule with both would make both
# at once)
define cross_run
	@mkdir -p $(@D)
	$(CC_FOR_BUILD) -std=gnu11 -Wall -Wextra -Werror -O2 -static \
	    -DSS_QEMU=\"$(QEMU)\" \
	    -DSS_REAL=\"$(abspath $(@:$(B)/qemu/%=$(B)/%))\" -o $@ $<
endef
$(B)/qemu/ss-%: tests/cross/qemu-run.c
	$(cross_run)
$(B)/qemu/tests/test_%: tests/cross/qemu-run.c
	$(cross_run)

$(B)/qemu/tests/faultinj.so $(B)/qemu/ss-confgen $(B)/qemu/security.conf:
	@mkdir -p $(@D)
	ln -sf $(abspath $(@:$(B)/qemu/%=$(B)/%)) $@

ASAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
# The flags are in the tests' environment too, so that a make they run in
# build/asan (make install with another PREFIX relinks) builds alike.
check-asan: deps
	$(MAKE) B=build/asan OPT=-O1 SANFLAGS="$(ASAN_FLAGS)" all units
	$(MAKE) B=build/asan fuzzers
	OPT=-O1 SANFLAGS="$(ASAN_FLAGS)" ASAN_OPTIONS=detect_leaks=1 \
	    tests/run build/asan

demo: deps-demo all
	tests/demo $(B)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr -Ilib lib tools
	mandoc -Tlint -Wwarning man/*.[58]
	/usr/bin/python3 -m pyflakes tests ansible

# The example configuration, from the key table: every key with its
# default, commented out.  ss-confgen runs on the build machine.
CC_FOR_BUILD ?= $(if $(CROSS),cc,$(CC))
$(B)/ss-confgen: tools/confgen/confgen.c lib/conf.h lib/conf_keys.h
	@mkdir -p $(@D)
	$(CC_FOR_BUILD) -std=gnu11 -Wall -Wextra -Werror -Ilib \
	    -D_FILE_OFFSET_BITS=64 \
	    -DSS_VERSION=\"$(VERSION)\" -o $@ $<

$(B)/security.conf: $(B)/ss-confgen
	$(B)/ss-confgen >$@.tmp
	mv $@.tmp $@

# Pages and units name the paths of this install.
INSTALL_SED = -e 's|/usr/local/sbin/ss-|$(SBINDIR)/ss-|g' \
	   -e 's|/usr/local/lib/systemd/system/|$(UNITDIR)/|g' \
	   -e 's|/etc/ss/security\.conf|$(CONFDIR)/security.conf|g' \
	   -e 's|/etc/ss/\.security\.conf\.lock|$(CONFDIR)/.security.conf.lock|g' \
	   -e 's|/usr/share/ss-security/|$(DATADIR)/|g' \
	   -e 's|/usr/local/share/bash-completion/completions/|$(COMPLETIONDIR)/|g'
# Empty, for other packages' hooks; [acme] hooks_dir is /etc/ss/hooks.
HOOKDIRS = $(CONFDIR)/hooks/pre $(CONFDIR)/hooks/deploy $(CONFDIR)/hooks/post
INSTALL_TEXT = $(wildcard man/*.8) $(wildcard man/*.5) \
	   $(wildcard timers/*.service) $(wildcard timers/*.timer)
install_dest = $(DESTDIR)$(patsubst man/%.5,$(MANDIR)/man5/%.5,$(patsubst \
	   man/%.8,$(MANDIR)/man8/%.8,$(patsubst timers/%,$(UNITDIR)/%,$(1))))

# The bash completion, one copy under each tool's name; it needs no build.
install-completion:
	install -d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0644 $(TOOLS:%=completion/%) $(DESTDIR)$(COMPLETIONDIR)

# What the package holds (debian/rules runs this): the tools, the pages,
# the units, the bash completion (one copy under each tool's name, which
# bash-completion loads on demand), the configuration directory with the
# hooks' directories, the state directory, and the example configuration,
# also installed as the configuration when there is none: an existing one
# is never overwritten.
install-files: all install-completion
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(TOOLS:%=$(B)/%) $(DESTDIR)$(SBINDIR)
	for f in $(INSTALL_TEXT); do \
	    case $$f in \
	    man/*.8) d=$(DESTDIR)$(MANDIR)/man8 ;; \
	    man/*.5) d=$(DESTDIR)$(MANDIR)/man5 ;; \
	    *) d=$(DESTDIR)$(UNITDIR) ;; \
	    esac; \
	    sed $(INSTALL_SED) "$$f" >"$$d/$${f##*/}" && \
	    chmod 0644 "$$d/$${f##*/}" || exit 1; \
	done
	[ -d $(DESTDIR)$(CONFDIR) ] || install -d -m 0755 $(DESTDIR)$(CONFDIR)
	for d in $(CONFDIR)/hooks $(HOOKDIRS); do \
	    [ -d $(DESTDIR)$$d ] || install -d -m 0755 $(DESTDIR)$$d || exit 1; \
	done
	[ -d $(DESTDIR)$(STATEDIR) ] || install -d -m 0700 $(DESTDIR)$(STATEDIR)
	install -m 0644 $(B)/security.conf \
	    $(DESTDIR)$(DATADIR)/security.conf.example
	@if [ -e $(DESTDIR)$(CONFDIR)/security.conf ] || \
	    [ -L $(DESTDIR)$(CONFDIR)/security.conf ]; then \
	    echo "$(DESTDIR)$(CONFDIR)/security.conf: kept; this version's" \
		"defaults are in $(DATADIR)/security.conf.example"; \
	else \
	    echo install -m 0644 $(B)/security.conf \
		$(DESTDIR)$(CONFDIR)/security.conf; \
	    install -m 0644 $(B)/security.conf \
		$(DESTDIR)$(CONFDIR)/security.conf; \
	fi

# And the directories of the default configuration that the package's
# postinst makes: Debian packages do not ship them.
install: install-files
	[ -d $(DESTDIR)$(CERTSDIR) ] || install -d -m 0755 $(DESTDIR)$(CERTSDIR)
	[ -d $(DESTDIR)$(WEBROOT) ] || install -d -m 0755 $(DESTDIR)$(WEBROOT)

# What install put, but the configuration when the owner changed it, a
# directory that is not empty, and never the certificates directory.
uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(SBINDIR)/%) \
	    $(TOOLS:%=$(DESTDIR)$(COMPLETIONDIR)/%) \
	    $(foreach f,$(INSTALL_TEXT),$(call install_dest,$(f)))
	@c=$(DESTDIR)$(CONFDIR)/security.conf; \
	if cmp -s "$$c" $(DESTDIR)$(DATADIR)/security.conf.example; then \
	    echo rm -f "$$c"; rm -f "$$c" $(DESTDIR)$(CONFDIR)/.security.conf.lock; \
	elif [ -e "$$c" ] || [ -L "$$c" ]; then \
	    echo "$$c: kept: it is not the example configuration"; \
	fi
	rm -f $(DESTDIR)$(DATADIR)/security.conf.example
	@for d in $(HOOKDIRS:%=$(DESTDIR)%) $(DESTDIR)$(CONFDIR)/hooks \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(CONFDIR) \
	    $(DESTDIR)$(STATEDIR) $(DESTDIR)$(WEBROOT)/.well-known/acme-challenge \
	    $(DESTDIR)$(WEBROOT)/.well-known $(DESTDIR)$(WEBROOT); do \
	    [ ! -d "$$d" ] || rmdir "$$d" 2>/dev/null || \
		echo "$$d: kept: not empty"; \
	done

# The Debian package for this machine's architecture, built from a copy
# of the tree in $(B)/deb/src so that nothing is written outside $(B):
# the .deb files, .changes and .buildinfo end in $(B)/deb, checked by
# lintian.  The version is VERSION; debian/changelog must agree.
# Temporary files go to $(B)/deb/tmp: lintian leaves some behind.  The
# package is built with the release flags whatever OPT and SANFLAGS say.
# With DEB_ARCH (make deps-cross first), the package of that architecture,
# cross-built (dpkg-buildpackage -a), in build/cross-DEB_ARCH/deb.
DEB_SRC	 = $(B)/deb/src/ss-security-$(VERSION)
DEB_TMP	 = $(abspath $(B))/deb/tmp
deb:
	@v=$$(dpkg-parsechangelog -S Version) && [ "$${v%-*}" = $(VERSION) ] || \
	    { echo "debian/changelog is at $$v, the Makefile at $(VERSION):" \
	    "add an entry (dch -v $(VERSION)-1)" >&2; exit 1; }
	rm -rf $(B)/deb
	mkdir -p $(DEB_SRC) $(DEB_TMP)
	tar -cf - --exclude-vcs --exclude=./build --exclude=./$(B) . | \
	    tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u OPT \
	    -u SANFLAGS TMPDIR=$(DEB_TMP) dpkg-buildpackage -us -uc -b -J \
	    $(if $(CROSS),-a$(DEB_ARCH))
	mv $(B)/deb/src/*.deb $(B)/deb/src/*.changes $(B)/deb/src/*.buildinfo \
	    $(B)/deb/
	rm -rf $(B)/deb/src
	TMPDIR=$(DEB_TMP) lintian --fail-on error,warning $(B)/deb/*.changes; \
	    rc=$$?; rm -rf $(DEB_TMP); exit $$rc

clean:
	rm -rf build

FORCE:

.SECONDARY:
.PHONY: all units deps deps-build deps-run deps-test deps-demo check \
	deps-cross cross-arch check-cross cross-run check-system check-fleet \
	check-asan demo lint install install-files install-completion \
	uninstall deb clean fuzzers fuzz-harnesses fuzz FORCE
