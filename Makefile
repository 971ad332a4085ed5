# ss-security: one build for everything.

PREFIX	?= /usr/local
SBINDIR	?= $(PREFIX)/sbin
MANDIR	?= $(PREFIX)/share/man
UNITDIR	?= $(PREFIX)/lib/systemd/system
DESTDIR	?=
B	?= build
VERSION	 = 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config
PKGS	 = libcrypto libssl inih jansson libcurl libargon2 libxcrypt libgpiod ldns

OPT	?= -O2 -D_FORTIFY_SOURCE=2
CFLAGS	?= $(OPT)
SANFLAGS ?=
CFLAGS	+= -std=gnu11 -Wall -Wextra -Werror -fstack-protector-strong -fPIE \
	   -Ilib -DOPENSSL_API_COMPAT=30000 -DOPENSSL_NO_DEPRECATED -DSS_VERSION=\"$(VERSION)\" $(SANFLAGS) $(shell $(PKG_CONFIG) --cflags $(PKGS))
LDFLAGS	+= -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(SANFLAGS)
# libcurl is not linked: lib/libcurl.c dlopen()s libcurl.so.4 when a tool
# first goes on the network, so the linker cannot see it.  A package of the
# tools must declare it: Depends: libcurl4 (>= 7.85).
LDLIBS	 = $(shell $(PKG_CONFIG) --libs $(filter-out libcurl,$(PKGS)))

TOOLS	 = ss-btnwatch ss-cert ss-ddns ss-nginxconf ss-passwd
LIB_SRC	 = $(wildcard lib/*.c)
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNITS	 = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SHIM	 = $(B)/tests/faultinj.so

# Debian packages the build, the tests and the demo use.
DEBS	 = gcc make pkg-config libc6-dev libssl-dev openssl libinih-dev \
	   libjansson-dev libcmocka-dev ca-certificates mandoc hyperfine time \
	   openjdk-17-jre-headless cppcheck python3 \
	   libcurl4-openssl-dev curl pebble bind9 bind9-utils bind9-dnsutils \
	   nginx sslscan libargon2-dev argon2 whois pamtester python3-aiosmtpd \
	   libldns-dev libgpiod-dev util-linux procps iproute2 bsdutils \
	   mount python3-cryptography python3-pyflakes faketime tinyproxy-bin \
	   clang-14 libclang-rt-14-dev

all: $(B)/libsec.a $(TOOLS:%=$(B)/%)

$(B)/obj/%.o: %.c $(wildcard lib/*.h) $(wildcard tools/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

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
	    $(WRAP_test_$*) -o $@ $(filter-out %.h,$^) $(LDLIBS) \
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
FUZZ_TOOL_checkip = ss-ddns
FUZZ_TOOL_dns = ss-ddns
FUZZ_TOOL_dyndns2 = ss-ddns
FUZZ_TOOL_htpasswd = ss-passwd
FUZZ_TOOL_shadow = ss-passwd
FUZZ_TOOL_sim = ss-btnwatch
FUZZ_TOOL_tsigkey = ss-ddns
FUZZ_TOOL_users = ss-passwd

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
fuzz: deps fuzzers
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

deps:
	@missing=""; for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || \
	    missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

check: deps
	$(MAKE) all units fuzzers
	tests/run $(B)

check-asan: deps
	$(MAKE) B=build/asan OPT=-O1 \
	    SANFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    all units
	$(MAKE) B=build/asan fuzzers
	ASAN_OPTIONS=detect_leaks=1 tests/run build/asan

demo: deps all
	tests/demo $(B)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr -Ilib lib tools
	mandoc -Tlint -Wwarning man/*.[58]
	/usr/bin/python3 -m pyflakes tests

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR)
	install -m 0755 $(TOOLS:%=$(B)/%) $(DESTDIR)$(SBINDIR)
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	# the units name the tools where this install puts them
	for u in timers/*.service timers/*.timer; do \
	    sed 's|/usr/local/sbin/|$(SBINDIR)/|g' "$$u" \
	    >$(DESTDIR)$(UNITDIR)/$${u#timers/} && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$${u#timers/} || exit 1; done

clean:
	rm -rf build

.SECONDARY:
.PHONY: all units deps check check-asan demo lint install clean fuzzers \
	fuzz-harnesses fuzz
