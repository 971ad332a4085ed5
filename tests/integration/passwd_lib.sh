# ss-passwd's test fixtures, sourced after lib.sh: a [passwd] and [smtp]
# configuration in $T, a shadow file with the system user apollo, CMS users
# hashed by the argon2 CLI (not by the tool under test), and an SMTP sink
# (Debian's aiosmtpd with STARTTLS) that delivers into the maildir $T/mail.
#
#   passwd_conf           $T/security.conf; sets SMTP_PORT (the CA in
#                         ca_file comes with smtp_start)
#   mkshadow PASSWORD     $T/shadow: root, daemon, apollo (yescrypt)
#   mkuser NAME ROLE EMAIL RECOVERY PASSWORD [FAILURES LOCKED LASTMAIL]
#                         one line in $T/users (0600), argon2id by the CLI
#   smtp_start            aiosmtpd on 127.0.0.1:$SMTP_PORT, $T/smtp.pid
#   smtp_unset            removes [smtp] url from the configuration
#   mail_count            mails delivered so far
#   mail_last_for ADDR    headers and decoded body of the newest mail to ADDR
#   mail_password_for ADDR  the "New password: " of that mail
#   state_hash            hash of the password files and of what lies beside
#   stamp                 names, sizes, mtimes and sha256 of the files in $T
#                         and state/, for "no byte and no mtime changed"
#   json_is KEY=VALUE...  the --json document in $T/out has these values
#   field FILE NAME N     field N (1-based) of NAME's ':' line in FILE

SS_PASSWD=$B/ss-passwd
PY=/usr/bin/python3
FACTORY_PW='Label-Pass-7Kq'

passwd_conf() {
	: "${SMTP_PORT:=$(free_port)}"
	printf '%s\n' "$FACTORY_PW" >"$T/factory"
	chmod 600 "$T/factory"
	cat >"$T/security.conf" <<EOC
# ss-passwd test configuration
[device]
hostname = dev1
domain = example.test
state_dir = $T/state

[passwd]
system_user = apollo
shadow_file = $T/shadow
users_file = $T/users
factory_file = $T/factory
htpasswd_file = $T/htpasswd
min_length = 10
argon2_t = 1
argon2_m_kib = 1024
argon2_p = 1
max_failures = 3
lockout_minutes = 15

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
from = device@example.test
ca_file = $T/ca/root.pem
EOC
}

# conf_set KEY VALUE: replaces "KEY = ..." (the first one) in security.conf.
conf_set() {
	sed -i "0,/^$1 = .*/s||$1 = $2|" "$T/security.conf"
	grep -q "^$1 = $2\$" "$T/security.conf"
}

smtp_unset() {
	sed -i '/^url = /d' "$T/security.conf"
}

mkshadow() {
	_root=$(mkpasswd -m yescrypt "root-$RANDOM-$RANDOM")
	_apollo=$(printf '%s\n' "$1" | mkpasswd -m yescrypt -s)
	cat >"$T/shadow" <<EOS
root:$_root:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
apollo:$_apollo:19700:0:99999:7:::
EOS
	chmod 640 "$T/shadow"
	if getent group shadow >/dev/null; then
		chgrp shadow "$T/shadow"
	fi
}

# argon2_phc PASSWORD [T M_KIB P]: a PHC string made by the argon2 CLI.
argon2_phc() {
	printf %s "$1" | argon2 "$(openssl rand -hex 8)" -id -t "${2:-1}" \
	    -k "${3:-1024}" -p "${4:-1}" -e
}

mkuser() {
	[ -e "$T/users" ] || install -m 600 /dev/null "$T/users"
	printf '%s:%s:%s:%s:%s:%s:%s:%s\n' "$1" "$2" "$3" "$4" \
	    "$(argon2_phc "$5")" "${6:-0}" "${7:-0}" "${8:-0}" >>"$T/users"
}

smtp_start() {
	: "${SMTP_PORT:=$(free_port)}"
	[ -f "$T/ca/root.pem" ] || mkca
	if [ ! -f "$T/ca/smtp.pem" ]; then
		mkleaf smtp 30 DNS:localhost,IP:127.0.0.1
		cat "$T/ca/smtp.pem" "$T/ca/int.pem" >"$T/ca/smtp-chain.pem"
	fi
	mkdir -p "$T/mail/tmp" "$T/mail/new" "$T/mail/cur"
	$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
	    --tlscert "$T/ca/smtp-chain.pem" --tlskey "$T/ca/smtp.key" \
	    -c aiosmtpd.handlers.Mailbox "$T/mail" >"$T/smtp.log" 2>&1 &
	echo $! >"$T/smtp.pid"
	if ! wait_port "$SMTP_PORT"; then
		echo "# aiosmtpd did not start:" >&2
		sed 's/^/#   /' "$T/smtp.log" >&2
		return 1
	fi
}

mail_count() {
	find "$T/mail/new" "$T/mail/cur" -type f 2>/dev/null | wc -l
}

mail_last_for() {
	$PY - "$T/mail" "$1" <<'EOP'
import email, email.policy, glob, os, sys
d, addr = sys.argv[1], sys.argv[2]
best = None
for f in glob.glob(os.path.join(d, "new", "*")) + glob.glob(os.path.join(d, "cur", "*")):
    with open(f, "rb") as fp:
        m = email.message_from_binary_file(fp, policy=email.policy.default)
    if addr not in str(m.get("To", "")):
        continue
    t = os.stat(f).st_mtime_ns
    if best is None or t > best[0]:
        best = (t, m)
if best is None:
    sys.exit("no mail to " + addr)
m = best[1]
for k, v in m.items():
    print("%s: %s" % (k, v))
print()
part = m.get_body(("plain",)) if m.is_multipart() else m
print(part.get_content())
EOP
}

mail_password_for() {
	mail_last_for "$1" >"$T/mail.last" || return 1
	sed -n 's/^New password: \([^ ]*\)$/\1/p' "$T/mail.last" | tail -n 1 |
	    grep . || { echo "# no password in the mail to $1" >&2; return 1; }
}

state_hash() {
	(
	cd "$T" || exit 1
	find . -maxdepth 1 ! -name . ! -name out ! -name err ! -name '*.log' \
	    ! -name '*.pid' ! -name mail ! -name mail.last ! -name ca \
	    ! -name .pwd.lock ! -name state ! -name 'in*' \
	    -printf '%p %y %m %u %g %s\n' | sort
	for f in shadow users htpasswd factory security.conf; do
		[ ! -f "$f" ] || sha256sum "$f"
	done
	) | sha256sum
}

stamp() {
	(
	cd "$T" || exit 1
	find . -maxdepth 2 -type f ! -name out ! -name err ! -name '*.log' \
	    ! -name '*.pid' ! -name mail.last ! -name .pwd.lock ! -name 'in*' \
	    ! -path './mail/*' ! -path './ca/*' -printf '%p %s %T@\n' | sort
	find . -maxdepth 2 -type f \( -name 'shadow*' -o -name 'users*' -o \
	    -name 'htpasswd*' -o -name security.conf \) -exec sha256sum {} + |
	    sort
	)
}

# The values are Python literals: True, False, None, 'text', [...].
json_is() {
	$PY - "$T/out" "$@" <<'EOP'
import json, sys
o = json.load(open(sys.argv[1]))
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    if o.get(k, "(absent)") != eval(v):
        sys.exit("# %s is %r, not %s: %r" % (k, o.get(k, "(absent)"), v, o))
EOP
}

field() {
	awk -F: -v n="$2" -v i="$3" '$1 == n { print $i; exit }' "$1"
}
