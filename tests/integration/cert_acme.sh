# ss-cert issue/renew/revoke/account against real servers on 127.0.0.1:
# pebble (ACME), bind9 (names, dns-01 TXT records), a plain HTTP webroot,
# tinyproxy between ss-cert and pebble, and a stub for what pebble never
# does wrong.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/proxy_lib.sh"

# servers CHALLENGE: named, pebble, the webroot server and the config.
servers() {
	named_start
	pebble_start
	mkdir -p "$T/webroot"
	webroot_serve "$T/webroot"
	acme_conf "${1:-http-01}"
}

# snap: every file and directory under certs and state with its size and
# mtime, then the contents' hashes: equal snaps mean nothing was touched.
snap() {
	find certs state -printf '%p %s %T@\n' | sort
	find certs state -type f -exec sha256sum {} + | sort
}

no_tokens_left() {
	[ -z "$(ls -A "$T/webroot/.well-known/acme-challenge" 2>/dev/null)" ]
}

# verified NAME: the active chain verifies against pebble's root.
verified() {
	pebble_root root.pem
	openssl verify -CAfile root.pem -untrusted "certs/$1/chain.pem" \
	    "certs/$1/cert.pem"
}

test_issue_http01_chain_verifies_against_pebble_root() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	has out '^dev1.example.test: issued, valid until [0-9-]{10}$'
	verified dev1.example.test
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-1.pem ]
	no_tokens_left
	[ "$(mode_of state/acme/127.0.0.1_$PEBBLE_PORT/account.key)" = 600 ]
	[ "$(mode_of certs/dev1.example.test/privkey-1.pem)" = 600 ]
	run 0 "$SS_CERT" -c security.conf list
	has out '^  Kind: +signed$'
}

# pebble stamps notBefore with the second of issuance: a device clock a
# few seconds behind the CA's must not refuse the fresh certificate.  (Not
# more than pebble's age, or its own TLS certificate is not yet valid.)
test_issue_accepts_a_ca_clock_ahead_of_the_device() {
	servers
	sleep 4
	run 0 clock_moved -3s "$SS_CERT" -c security.conf issue --agree-tos
	has out '^dev1.example.test: issued, valid until [0-9-]{10}$'
	verified dev1.example.test
}

test_issue_dns01_through_bind9() {
	servers dns-01
	run 0 "$SS_CERT" -c security.conf issue --agree-tos \
	    --domain dev1.example.test --domain www.example.test
	verified dev1.example.test
	openssl x509 -in certs/dev1.example.test/cert.pem -noout -ext \
	    subjectAltName >san
	has san 'DNS:dev1.example.test, DNS:www.example.test'
	# the hook cleared what it set
	[ -z "$(dig @127.0.0.1 -p "$DNS_PORT" +short TXT \
	    _acme-challenge.dev1.example.test)" ]
}

test_issue_succeeds_when_half_the_nonces_are_rejected() {
	export PEBBLE_WFE_NONCEREJECT=50
	servers
	run 0 "$SS_CERT" -c security.conf -vv issue --agree-tos
	has err 'nonce rejected, trying again'
	verified dev1.example.test
}

test_issue_needs_the_terms_agreed() {
	servers
	run 78 "$SS_CERT" -c security.conf issue
	has err 'asks to agree to its terms of service at .*agree_tos = yes in \[acme\] or pass --agree-tos'
	[ ! -e certs/dev1.example.test ]
}

test_issue_with_agree_tos_in_config() {
	servers
	printf 'agree_tos = yes\n' >>security.conf
	run 0 "$SS_CERT" -c security.conf issue
}

test_unserved_challenge_shows_pebble_detail_and_keeps_old_certificate() {
	export PEBBLE_AUTHZREUSE=0	# validate again on renewal
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	stop_pid "$T/webroot.pid"
	h1=$(tree_hash certs)
	run 69 "$SS_CERT" -c security.conf renew --force
	has err 'validation of dev1.example.test: connection: .*acme-challenge'
	has err 'no new certificate; the current one stays active'
	# the reason is the CA's, not what started the renewal (--force)
	has out '^dev1.example.test: renewal failed \(validation of dev1.example.test: connection: .*acme-challenge'
	lacks out 'renewal failed \(--force\)'
	[ "$h1" = "$(tree_hash certs)" ]
	no_tokens_left
}

test_unreachable_directory_is_69_and_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	h1=$(tree_hash certs)
	port=$(free_port)
	sed -i "s|^directory = .*|directory = https://127.0.0.1:$port/dir|" \
	    security.conf
	run 69 "$SS_CERT" -c security.conf issue --agree-tos
	has err "https://127.0.0.1:$port/dir: .*(refused|Couldn't connect)"
	[ "$h1" = "$(tree_hash certs)" ]
	no_tokens_left
}

# ss-cert reaches pebble only through the proxy: every request of the
# order (directory, nonces, account, order, finalize, certificate) is in a
# tunnel of the proxy; pebble's own validation of http-01 is not.
test_issue_through_device_proxy() {
	servers
	proxy_start
	device_proxy "$PROXY_URL"
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	has out '^dev1.example.test: issued, valid until'
	verified dev1.example.test
	[ "$(proxy_connects "127.0.0.1:$PEBBLE_PORT")" -ge 1 ]
	[ "$(proxy_requests)" = "$(proxy_connects "127.0.0.1:$PEBBLE_PORT")" ]
	no_tokens_left
}

test_issue_through_https_proxy_of_the_environment() {
	servers
	proxy_start
	run 0 env https_proxy="$PROXY_URL" "$SS_CERT" -c security.conf issue \
	    --agree-tos
	verified dev1.example.test
	[ "$(proxy_connects "127.0.0.1:$PEBBLE_PORT")" -ge 1 ]
	# no_proxy names pebble: the renewal goes straight to it
	n=$(proxy_requests)
	run 0 env https_proxy="$PROXY_URL" no_proxy=127.0.0.1 "$SS_CERT" \
	    -c security.conf renew --force
	has out 'renewed'
	[ "$(proxy_requests)" = "$n" ]
}

# refused_by_proxy PATTERN CMD...: after a first issue without a proxy, a
# renewal by CMD exits 69 with PATTERN and changes nothing on disk.
refused_by_proxy() {
	_want=$1
	shift
	h1=$(tree_hash certs)
	h2=$(tree_hash state)
	run 69 "$@"
	has err "$_want"
	[ "$h1" = "$(tree_hash certs)" ]
	[ "$h2" = "$(tree_hash state)" ]
	no_tokens_left
	verified dev1.example.test
}

test_proxy_that_denies_the_device_is_69_and_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	proxy_start deny
	device_proxy "$PROXY_URL"
	refused_by_proxy "$PEBBLE_DIR: proxy $PROXY_URL refused the tunnel \(CONNECT answered 403\)" \
	    "$SS_CERT" -c security.conf renew --force
}

test_proxy_where_nothing_listens_is_69_and_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	port=$(free_port)
	refused_by_proxy "$PEBBLE_DIR: proxy http://127\.0\.0\.1:$port \(from https_proxy\): Failed to connect to 127\.0\.0\.1 port $port" \
	    env https_proxy="http://127.0.0.1:$port" "$SS_CERT" \
	    -c security.conf issue --agree-tos --force
}

test_malformed_json_from_the_server_is_65_and_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	h1=$(tree_hash certs)
	stub_start malformed
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 65 "$SS_CERT" -c security.conf issue --agree-tos
	has err "$STUB_DIR: the server's answer is not JSON"
	[ "$h1" = "$(tree_hash certs)" ]
	no_tokens_left
}

test_truncated_chain_is_refused_and_old_certificate_stays() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	stub_start proxy --truncate-chain
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	h1=$(tree_hash certs)
	run 65 "$SS_CERT" -c security.conf issue --agree-tos
	has err 'certificate for dev1.example.test from the CA: truncated chain'
	[ "$h1" = "$(tree_hash certs)" ]
	no_tokens_left
	verified dev1.example.test
}

test_renew_inside_window_runs_the_deploy_hook_once_per_certificate() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain dev1.example.test
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain www.example.test
	run 0 "$SS_CERT" -c security.conf renew --days 3000 \
	    --deploy-hook "echo \"\$RENEWED_DOMAINS|\$RENEWED_LINEAGE\" >>$T/hook.log"
	has out '^dev1.example.test: renewed, valid until'
	has out '^www.example.test: renewed, valid until'
	[ "$(wc -l <hook.log)" = 2 ]
	has hook.log "^dev1.example.test\\|$T/certs/dev1.example.test\$"
	has hook.log "^www.example.test\\|$T/certs/www.example.test\$"
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-2.pem ]
	verified www.example.test
}

test_renew_outside_window_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	h1=$(tree_hash certs)
	run 0 "$SS_CERT" -c security.conf renew \
	    --deploy-hook "echo ran >>$T/hook.log"
	has out '^dev1.example.test: not due \([0-9]+ days left\)$'
	[ ! -e hook.log ]
	[ "$h1" = "$(tree_hash certs)" ]
}

test_renew_follows_the_cas_renewal_window() {
	servers
	stub_start proxy --renewal-window past
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	# 1825 days left, far outside renew_days: only the window makes it due
	run 0 "$SS_CERT" -c security.conf renew
	has out '^dev1.example.test: renewed'
	has err "renewing \([0-9]+ days left, CA's renewal window from "
	has stub.requests '^GET /renewal-info/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+ -> 200'
}

test_renew_waits_for_a_renewal_window_ahead() {
	servers
	stub_start proxy --renewal-window future
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	# inside renew_days by --days, yet the CA's window has not come
	run 0 "$SS_CERT" -c security.conf renew --days 3000
	has out "^dev1.example.test: not due \([0-9]+ days left, CA's renewal window from "
}

# A window in 2040, past the end of a 32-bit time_t, is in the future:
# read as 64-bit seconds, not as -1 (due at once).
test_renew_waits_for_a_renewal_window_past_2038() {
	servers
	stub_start proxy --renewal-window 2040
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	h1=$(tree_hash certs)
	run 0 "$SS_CERT" -c security.conf renew --days 3000
	has out "^dev1.example.test: not due \([0-9]+ days left, CA's renewal window from 2040-01-01 00:00:00 UTC\)$"
	[ "$h1" = "$(tree_hash certs)" ]
}

# window START END: the renewal window the stub of window_servers gives,
# RFC 3339 times; "window none" and it gives none (404).
window() {
	if [ "$1" = none ]; then
		rm -f "$T/window.json"
	else
		printf '{"start": "%s", "end": "%s"}\n' "$1" "$2" >"$T/window.json"
	fi
}

# window_servers: servers, and the stub in front of pebble giving the
# window of $T/window.json (a month from now) as the CA's.
window_servers() {
	servers
	window 2031-01-10T00:00:00Z 2031-01-12T00:00:00Z
	stub_start proxy --window-file "$T/window.json"
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
}

# listed_window START END: list --json shows the renewal at a moment
# between START and END, taken from the CA's window.
listed_window() {
	run 0 "$SS_CERT" -c security.conf list --json
	$PY - out "$1" "$2" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))[0]
start, end = sys.argv[2:4]
assert c["renewal"] == "ca-window", c
assert c["renewal_window"] == {"start": start, "end": end}, c
assert start <= c["next_renewal"] <= end, c
PY
}

test_issue_records_the_cas_renewal_window() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	has state/acme/certs/dev1.example.test.json '"window_start": "2031-01-10T00:00:00Z"'
	has state/acme/certs/dev1.example.test.json '"renew_at": "2031-01-1[01]T'
	listed_window 2031-01-10T00:00:00Z 2031-01-12T00:00:00Z
	run 0 "$SS_CERT" -c security.conf list
	has out "^  Next renewal: +2031-01-1[01] [0-9:]{8} UTC \(from the CA's renewal window\)\$"
}

test_renew_with_the_same_window_changes_nothing() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	cp state/acme/certs/dev1.example.test.json first.json
	snap >before
	run 0 "$SS_CERT" -c security.conf renew --days 3000
	has out "^dev1.example.test: not due \([0-9]+ days left, CA's renewal window from 2031-01-10 00:00:00 UTC\)$"
	has err 'nothing was due; nothing changed'
	run 0 "$SS_CERT" -c security.conf renew --json
	has out '"changed": false'
	has out '"action": "unchanged"'
	has out '"paths": \[\]'
	snap >after
	cmp before after
	has stub.requests '^GET /renewal-info/.* -> 200'
}

test_renew_records_a_moved_window_and_keeps_it() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	# the first dry run registers the staging account
	run 0 "$SS_CERT" -c security.conf issue --dry-run --agree-tos
	window 2031-02-01T00:00:00Z 2031-02-01T06:00:00Z
	snap >before
	run 0 "$SS_CERT" -c security.conf renew --dry-run
	snap >after
	cmp before after
	run 0 "$SS_CERT" -c security.conf renew --json
	$PY - out "$T" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
assert o["changed"] is True and o["action"] == "recorded", o
assert o["paths"] == [sys.argv[2] +
    "/state/acme/certs/dev1.example.test.json"], o
assert o["certificates"][0]["action"] == "skipped", o
PY
	has err 'dev1.example.test: recorded the CA.s renewal window; renewal at 2031-02-01 0[0-5]:'
	listed_window 2031-02-01T00:00:00Z 2031-02-01T06:00:00Z
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-1.pem ]
	snap >before
	run 0 "$SS_CERT" -c security.conf renew
	snap >after
	cmp before after
}

# The moment chosen in the window comes: renewed, and the new
# certificate's window recorded in place of the old one's.
test_renew_when_the_chosen_moment_has_come() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	window 2020-01-01T00:00:00Z 2020-01-02T00:00:00Z
	run 0 "$SS_CERT" -c security.conf renew
	has out '^dev1.example.test: renewed'
	has err "renewing \([0-9]+ days left, CA's renewal window from 2020-01-01 00:00:00 UTC\)"
	has state/acme/certs/dev1.example.test.json '"window_end": "2020-01-02T00:00:00Z"'
	window 2031-01-10T00:00:00Z 2031-01-12T00:00:00Z
	run 0 "$SS_CERT" -c security.conf renew --force
	listed_window 2031-01-10T00:00:00Z 2031-01-12T00:00:00Z
}

# A CA that no longer gives a window: the one recorded is forgotten and
# renew_days decides, as list then shows.
test_renew_forgets_the_window_when_the_ca_gives_none() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	window none
	run 0 "$SS_CERT" -c security.conf renew
	has err 'dev1.example.test: the CA gives no renewal window now; forgot the one recorded'
	lacks state/acme/certs/dev1.example.test.json 'window_start|renew_at'
	run 0 "$SS_CERT" -c security.conf list --json
	has out '"renewal": "renew_days"'
	has out '"renewal_window": null'
}

# What issue wrote before renewal windows were kept: four members.
test_renewal_file_without_a_window_still_loads() {
	window_servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	f=state/acme/certs/dev1.example.test.json
	printf '{\n  "challenge": "http-01",\n  "directory": "%s",\n  "domains": [\n    "dev1.example.test"\n  ],\n  "revoked": false\n}' \
	    "$STUB_DIR" >$f
	run 0 "$SS_CERT" -c security.conf list --json
	has out '"renewal": "renew_days"'
	run 0 "$SS_CERT" -c security.conf renew
	has out '^dev1.example.test: not due'
	has $f '"window_start": "2031-01-10T00:00:00Z"'
	listed_window 2031-01-10T00:00:00Z 2031-01-12T00:00:00Z
}

test_renewal_file_with_a_bad_window_is_65() {
	mkconf
	mkdir -p -m 700 state state/acme state/acme/certs
	f=state/acme/certs/dev1.example.test.json
	printf '{\n  "challenge": "http-01",\n  "directory": "https://127.0.0.1:1/dir",\n  "domains": ["dev1.example.test"],\n  "renew_at": "2031-01-11T00:00:00Z",\n  "revoked": false,\n  "window_end": "2031-01-12T00:00:00Z",\n  "window_start": "next week"\n}\n' >$f
	chmod 600 $f
	cp $f before.json
	run 65 "$SS_CERT" -c security.conf renew
	has err "^ss-cert: $T/$f:8: window_start: not an RFC 3339 time such as 2027-03-01T12:00:00Z\$"
	cmp before.json $f
	sed -i 's/"next week"/"2031-01-10T00:00:00Z"/; /renew_at/d' $f
	run 65 "$SS_CERT" -c security.conf renew
	has err "^ss-cert: $T/$f:7: window_start without renew_at\$"
	sed -i 's/"window_end": "2031-01-12T00:00:00Z",/"window_end": "2031-01-12T00:00:00Z", "renew_at": "2032-01-01T00:00:00Z",/' $f
	run 65 "$SS_CERT" -c security.conf renew
	has err "^ss-cert: $T/$f:6: renew_at: not inside the window from window_start to window_end\$"
}

test_issue_reuse_key_keeps_the_key() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --force --reuse-key
	d=certs/dev1.example.test
	cmp $d/privkey-1.pem $d/privkey-2.pem
	[ "$(openssl x509 -in $d/cert-2.pem -noout -pubkey)" = \
	    "$(openssl pkey -in $d/privkey-1.pem -pubout)" ]
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --force
	! cmp -s $d/privkey-2.pem $d/privkey-3.pem
}

test_problem_document_is_reported_with_its_subproblems() {
	servers
	stub_start proxy --reject-order
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 65 "$SS_CERT" -c security.conf issue --agree-tos \
	    --domain dev1.example.test --domain www.example.test
	has err 'newOrder: rejectedIdentifier: Some identifiers were rejected$'
	has err '^ss-cert:   dev1.example.test: rejectedIdentifier: policy forbids issuing for this name$'
	has err '^ss-cert:   www.example.test: rejectedIdentifier: policy forbids issuing for this name$'
	[ ! -e certs/dev1.example.test ]
}

test_renew_with_nothing_from_acme_says_so() {
	mkconf
	run 0 "$SS_CERT" -c security.conf renew
	has err 'no certificates from an ACME CA to renew'
}

test_two_renews_at_once_take_turns() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	"$SS_CERT" -c security.conf renew --force >r1.out 2>r1.err &
	p1=$!
	"$SS_CERT" -c security.conf renew --force >r2.out 2>r2.err &
	p2=$!
	wait $p1
	wait $p2
	has r1.out 'renewed'
	has r2.out 'renewed'
	d=certs/dev1.example.test
	[ "$(readlink $d/fullchain.pem)" = fullchain-3.pem ]
	# no temporary files, every version whole
	[ -z "$(find certs -name '.*' -type f ! -name .lock)" ]
	for v in 1 2 3; do
		openssl x509 -in $d/cert-$v.pem -noout
		[ "$(openssl x509 -in $d/cert-$v.pem -noout -pubkey)" = \
		    "$(openssl pkey -in $d/privkey-$v.pem -pubout)" ]
	done
	verified dev1.example.test
}

test_external_account_binding() {
	export PEBBLE_EAB=1
	servers
	cp security.conf with-eab.conf
	sed -i '/^eab_/d' security.conf
	run 78 "$SS_CERT" -c security.conf issue --agree-tos
	has err 'requires external account binding: set eab_kid and eab_hmac_file'
	run 0 "$SS_CERT" -c with-eab.conf issue --agree-tos
	verified dev1.example.test
}

# The EAB MAC key is a secret: a file others may read, or another user
# owns, is refused before the CA is asked.
test_external_account_key_file_must_be_private() {
	export PEBBLE_EAB=1
	servers
	f=$(sed -n 's/^eab_hmac_file = //p' security.conf)
	chmod 0644 "$f"
	run 78 "$SS_CERT" -c security.conf issue --agree-tos
	has err "\\[acme\\] eab_hmac_file $f: .*chmod 600"
	chmod 0600 "$f"
	chown 65534 "$f"
	run 78 "$SS_CERT" -c security.conf issue --agree-tos
	has err "\\[acme\\] eab_hmac_file $f: owned by uid 65534"
	[ ! -e certs/dev1.example.test ]
}

test_account_key_rotation_keeps_the_account() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	k=state/acme/127.0.0.1_$PEBBLE_PORT/account.key
	before=$(sha256sum <$k)
	run 0 "$SS_CERT" -c security.conf account
	url=$(cat out)
	run 0 "$SS_CERT" -c security.conf account --rotate-key
	has out "^$url\$"
	[ "$before" != "$(sha256sum <$k)" ]
	[ "$(mode_of $k)" = 600 ]
	[ ! -e $k.new ]
	run 0 "$SS_CERT" -c security.conf renew --force
	has out 'renewed'
}

test_revoke_then_renew_replaces_it() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf revoke dev1.example.test --reason keyCompromise
	has out '^dev1.example.test: revoked'
	run 0 "$SS_CERT" -c security.conf renew
	has err 'renewing \(revoked\)'
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-2.pem ]
	run 64 "$SS_CERT" -c security.conf revoke dev1.example.test --reason whim
	has err "'whim' is not one of"
}

# Issued already, for the same names at the same CA and not due: kept,
# as certbot keeps one, with no order and no byte changed.
test_issue_again_keeps_a_certificate_that_is_not_due() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	n=$(orders)
	snap >before
	sleep 1
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --json
	has err 'dev1.example.test: issued already for these names by .*, valid until [0-9-]+ and not due; nothing changed \(--force orders a new one\)'
	has out '"changed": false'
	has out '"action": "unchanged"'
	[ "$(orders)" = "$n" ]
	snap >after
	cmp before after
}

test_issue_force_or_other_names_orders_again() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	n=$(orders)
	run 0 "$SS_CERT" -c security.conf issue --force
	[ "$(orders)" = $((n + 1)) ]
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-2.pem ]
	run 0 "$SS_CERT" -c security.conf issue --domain dev1.example.test \
	    --domain www.example.test
	[ "$(orders)" = $((n + 2)) ]
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-3.pem ]
}

test_issue_dry_run_orders_but_says_a_real_run_would_keep_it() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	n=$(orders)
	snap >before
	run 0 "$SS_CERT" -c security.conf issue --dry-run --agree-tos --json
	has err 'a real run would keep it'
	has out '"changed": false'
	[ "$(orders)" = $((n + 1)) ]
	snap >after
	cmp before after
}

test_revoke_again_changes_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf revoke dev1.example.test
	snap >before
	run 0 "$SS_CERT" -c security.conf revoke dev1.example.test --json
	has err 'dev1.example.test: revoked already; nothing changed'
	has out '"changed": false'
	snap >after
	cmp before after
}

test_dns01_without_a_hook_is_a_configuration_error() {
	servers dns-01
	sed -i '/^dns_hook/d' security.conf
	run 78 "$SS_CERT" -c security.conf issue --agree-tos
	has err 'dns-01 needs dns_hook in \[acme\]'
	[ ! -e certs/dev1.example.test ]
}

# The ACME state under state_dir: a planted symlink is refused before the
# CA is asked, and what it points at stays as it was.
test_acme_state_directory_that_is_a_symlink_is_refused() {
	servers
	mkdir -p decoy state
	echo precious >decoy/account.key
	hd=$(tree_hash decoy)
	ln -s "$T/decoy" state/acme
	run 73 "$SS_CERT" -c security.conf issue --agree-tos
	has err "state/acme: is a symbolic link, not a directory; remove it"
	[ "$hd" = "$(tree_hash decoy)" ]
	[ ! -e certs/dev1.example.test ]
}

test_acme_renewal_folder_that_is_a_symlink_is_refused() {
	servers
	mkdir -p decoy state/acme
	hd=$(tree_hash decoy)
	ln -s "$T/decoy" state/acme/certs
	run 73 "$SS_CERT" -c security.conf issue --agree-tos
	has err "state/acme/certs: is a symbolic link, not a directory; remove it"
	[ "$hd" = "$(tree_hash decoy)" ]
	[ ! -e certs/dev1.example.test ]
}

test_acme_account_key_that_is_a_symlink_is_refused() {
	servers
	run 0 "$SS_CERT" -c security.conf account --agree-tos
	mkdir -p decoy
	k=$(ls -d state/acme/127.0.0.1_*)/account.key
	mv "$k" decoy/account.key
	hd=$(tree_hash decoy)
	ln -s "$T/decoy/account.key" "$k"
	run 65 "$SS_CERT" -c security.conf account --rotate-key
	has err "account.key: is a symbolic link, not reading it"
	[ "$hd" = "$(tree_hash decoy)" ]
}

test_acme_state_dir_of_another_user_is_refused() {
	servers
	mkdir -p state
	chown 65534 state
	run 77 "$SS_CERT" -c security.conf issue --agree-tos
	has err "state: owned by uid 65534, not by uid $(id -u) who runs this; chown $(id -u) $T/state"
}

test_empty_renewal_info_url_is_taken_as_absent() {
	servers
	stub_start proxy --renewal-url ''
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf renew
	has out '^dev1.example.test: not due \([0-9]+ days left\)$'
	has err "$STUB_DIR: renewalInfo is not a usable URL"
	run 0 "$SS_CERT" -c security.conf renew --days 3000
	has out '^dev1.example.test: renewed'
	lacks stub.requests 'renewal-info'
}

test_malformed_renewal_info_url_is_taken_as_absent() {
	servers
	stub_start proxy --renewal-url 'https://'
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf renew --days 3000
	has out '^dev1.example.test: renewed'
	has err "$STUB_DIR: renewalInfo is not a usable URL"
}

# stalled KIND RETRY-AFTER [STUB-ARGS]: the CA keeps the authorization or
# the order busy and asks for RETRY-AFTER; ss-cert gives up within [acme]
# timeout, keeps the current certificate and leaves the lock free.
stalled() {
	servers
	sed -i 's/^timeout = .*/timeout = 10/' security.conf
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	h1=$(tree_hash certs)
	_kind=$1
	_after=$2
	shift 2
	stub_start proxy --stall "$_kind" --retry-after "$_after" "$@"
	sed -i "s|^directory = .*|directory = $STUB_DIR|" security.conf
	t0=$(date +%s)
	run 75 timeout 60 "$SS_CERT" -c security.conf issue --agree-tos
	[ $(($(date +%s) - t0)) -le 12 ]
	[ "$h1" = "$(tree_hash certs)" ]
	flock -n certs/.lock true
	no_tokens_left
}

test_huge_retry_after_on_an_authorization_gives_up_in_time() {
	stalled authz 99999999999999999999
	has err 'dev1.example.test: still pending, and the CA asks to wait [0-9]+ s, more than the [0-9] s left of \[acme\] timeout'
}

test_retry_after_past_the_clock_s_range_gives_up_in_time() {
	stalled authz 9223372036854775
	has err 'dev1.example.test: still pending, and the CA asks to wait 9223372036854775 s'
}

test_far_future_retry_after_date_on_an_order_gives_up_in_time() {
	stalled order 'Fri, 31 Dec 9999 23:59:59 GMT'
	has err 'order: still processing, and the CA asks to wait [0-9]+ s, more than'
}

test_a_ca_that_stops_answering_is_given_up_within_the_timeout() {
	stalled authz 1 --hang 40
	has err 'timed out after 10 s'
}

test_dns_wait_as_long_as_the_timeout_is_a_configuration_error() {
	servers dns-01
	sed -i -e 's/^timeout = .*/timeout = 10/' \
	    -e 's/^dns_wait = .*/dns_wait = 20/' security.conf
	run 78 timeout 60 "$SS_CERT" -c security.conf issue --agree-tos
	has err 'dns_wait \(20 s\) must be shorter than \[acme\] timeout \(10 s\)'
	[ ! -e certs/dev1.example.test ]
}

# --- dry runs: a whole order at the staging CA, nothing kept ---

# orders: how many certificates pebble has issued so far.
orders() {
	grep -c 'Issued certificate serial' pebble/pebble.log
}

test_renew_dry_run_makes_a_whole_order_and_changes_nothing() {
	export PEBBLE_AUTHZREUSE=0	# the challenge is answered again
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	snap >before
	n=$(orders)
	run 0 "$SS_CERT" -c security.conf renew --dry-run
	has out "^dev1.example.test: dry run: renewed by $PEBBLE_DIR and checked, valid until [0-9-]{10}; nothing saved \(not due yet: [0-9]+ days left\)$"
	[ "$(orders)" = $((n + 1)) ]
	has err 'dev1.example.test: validated \(http-01\)'
	snap >after
	cmp before after
	no_tokens_left
}

test_renew_dry_run_orders_at_the_staging_directory() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	stub_start proxy
	sed -i "s|^staging_directory = .*|staging_directory = $STUB_DIR|" \
	    security.conf
	# a new account at the staging CA: its terms need agreeing to
	run 78 "$SS_CERT" -c security.conf renew --dry-run
	has err 'asks to agree to its terms of service'
	run 0 "$SS_CERT" -c security.conf account --staging --agree-tos
	run 0 "$SS_CERT" -c security.conf renew --dry-run
	has stub.requests '^POST /finalize-order/'
	has stub.requests '^POST /certZ/'
	# the staging account is kept with the accounts, apart from the other
	[ -s "state/acme/127.0.0.1_$STUB_PORT/account.key" ]
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-1.pem ]
}

test_global_n_is_the_dry_run_of_renew_and_issue() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	snap >before
	n=$(orders)
	run 0 "$SS_CERT" -c security.conf -n renew
	has out '^dev1.example.test: dry run: renewed by'
	run 0 "$SS_CERT" -c security.conf -n issue --domain www.example.test
	has out '^www.example.test: dry run: issued by .* and checked, valid until [0-9-]{10}; nothing saved$'
	[ "$(orders)" = $((n + 2)) ]
	snap >after
	cmp before after
}

test_issue_dry_run_saves_no_certificate() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --dry-run --json
	has out '"action": "would-issue"'
	has out '"dry_run": true'
	has out '"not_after": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"'
	[ -z "$(ls -A certs)" ]
	[ ! -e state/acme/certs/dev1.example.test.json ]
}

test_failed_dry_run_says_why_and_changes_nothing() {
	export PEBBLE_AUTHZREUSE=0
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	stop_pid "$T/webroot.pid"
	snap >before
	run 69 "$SS_CERT" -c security.conf renew --dry-run
	has out '^dev1.example.test: renewal failed \(validation of dev1.example.test: connection: '
	snap >after
	cmp before after
	no_tokens_left
}

test_dry_run_runs_hooks_only_with_run_hooks() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	printf 'pre_hook = echo pre >>%s/hook.log\ndeploy_hook = echo deploy >>%s/hook.log\npost_hook = echo post >>%s/hook.log\n' \
	    "$T" "$T" "$T" >>security.conf
	run 0 "$SS_CERT" -c security.conf renew --dry-run
	[ ! -e hook.log ]
	snap >before
	run 0 "$SS_CERT" -c security.conf renew --dry-run --run-hooks
	[ "$(cat hook.log)" = "$(printf 'pre\ndeploy\npost')" ]
	snap >after
	cmp before after
}

# --- hooks ---

test_pre_and_post_hooks_run_once_around_the_orders() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain dev1.example.test
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain www.example.test
	printf 'pre_hook = echo pre >>%s/hook.log\ndeploy_hook = echo "deploy $RENEWED_DOMAINS" >>%s/hook.log\npost_hook = echo post >>%s/hook.log\n' \
	    "$T" "$T" "$T" >>security.conf
	run 0 "$SS_CERT" -c security.conf renew --force
	[ "$(cat hook.log)" = "$(printf 'pre\ndeploy dev1.example.test\ndeploy www.example.test\npost')" ]
}

test_renew_with_nothing_due_runs_no_hook_and_touches_nothing() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	printf 'pre_hook = echo pre >>%s/hook.log\npost_hook = echo post >>%s/hook.log\n' \
	    "$T" "$T" >>security.conf
	snap >before
	run 0 "$SS_CERT" -c security.conf renew
	has out '^dev1.example.test: not due'
	has err 'nothing was due; nothing changed'
	run 0 "$SS_CERT" -c security.conf renew --json
	has out '"changed": false'
	has out '"action": "unchanged"'
	has out '"action": "skipped"'
	snap >after
	cmp before after
	[ ! -e hook.log ]
}

# hook NAME PHASE [MODE]: a script in hooks/PHASE/NAME that logs its name.
hook() {
	mkdir -p "hooks/$2"
	printf '#!/bin/sh\necho "%s %s $RENEWED_DOMAINS" >>%s/hook.log\n' \
	    "$2" "$1" "$T" >"hooks/$2/$1"
	chmod "${3:-755}" "hooks/$2/$1"
}

test_hooks_dir_runs_executables_in_name_order_after_the_key() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	printf 'pre_hook = echo pre key >>%s/hook.log\n' "$T" >>security.conf
	hook 20-b pre
	hook 10-a pre
	hook 30-off pre 644
	hook .hidden pre
	hook 40-old~ pre
	hook 50-x.dpkg-old pre
	hook 10-reload deploy
	hook 10-start post
	run 0 "$SS_CERT" -c security.conf renew --force
	[ "$(cat hook.log)" = "$(printf 'pre key\npre 10-a \npre 20-b \ndeploy 10-reload dev1.example.test\npost 10-start ')" ]
}

test_hooks_dir_follows_a_link_to_a_file_root_owns() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	hook mine pre
	mv hooks/pre/mine .
	ln -s "$T/mine" hooks/pre/10-mine
	run 0 "$SS_CERT" -c security.conf renew --force
	[ "$(cat hook.log)" = 'pre mine ' ]
}

# Hooks run as root: one that another user could have changed stops the
# order before anything runs, the link's target as much as a file.
test_hooks_dir_refuses_a_hook_another_user_owns() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	hook 10-mine pre
	hook theirs pre
	mv hooks/pre/theirs .
	chown 65534 theirs
	ln -s "$T/theirs" hooks/pre/20-theirs
	n=$(orders)
	snap >before
	run 78 "$SS_CERT" -c security.conf renew --force
	has err "hooks/pre/20-theirs: owned by uid 65534, not root; not run \\(chown root\\)"
	[ "$(orders)" = "$n" ]
	[ ! -e hook.log ]
	snap >after
	cmp before after
}

test_hooks_dir_refuses_a_hook_others_can_write() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	hook 10-open deploy 775
	run 78 "$SS_CERT" -c security.conf renew --force
	has err "hooks/deploy/10-open: writable by group or others; not run \\(chmod go-w\\)"
	[ ! -e hook.log ]
}

test_failing_pre_hook_stops_the_order() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	hook 10-stop pre
	printf '#!/bin/sh\nexit 3\n' >hooks/pre/20-fail
	chmod 755 hooks/pre/20-fail
	hook 30-never pre
	hook 10-start post
	n=$(orders)
	snap >before
	run 69 "$SS_CERT" -c security.conf renew --force
	has out "^dev1.example.test: renewal failed \(pre hook $T/hooks/pre/20-fail failed\)$"
	[ "$(orders)" = "$n" ]
	snap >after
	cmp before after
	# the post hooks put back what the pre hooks stopped
	[ "$(cat hook.log)" = "$(printf 'pre 10-stop \npost 10-start ')" ]
}

test_failing_post_hook_is_reported_and_the_certificate_stays() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	printf 'post_hook = exit 4\n' >>security.conf
	run 69 "$SS_CERT" -c security.conf renew --force
	has out '^dev1.example.test: renewed'
	has err "post_hook 'exit 4' failed; the certificates stay"
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-2.pem ]
	verified dev1.example.test
}

test_failing_deploy_hook_fails_the_renewal() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 69 "$SS_CERT" -c security.conf renew --force --deploy-hook 'exit 5'
	has out "^dev1.example.test: renewal failed \(deploy_hook 'exit 5' failed\)$"
}

test_issue_runs_the_hooks_around_its_order() {
	servers
	hook 10-a pre
	hook 10-a deploy
	hook 10-a post
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	[ "$(cat hook.log)" = "$(printf 'pre 10-a \ndeploy 10-a dev1.example.test\npost 10-a ')" ]
}

# --- the CA forgot the account ---

test_issue_registers_again_when_the_ca_forgot_the_account() {
	servers
	printf 'agree_tos = yes\n' >>security.conf
	run 0 "$SS_CERT" -c security.conf issue
	u=state/acme/127.0.0.1_$PEBBLE_PORT/account.url
	before=$(cat $u)
	pebble_restart
	run 0 "$SS_CERT" -c security.conf issue --force
	has err 'account at CA no longer exists; registering a new one'
	has out '^dev1.example.test: issued'
	[ "$(cat $u)" != "$before" ]
	[ "$(readlink certs/dev1.example.test/fullchain.pem)" = fullchain-2.pem ]
	# and the next run uses the new account straight away
	run 0 "$SS_CERT" -c security.conf renew --force
	lacks err 'no longer exists'
}

test_registering_again_needs_the_terms_agreed() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	pebble_restart
	snap >before
	run 78 "$SS_CERT" -c security.conf renew --force
	has err 'account at CA no longer exists; registering a new one'
	has err "run 'ss-cert account --agree-tos'"
	snap >after
	cmp before after
	run 0 "$SS_CERT" -c security.conf account --agree-tos --json
	has out '"action": "reregistered"'
	has out '"changed": true'
	run 0 "$SS_CERT" -c security.conf renew --force
	has out '^dev1.example.test: renewed'
}

# --- --json ---

test_issue_json_names_what_it_wrote() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --json
	has out '"changed": true'
	has out '"action": "issued"'
	has out "\"$T/certs/dev1.example.test/fullchain.pem\""
	has out "\"$T/state/acme/certs/dev1.example.test.json\""
	has out '"version": 1'
	has out '"not_after": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"'
	lacks out 'issued, valid until'
}

test_renew_json_reports_each_certificate() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain dev1.example.test
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain www.example.test
	run 0 "$SS_CERT" -c security.conf renew --force --json
	$PY - out <<'PY'
import json, re, sys
o = json.load(open(sys.argv[1]))
assert o["changed"] is True and o["action"] == "renewed", o
names = [c["name"] for c in o["certificates"]]
assert names == ["dev1.example.test", "www.example.test"], names
for c in o["certificates"]:
    assert c["action"] == "renewed" and c["reason"] == "--force", c
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c["not_after"])
assert len(o["paths"]) == 10, o["paths"]
PY
}

test_revoke_and_account_json() {
	servers
	run 0 "$SS_CERT" -c security.conf account --agree-tos --json
	has out '"action": "registered"'
	run 0 "$SS_CERT" -c security.conf account --json
	has out '"changed": false'
	has out '"action": "unchanged"'
	has out '"paths": \[\]'
	run 0 "$SS_CERT" -c security.conf issue
	run 0 "$SS_CERT" -c security.conf revoke dev1.example.test --json
	has out '"action": "revoked"'
	has out "\"$T/state/acme/certs/dev1.example.test.json\""
}

run_tests
