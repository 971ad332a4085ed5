#!/bin/bash
# The settings are fields of struct ss_conf: a misspelt key is a compile
# error, not a surprise at run time.
. "$(dirname "$0")/lib.sh"

# field_source FIELD: a file that reads c->FIELD.
field_source() {
	cat >"$T/use.c" <<EOC
#include "conf.h"
long use(const struct ss_conf *c);
long use(const struct ss_conf *c) { return (long)c->$1; }
EOC
}

compile() {
	${CC:-cc} -std=gnu11 -Wall -Werror -I"$TOP/lib" -fsyntax-only \
	    "$T/use.c" 2>"$T/err"
}

test_a_key_of_the_list_builds() {
	field_source certs.renew_days
	compile
}

test_a_misspelt_key_does_not_build() {
	field_source certs.renew_dayz
	if compile; then
		echo "# c->certs.renew_dayz compiled" >&2
		return 1
	fi
	has "$T/err" "has no member named 'renew_dayz'"
}

test_a_key_in_the_wrong_section_does_not_build() {
	field_source ddns.renew_days
	if compile; then
		echo "# c->ddns.renew_days compiled" >&2
		return 1
	fi
	has "$T/err" "has no member named 'renew_days'"
}

test_security_conf_5_documents_exactly_the_fields() {
	awk '/^\.Ss / { s = "" }
	    /^\.Ss The \[[a-z]+\] section/ { s = substr($3, 2, length($3) - 2) }
	    /^\.Ss The \[ddns:FQDN\] section/ { s = "ddns_name" }
	    /^\.Sh / { s = "" }
	    s != "" && /^\.It Ic [a-z_0-9]+ No =/ { print s "." $3 }' \
	    "$TOP/man/security.conf.5" | sort >"$T/man"
	printf '%s\n' '#include "conf_keys.h"' \
	    '#define F(s, k, ...) FIELD s.k' \
	    '#define S(s, KEYS) KEYS(F)' 'CONF_SECTIONS(S)' 'CONF_DDNS_NAME(F)' |
	    ${CC:-cc} -E -P -I"$TOP/lib" - | tr ' ' '\n' |
	    awk 'f { print; f = 0 } $0 == "FIELD" { f = 1 }' | sort >"$T/fields"
	[ "$(wc -l <"$T/fields")" -gt 70 ]
	if ! diff "$T/man" "$T/fields" >"$T/diff"; then
		sed 's/^/# /' "$T/diff" >&2
		return 1
	fi
	# the keys of [ddns:FQDN] are fields of each c->names[i]
	sed -i 's/^ddns_name\./names[0]./' "$T/fields"
	while read -r f; do
		field_source "$f"
		compile || { echo "# c->$f does not build" >&2; return 1; }
	done <"$T/fields"
}

run_tests
