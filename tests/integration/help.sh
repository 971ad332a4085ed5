# help, --help and usage errors of every tool, held to the code and the
# man pages.
. "$(dirname "$0")/lib.sh"

TOOLS="ss-audit ss-cert ss-ddns ss-passwd ss-nginxconf ss-btnwatch"
# What getopt says of an option it does not take as given.
BAD_OPTION='unrecognized|invalid option|requires an argument|allow an arg'

# commands TOOL: the commands `TOOL help` lists, help left out.
commands() {
	"$B/$1" help | awk '/^commands:$/ { on = 1; next } /^$/ { on = 0 }
	    on && $1 != "help" { print $1 }'
}

# help_opts FILE: "FLAG ARG" for each option of the help in FILE, both
# forms of "-n, --dry-run" on lines of their own; ARG is - for none.
help_opts() {
	awk '/^options:$/ { on = 1; next } !on || !/^  -/ { next }
	{
		sub(/^  /, ""); sub(/  .*/, "")
		n = split($0, w, " "); arg = "-"
		if (w[n] !~ /^-/) arg = w[n--]
		for (i = 1; i <= n; i++) {
			sub(/,$/, "", w[i])
			print w[i], arg
		}
	}' "$1"
}

# long_opts FILE: the options of the help in FILE, the long form of each,
# sorted.
long_opts() {
	awk '/^options:$/ { on = 1; next } !on || !/^  -/ { next }
	{
		sub(/^  /, ""); sub(/  .*/, ""); f = ""
		for (i = 1; i <= NF; i++) if ($i ~ /^-/) f = $i
		print f
	}' "$1" | sort
}

# usage_opts FILE: the options named in the usage lines of FILE, sorted.
usage_opts() {
	grep -E '^(usage: |       )ss-' "$1" |
	    grep -oE '[][ |]--?[a-zA-Z0-9][-a-zA-Z0-9]*' |
	    sed 's/^[][ |]//' | sort -u
}

# man_commands TOOL, man_opts TOOL CMD: the commands in the SYNOPSIS of
# man/TOOL.8, and the options it gives CMD, sorted.  "Fl 46" is -4 and
# -6; a flag's words go on until the next macro.
man_synopsis() {
	awk -v want="$2" '
	/^\.Sh / { syn = $2 == "SYNOPSIS"; next }
	!syn { next }
	/^\.Nm / { cmd = ""; next }
	/^\.Cm / && cmd == "" { cmd = $2; if (want == "") print cmd; next }
	want == "" || cmd != want { next }
	{
		fl = 0
		for (i = 1; i <= NF; i++) {
			w = $i; sub(/^\./, "", w)
			if (w == "Fl") { fl = 1; continue }
			if (w ~ /^[A-Z][a-z]$/) { fl = 0; continue }
			if (!fl || w == "|") continue
			if (w ~ /^-/) print "-" w
			else for (j = 1; j <= length(w); j++)
				print "-" substr(w, j, 1)
		}
	}' "$TOP/man/$1.8" | sort -u
}

test_every_command_has_help_on_stdout() {
	for tool in $TOOLS; do
		for cmd in $(commands "$tool"); do
			run 0 "$B/$tool" "$cmd" --help
			has out "^usage: $tool $cmd( |\$)"
			[ ! -s err ]
			cp out long
			run 0 "$B/$tool" "$cmd" -h
			cmp out long
			run 0 "$B/$tool" help "$cmd"
			cmp out long
		done
	done
}

test_every_help_line_fits_80_columns() {
	for tool in $TOOLS; do
		run 0 "$B/$tool" help
		awk 'length > 80 { print "# " $0; e = 1 } END { exit e }' out
		for cmd in $(commands "$tool"); do
			"$B/$tool" help "$cmd" | awk -v c="$tool $cmd" \
			    'NR > 1 && length > 80 { print c ": " $0; e = 1 }
			    END { exit e }'
		done
	done
}

test_every_option_in_the_help_is_accepted() {
	for tool in $TOOLS; do
		for cmd in $(commands "$tool"); do
			"$B/$tool" "$cmd" --help >help
			help_opts help >opts
			while read -r flag arg; do
				case $flag:$arg in
				--*:-)	set -- "$flag" ;;
				--*)	set -- "$flag=1" ;;
				*:-)	set -- "$flag" ;;
				*)	set -- "${flag}1" ;;
				esac
				set +e
				timeout 20 "$B/$tool" -n -c /nonexistent \
				    "$cmd" \
				    "$@" </dev/null >out 2>err
				set -e
				if grep -E "$BAD_OPTION" err; then
					echo "# $tool $cmd $*" >&2
					return 1
				fi
			done <opts
		done
	done
}

test_help_lists_the_options_of_the_usage_line() {
	for tool in $TOOLS; do
		for cmd in $(commands "$tool"); do
			"$B/$tool" "$cmd" --help >help
			long_opts help >listed
			usage_opts help >named
			diff named listed || {
				echo "# $tool $cmd: usage and options" >&2
				return 1
			}
		done
	done
}

test_help_options_are_the_man_page_synopsis() {
	for tool in $TOOLS; do
		commands "$tool" | sort >helped
		echo help >>helped
		man_synopsis "$tool" | sort -u >manned
		sort -o helped helped
		diff manned helped || {
			echo "# $tool: commands of help and man page differ" >&2
			return 1
		}
		for cmd in $(commands "$tool"); do
			"$B/$tool" "$cmd" --help >help
			long_opts help >listed
			man_synopsis "$tool" "$cmd" >manned
			diff manned listed || {
				echo "# $tool $cmd: help and man page" >&2
				return 1
			}
		done
	done
}

test_help_lists_the_commands() {
	run 0 "$SS_CERT" help
	has out '^usage: ss-cert \[-hnqtTvV\] \[-c file\] command'
	has out '^commands:$'
	has out '^  renew +renew the certificates from the ACME CA that are due'
	has out '^  help +list the commands, or describe one$'
	has out '^  -c, --config file +read the configuration from file$'
	has out "^'ss-cert help COMMAND' describes a command and its options\.$"
	[ ! -s err ]
}

test_help_that_cannot_be_written_fails() {
	rc=0
	"$SS_CERT" help >/dev/full 2>err || rc=$?
	[ "$rc" = 74 ]
	rc=0
	"$SS_CERT" check --help >/dev/full 2>err || rc=$?
	[ "$rc" = 74 ]
}

test_help_command_equals_command_help() {
	run 0 "$B/ss-passwd" usermod --help
	cp out want
	run 0 "$B/ss-passwd" help usermod
	cmp out want
	has out '^usage: ss-passwd usermod name '
	has out '^options:$'
	has out '^  --recovery on\|off +'
}

test_help_of_an_unknown_command_is_a_usage_error() {
	run 64 "$SS_CERT" help chek
	has err "^ss-cert: unknown command 'chek'; did you mean 'check'\?$"
	[ ! -s out ]
	run 64 "$SS_CERT" help check list
	has err '^ss-cert: usage: ss-cert help \[command\]$'
}

test_misspelt_command_gets_a_suggestion() {
	run 64 "$SS_CERT" chek
	has err "^ss-cert: unknown command 'chek'; did you mean 'check'\?$"
	run 64 "$B/ss-passwd" usremod bob
	has err "did you mean 'usermod'\?$"
	run 64 "$B/ss-ddns" frobnicate
	has err "^ss-ddns: unknown command 'frobnicate'; 'ss-ddns help' lists"
}

test_check_help_exits_0_not_unknown() {
	run 0 "$SS_CERT" check --help
	has out '^usage: ss-cert check '
	has out '^  --warn-days n +'
}

test_help_as_an_option_argument_is_no_help() {
	run 78 "$SS_CERT" -c /nonexistent renew --deploy-hook --help
	[ ! -s out ]
	has err '/nonexistent: no such file; see security.conf'
	run 64 "$SS_CERT" -c /nonexistent renew --deploy-hook=x -- --help
	[ ! -s out ]
	has err '^ss-cert: usage: ss-cert renew '
}

test_help_after_the_operands_of_txt_is_a_value() {
	run 78 "$B/ss-ddns" -c /nonexistent txt set _acme-challenge.x -h
	[ ! -s out ]
	run 0 "$B/ss-ddns" txt --help
	has out '^usage: ss-ddns txt set \| clear name value$'
}

test_global_help_keeps_the_usage_with_a_pointer() {
	run 0 "$B/ss-nginxconf" -h
	has out '^usage: ss-nginxconf \[-hnqtTvV\]'
	has out '^       ss-nginxconf proxy '
	has out "^'ss-nginxconf help COMMAND' describes a command"
	run 0 "$B/ss-btnwatch" --help
	has out '^       ss-btnwatch disable \[--yes\] \[--json\]$'
}

test_usage_error_goes_to_the_journal_as_an_error() {
	: >err
	JOURNAL_STREAM=$(stat -c '%d:%i' err) "$SS_CERT" -c /nonexistent \
	    install --cert x.pem 2>>err || true
	has err '^<3>ss-cert: usage: ss-cert install --cert file'
	: >err
	JOURNAL_STREAM=$(stat -c '%d:%i' err) "$SS_CERT" chek 2>>err || true
	has err "^<3>ss-cert: unknown command 'chek'"
	: >err
	JOURNAL_STREAM=$(stat -c '%d:%i' err) "$SS_CERT" 2>>err || true
	has err '^<3>ss-cert: usage: ss-cert \[-hnqtTvV\]'
	has err '^<3>ss-cert:        ss-cert renew '
}

run_tests
