# ss-cert list: every certificate, the active one marked, revoked ones
# shown as revoked, names, paths, fingerprint, dates and next renewal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"

# self-signed and a custom certificate for the device's name
setup() {
	mkconf
	mkca
	mkleaf good 90 "DNS:dev1.example.test,DNS:dev1"
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/int.pem --ca ca/root.pem
}

# renewal_file NAME REVOKED: the renewal file issue writes for NAME, as
# revoke leaves it (REVOKED true or false).
renewal_file() {
	mkdir -p -m 700 state state/acme state/acme/certs
	printf '{"challenge": "http-01", "directory": "https://127.0.0.1:1/dir", "domains": ["%s"], "revoked": %s}\n' \
	    "$1" "$2" >"state/acme/certs/$1.json"
	chmod 600 "state/acme/certs/$1.json"
}

# epoch DATE: seconds since 1970 of a date openssl or RFC 3339 wrote.
epoch() {
	date -u -d "$1" +%s
}

test_list_shows_every_certificate_like_certbot() {
	setup
	run 0 "$SS_CERT" -c security.conf list
	has out '^dev1.example.test \(active\)$'
	has out '^self$'
	has out '^  Kind: +custom$'
	has out '^  Kind: +self-signed$'
	has out '^  Status: +ok$'
	has out '^  Names: +DNS:dev1.example.test, DNS:dev1$'
	has out '^  Issuer: +CN=Test Intermediate CA$'
	has out '^  Not after: +[0-9-]{10} [0-9:]{8} UTC \((89|90) days left\)$'
	has out "^  Certificate: +$T/certs/dev1.example.test/fullchain.pem\$"
	has out "^  Private key: +$T/certs/dev1.example.test/privkey.pem\$"
	has out "^  Certificate: +$T/certs/self/server.crt\$"
	has out '^  SHA-256: +([0-9A-F]{2}:){15}[0-9A-F]{2}$'
}

test_list_text_fits_80_columns() {
	setup
	run 0 "$SS_CERT" -c security.conf list
	awk -v t="$T" '{ l = $0; sub(t, "", l) }
	    length(l) > 80 { print "# too long: " $0; bad = 1 }
	    END { exit bad }' out
}

test_list_marks_the_self_signed_active_when_nothing_else_is() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned
	run 0 "$SS_CERT" -c security.conf list
	has out '^self \(active\)$'
}

test_list_json_has_names_paths_fingerprint_and_dates() {
	setup
	run 0 "$SS_CERT" -c security.conf list --json
	d=certs/dev1.example.test
	fp=$(openssl x509 -in $d/cert.pem -noout -fingerprint -sha256 |
	    sed 's/^.*=//')
	nb=$(epoch "$(openssl x509 -in $d/cert.pem -noout -startdate |
	    sed 's/^.*=//')")
	na=$(epoch "$(openssl x509 -in $d/cert.pem -noout -enddate |
	    sed 's/^.*=//')")
	sfp=$(openssl x509 -in certs/self/server.crt -noout -fingerprint \
	    -sha256 | sed 's/^.*=//')
	/usr/bin/python3 - "$T" "$fp" "$nb" "$na" "$sfp" <<'PY'
import datetime, json, sys
t, fp, nb, na, sfp = sys.argv[1:]
a = json.load(open(t + "/out"))
assert [e["name"] for e in a] == ["dev1.example.test", "self"], a
c, s = a
def rfc3339(secs):
    return datetime.datetime.fromtimestamp(int(secs),
        datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
assert c["active"] is True and s["active"] is False, a
assert c["kind"] == "custom" and s["kind"] == "self-signed", a
assert c["status"] == "ok" and c["revoked"] is False, c
assert c["sans"] == ["DNS:dev1.example.test", "DNS:dev1"], c
assert c["path"] == t + "/certs/dev1.example.test/fullchain.pem", c
assert c["key_path"] == t + "/certs/dev1.example.test/privkey.pem", c
assert c["fingerprint_sha256"] == fp, (c, fp)
assert s["fingerprint_sha256"] == sfp, (s, sfp)
assert c["issuer"] == "CN=Test Intermediate CA", c
assert c["not_before"] == rfc3339(nb), (c, nb)
assert c["not_after"] == rfc3339(na), (c, na)
assert c["days_left"] in (89, 90), c
PY
}

test_list_self_signed_and_custom_are_not_renewed_automatically() {
	setup
	run 0 "$SS_CERT" -c security.conf list
	[ "$(grep -c '^  Next renewal: *none, not renewed automatically$' out)" = 2 ]
	run 0 "$SS_CERT" -c security.conf list --json
	/usr/bin/python3 -c '
import json, sys
for e in json.load(open(sys.argv[1])):
    assert e["next_renewal"] is None and e["renewal"] == "none", e' "$T/out"
}

test_list_next_renewal_is_not_after_minus_renew_days() {
	setup
	echo "renew_days = 20" >>security.conf
	renewal_file dev1.example.test false
	na=$(epoch "$(openssl x509 -in ca/good.pem -noout -enddate |
	    sed 's/^.*=//')")
	next=$((na - 20 * 86400))
	run 0 "$SS_CERT" -c security.conf list
	has out '^  Kind: +signed$'
	has out "^  Next renewal: +$(date -u -d "@$next" '+%Y-%m-%d %H:%M:%S') UTC\$"
	run 0 "$SS_CERT" -c security.conf list --json
	/usr/bin/python3 - "$T/out" "$next" <<'PY'
import datetime, json, sys
c = json.load(open(sys.argv[1]))[0]
want = datetime.datetime.fromtimestamp(int(sys.argv[2]),
    datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
assert c["kind"] == "signed" and c["renewal"] == "renew_days", c
assert c["next_renewal"] == want, (c, want)
PY
}

test_list_shows_a_revoked_certificate_as_revoked() {
	setup
	renewal_file dev1.example.test true
	run 0 "$SS_CERT" -c security.conf list
	has out '^  Status: +revoked$'
	has out "^  Next renewal: +due: at the next 'ss-cert renew' \(revoked\)\$"
	run 0 "$SS_CERT" -c security.conf list --json
	/usr/bin/python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))[0]
assert c["status"] == "revoked" and c["revoked"] is True, c
assert c["renewal"] == "revoked" and c["active"] is True, c' "$T/out"
}

test_list_shows_what_revoke_did_at_the_ca() {
	named_start
	pebble_start
	mkdir -p "$T/webroot"
	webroot_serve "$T/webroot"
	acme_conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf list --json
	cp out before.json
	run 0 "$SS_CERT" -c security.conf revoke dev1.example.test
	run 0 "$SS_CERT" -c security.conf list --json
	/usr/bin/python3 - before.json out <<'PY'
import json, sys
b, a = (json.load(open(f))[0] for f in sys.argv[1:3])
assert b["kind"] == "signed" and b["status"] == "ok", b
assert b["renewal"] == "renew_days" and b["active"] is True, b
assert a["kind"] == "signed" and a["status"] == "revoked", a
assert a["revoked"] is True and a["renewal"] == "revoked", a
PY
}

test_list_flags_expiring_and_mismatched() {
	mkconf
	run 0 "$SS_CERT" -c security.conf selfsigned --days 5
	mkca
	mkleaf a 90 "DNS:dev1.example.test"
	mkleaf b 90 "DNS:dev1.example.test"
	run 0 "$SS_CERT" -c security.conf install --cert ca/a.pem \
	    --key ca/a.key --chain ca/int.pem --ca ca/root.pem --name bad
	# a key from elsewhere, put in by hand
	cp ca/b.key certs/bad/privkey-1.pem
	run 0 "$SS_CERT" -c security.conf list --json
	/usr/bin/python3 -c '
import json, sys
a = {e["name"]: e for e in json.load(open(sys.argv[1]))}
assert a["bad"]["status"] == "key-mismatch", a
assert a["self"]["status"] == "expiring", a' "$T/out"
}

test_list_empty_directory_suggests_selfsigned() {
	mkconf
	run 0 "$SS_CERT" -c security.conf list
	[ ! -s out ]
	has err "no certificate in $T/certs yet; make one with 'ss-cert selfsigned'"
	run 0 "$SS_CERT" -c security.conf list --json
	[ "$(cat out)" = "[]" ]
}

test_list_names_prints_one_name_per_line() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/int.pem --ca ca/root.pem --name mqtt
	run 0 "$SS_CERT" -c security.conf list --names
	[ "$(cat out)" = "$(printf 'dev1.example.test\nmqtt\nself')" ]
	run 64 "$SS_CERT" -c security.conf list --names --json
	has err '^ss-cert: usage: ss-cert list'
}

run_tests
