#!/bin/bash
# libcurl is called through the pointers of lib/libcurl.h, each of the type
# of the real function: a call with a wrong argument does not build.
. "$(dirname "$0")/lib.sh"

# call_source CALL: a file that makes CALL through the loader.
call_source() {
	cat >"$T/use.c" <<EOC
#include "libcurl.h"
int use(CURL *c);
int use(CURL *c) { return (int)$1; }
EOC
}

compile() {
	${CC:-cc} -std=gnu11 -Wall -Werror -I"$TOP/lib" -fsyntax-only \
	    "$T/use.c" 2>"$T/err"
}

test_a_call_with_the_right_types_builds() {
	call_source 'libcurl.easy_perform(c)'
	compile
}

test_an_option_of_a_wrong_type_does_not_build() {
	call_source 'libcurl.easy_setopt(c, "timeout", 5L)'
	if compile; then
		echo "# easy_setopt with a string for the option compiled" >&2
		return 1
	fi
	has "$T/err" "argument 2 of 'libcurl.easy_setopt'"
}

test_a_number_for_a_string_does_not_build() {
	call_source 'libcurl.url_set(libcurl.url(), CURLUPART_URL, 42, 0)'
	if compile; then
		echo "# url_set with a number for the URL compiled" >&2
		return 1
	fi
	has "$T/err" "argument 3 of 'libcurl.url_set'"
}

test_a_call_with_too_many_arguments_does_not_build() {
	call_source 'libcurl.easy_strerror(CURLE_OK, c)'
	if compile; then
		echo "# easy_strerror with two arguments compiled" >&2
		return 1
	fi
	has "$T/err" "too many arguments"
}

test_a_function_the_loader_does_not_resolve_does_not_build() {
	call_source 'libcurl.easy_reset(c), 0'
	if compile; then
		echo "# libcurl.easy_reset compiled" >&2
		return 1
	fi
	has "$T/err" "has no member named 'easy_reset'"
}

run_tests
