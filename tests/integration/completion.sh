# bash completion (completion/) under bash-completion, as an
# interactive shell runs it: COMP_WORDS and COMP_CWORD set, the
# function called, COMPREPLY read.
. "$(dirname "$0")/lib.sh"

BASH_COMPLETION=/usr/share/bash-completion/bash_completion

# comp WORD...: the completions, one a line in $T/out, of the last WORD
# of the command line WORD... (the tools found on PATH, as typed); LINE
# is the line as typed when it is not the words joined by spaces.
comp() {
	[ -f "$BASH_COMPLETION" ] || {
		echo "# $BASH_COMPLETION missing (make deps-test)" >&2
		return 1
	}
	PATH=$B:$PATH bash --norc -c '
	. "$1"
	. "$2/completion/$3"
	LINE=$4
	shift 4
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE=${LINE:-"$*"}
	COMP_POINT=${#COMP_LINE}
	_ss_security
	printf "%s\n" "${COMPREPLY[@]}"' sh "$BASH_COMPLETION" "$TOP" "$1" \
	    "${LINE:-}" "$@" |
	    sed '/^$/d' | sort >"$T/out"
}

# is WORD...: the completions are exactly WORD..., or none.
is() {
	if [ $# -eq 0 ]; then
		[ ! -s "$T/out" ] || {
			sed 's/^/# got: /' "$T/out" >&2
			return 1
		}
		return
	fi
	printf '%s\n' "$@" | sort | diff - "$T/out"
}

# certs: a configuration with a self-signed certificate and one
# installed as "shop".
certs() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 0 "$SS_CERT" -c security.conf install --cert certs/self/server.crt \
	    --key certs/self/server.key --ca certs/self/server.crt --name shop
}

test_completes_the_commands() {
	comp ss-cert re
	is renew revoke
	comp ss-ddns ''
	is check help ip retry status txt update
	comp ss-passwd user
	is user useradd userdel usermod
}

test_completes_the_global_options() {
	comp ss-nginxconf --co
	is --config
	comp ss-btnwatch -
	is -c --config -n --dry-run -q --quiet -v --verbose -t \
	    --check-config -T --show-config -h --help -V --version
}

test_completes_a_file_after_config() {
	: >my.conf
	comp ss-cert -c my
	is my.conf
	comp ss-cert --config my
	is my.conf
}

test_completes_a_commands_options() {
	comp ss-cert renew --
	is --days --force --deploy-hook --dry-run --run-hooks --json --help
	comp ss-ddns check -
	is -4 -6 --name --json --help
	comp ss-nginxconf certs --s
	is --self
}

test_finds_the_command_after_global_options() {
	comp ss-cert -c /nonexistent -n list --
	is --json --names --help
}

test_completes_the_commands_after_help() {
	comp ss-passwd help fa
	is factory-reset
	comp ss-passwd help factory-reset ''
	is
}

test_completes_choices() {
	comp ss-cert selfsigned --key-type rsa
	is rsa2048 rsa3072 rsa4096
	comp ss-cert issue --challenge ''
	is http-01 dns-01
	comp ss-passwd useradd bob --role ''
	is owner admin user
	comp ss-passwd usermod bob --recovery o
	is on off
}

test_completes_a_choice_after_an_equals_sign() {
	LINE='ss-cert selfsigned --key-type=ec' \
	    comp ss-cert selfsigned --key-type = ec
	is ec256 ec384
}

test_completes_files_for_file_options() {
	: >cert.pem
	: >key.pem
	comp ss-cert install --cert c
	is cert.pem
	comp ss-cert check k
	is key.pem
}

test_completes_certificate_names() {
	certs
	comp ss-cert -c "$T/security.conf" export --name ''
	is self shop
	comp ss-cert -c "$T/security.conf" export --name sh
	is shop
	SS_CONFIG=$T/security.conf comp ss-cert export --name ''
	is self shop
}

test_completes_no_self_where_it_cannot_be() {
	certs
	comp ss-cert -c "$T/security.conf" revoke ''
	is shop
	comp ss-nginxconf -c "$T/security.conf" certs --name ''
	is shop
}

test_list_names_prints_only_the_names() {
	certs
	run 0 "$SS_CERT" -c security.conf list --names
	printf 'self\nshop\n' | diff - out
	run 64 "$SS_CERT" -c security.conf list --names --json
}

test_completes_no_second_certificate_name() {
	certs
	comp ss-cert -c "$T/security.conf" revoke shop ''
	is
}

test_completes_user_names() {
	mkconf
	cat >>security.conf <<EOC

[passwd]
users_file = $T/users
EOC
	printf 'owner-pw-1234\nowner-pw-1234\n' |
	    run 0 "$B/ss-passwd" -c security.conf useradd alice --role owner
	printf 'user-pw-12345\nuser-pw-12345\n' |
	    run 0 "$B/ss-passwd" -c security.conf useradd albert --role user
	comp ss-passwd -c "$T/security.conf" usermod al
	is albert alice
	comp ss-passwd -c "$T/security.conf" reset albert --as ''
	is albert alice
	comp ss-passwd -c "$T/security.conf" useradd ''
	is
}

test_completes_txt_actions() {
	comp ss-ddns txt ''
	is set clear
}

test_every_tool_is_loaded_on_demand_from_the_install() {
	# install-files installs it through install-completion, which
	# builds nothing: the stand-ins of a cross run stay as they are.
	make -s -C "$TOP" DESTDIR="$T/root" PREFIX=/usr \
	    install-completion >"$T/log" 2>&1
	for t in ss-audit ss-cert ss-ddns ss-passwd ss-nginxconf ss-btnwatch; do
		BASH_COMPLETION_USER_DIR=$T/root/usr/share/bash-completion \
		    XDG_DATA_DIRS=/nonexistent bash --norc -c '
		. "$1"
		__load_completion "$2" && complete -p "$2"' sh \
		    "$BASH_COMPLETION" "$t" >"$T/out"
		has "$T/out" "^complete -F _ss_security $t\$"
	done
}

run_tests
