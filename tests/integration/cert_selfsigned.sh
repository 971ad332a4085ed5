# ss-cert selfsigned, judged by openssl.
. "$(dirname "$0")/lib.sh"

test_selfsigned_makes_ec_p256_certificate_and_0600_key() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	has err 'created .*/self/server.crt \(ec256, CN=dev1.example.test'
	[ -f certs/self/server.crt ] && [ ! -L certs/self/server.crt ]
	[ -f certs/self/server.key ] && [ ! -L certs/self/server.key ]
	[ "$(mode_of certs/self/server.key)" = 600 ]
	[ "$(mode_of certs/self/server.crt)" = 644 ]
	openssl x509 -in certs/self/server.crt -noout -text >text
	has text 'Public Key Algorithm: id-ecPublicKey'
	has text 'NIST CURVE: P-256'
	has text 'Subject: CN ?= ?dev1.example.test'
	has text 'Issuer: CN ?= ?dev1.example.test'
	has text 'DNS:dev1.example.test, DNS:dev1, DNS:dev1.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1'
	has text 'CA:FALSE'
	has text 'Digital Signature'
	lacks text 'Key Encipherment'
	has text 'TLS Web Server Authentication'
	has text 'Subject Key Identifier'
	has text 'Signature Algorithm: ecdsa-with-SHA256'
	openssl verify -CAfile certs/self/server.crt certs/self/server.crt
	[ "$(openssl x509 -in certs/self/server.crt -noout -pubkey | sha256sum)" = \
	    "$(openssl pkey -in certs/self/server.key -pubout | sha256sum)" ]
}

test_selfsigned_serial_is_128_bit_random() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	s1=$(openssl x509 -in certs/self/server.crt -noout -serial | cut -d= -f2)
	run 0 "$SS_CERT" -c security.conf selfsigned --force
	s2=$(openssl x509 -in certs/self/server.crt -noout -serial | cut -d= -f2)
	[ "$s1" != "$s2" ]
	# 16 bytes with the top bit clear: 31 or 32 hex digits (fewer only by chance of leading zeros)
	[ ${#s1} -ge 28 ] && [ ${#s1} -le 32 ]
}

test_selfsigned_without_domain_uses_hostname() {
	mkconf
	sed -i '/^domain/d; /^addresses/d' security.conf
	run 0 "$SS_CERT" -c security.conf selfsigned
	openssl x509 -in certs/self/server.crt -noout -text >text
	has text 'Subject: CN ?= ?dev1$'
	has text 'DNS:dev1, DNS:dev1.local$'
}

test_selfsigned_rsa_has_key_encipherment() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned --key-type rsa2048 --days 30
	openssl x509 -in certs/self/server.crt -noout -text >text
	has text 'Public-Key: \(2048 bit\)'
	has text 'Digital Signature, Key Encipherment'
	end=$(openssl x509 -in certs/self/server.crt -noout -enddate | cut -d= -f2)
	days=$(( ($(date -d "$end" +%s) - $(date +%s)) / 86400 ))
	[ "$days" -ge 29 ] && [ "$days" -le 30 ]
}

test_selfsigned_is_idempotent() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	h1=$(tree_stamp certs)
	sleep 1
	run 0 "$SS_CERT" -c security.conf selfsigned --json
	has err 'kept .*server.crt: names match and renewal is not due; nothing changed'
	[ "$h1" = "$(tree_stamp certs)" ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["changed"] is False and r["action"] == "unchanged", r
assert r["paths"] == [] and r["name"] == "self", r' "$T/out"
}

test_selfsigned_json_says_created_then_replaced() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned --json
	cp out first.json
	run 0 "$SS_CERT" -c security.conf selfsigned --force --json
	/usr/bin/python3 - "$T" first.json out <<'PY'
import json, sys
t = sys.argv[1]
a, b = (json.load(open(f)) for f in sys.argv[2:4])
paths = [t + "/certs/self/server.crt", t + "/certs/self/server.key"]
assert a["changed"] is True and a["action"] == "created", a
assert a["paths"] == paths and a["reason"] == "none yet", a
assert b["changed"] is True and b["action"] == "replaced", b
assert b["paths"] == paths and b["reason"] == "--force", b
PY
}

test_selfsigned_dry_run_json_says_what_would_change() {
	mkconf
	run 0 "$SS_CERT" -c security.conf -n selfsigned --json
	[ ! -e certs/self/server.crt ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dry_run"] is True and r["changed"] is True, r
assert r["action"] == "created" and len(r["paths"]) == 2, r' "$T/out"
	run 0 "$SS_CERT" -c security.conf selfsigned
	h1=$(tree_stamp certs)
	run 0 "$SS_CERT" -c security.conf -n selfsigned --json
	[ "$h1" = "$(tree_stamp certs)" ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dry_run"] is True and r["changed"] is False, r' "$T/out"
}

test_selfsigned_renews_when_names_change() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	sed -i 's/^hostname = dev1/hostname = dev2/' security.conf
	run 0 "$SS_CERT" -c security.conf selfsigned
	has err 'names changed'
	openssl x509 -in certs/self/server.crt -noout -subject | grep -q dev2.example.test
}

test_selfsigned_renews_when_due() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned --days 10
	run 0 "$SS_CERT" -c security.conf selfsigned
	has err 'expires in [0-9]+ days'
	end=$(openssl x509 -in certs/self/server.crt -noout -enddate | cut -d= -f2)
	[ $(( ($(date -d "$end" +%s) - $(date +%s)) / 86400 )) -ge 3600 ]
}

test_selfsigned_dry_run_writes_nothing() {
	mkconf
	run 0 "$SS_CERT" -c security.conf -n selfsigned
	has err 'would create'
	[ ! -e certs/self/server.crt ]
}

test_selfsigned_refuses_planted_symlink_for_key() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	echo "precious" >victim
	rm certs/self/server.key
	ln -s "$T/victim" certs/self/server.key
	h1=$(tree_hash certs)
	run 73 "$SS_CERT" -c security.conf selfsigned --force
	has err 'server.key: is a symbolic link, not replacing it'
	[ "$h1" = "$(tree_hash certs)" ]
	[ "$(cat victim)" = precious ]
}

test_selfsigned_rejects_unknown_key_type() {
	mkconf
	run 64 "$SS_CERT" -c security.conf selfsigned --key-type dsa1024
	has err "unknown key type 'dsa1024'"
	[ ! -e certs/self ]
}

test_selfsigned_write_failure_keeps_old_pair() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	h1=$(tree_hash certs)
	# the 2nd rename is the certificate's: the new key must be taken back
	FAULTINJ_CALL=rename FAULTINJ_AT=2 LD_PRELOAD="$FAULTINJ" \
	    run 73 "$SS_CERT" -c security.conf selfsigned --force
	[ "$h1" = "$(tree_hash certs)" ]
	for n in 1 2 3 4 5 6; do
		for call in write fsync rename; do
			if FAULTINJ_CALL=$call FAULTINJ_AT=$n \
			    LD_PRELOAD="$FAULTINJ" \
			    "$SS_CERT" -c security.conf selfsigned --force \
			    >/dev/null 2>&1; then
				h1=$(tree_hash certs)
			else
				[ "$h1" = "$(tree_hash certs)" ]
			fi
		done
	done
}

# A symlink planted as self/ is refused, and what it points at stays as
# it was.
test_selfsigned_refuses_a_self_directory_that_is_a_symlink() {
	mkconf
	mkdir -p decoy certs
	echo precious >decoy/server.key
	hd=$(tree_hash decoy)
	ln -s "$T/decoy" certs/self
	run 73 "$SS_CERT" -c security.conf selfsigned
	has err "certs/self: is a symbolic link, not a directory; remove it"
	[ "$hd" = "$(tree_hash decoy)" ]
}

test_selfsigned_refuses_certs_dir_writable_by_others() {
	mkconf
	mkdir -p certs
	chmod 777 certs
	run 78 "$SS_CERT" -c security.conf selfsigned
	has err "certs: writable by group or others \(mode 0777\); chmod go-w $T/certs"
	[ ! -e certs/self ]
}

run_tests
