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
	has out '^dev1.example.test: renewal failed'
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
	    -c security.conf issue --agree-tos
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

test_renew_inside_window_renews_and_runs_deploy_hook_once() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain dev1.example.test
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --domain www.example.test
	run 0 "$SS_CERT" -c security.conf renew --days 3000 \
	    --deploy-hook "echo \"\$RENEWED_NAMES\" >>$T/hook.log"
	has out '^dev1.example.test: renewed, valid until'
	has out '^www.example.test: renewed, valid until'
	[ "$(wc -l <hook.log)" = 1 ]
	has hook.log '^dev1.example.test www.example.test$'
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

test_issue_reuse_key_keeps_the_key() {
	servers
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
	run 0 "$SS_CERT" -c security.conf issue --agree-tos --reuse-key
	d=certs/dev1.example.test
	cmp $d/privkey-1.pem $d/privkey-2.pem
	[ "$(openssl x509 -in $d/cert-2.pem -noout -pubkey)" = \
	    "$(openssl pkey -in $d/privkey-1.pem -pubout)" ]
	run 0 "$SS_CERT" -c security.conf issue --agree-tos
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

run_tests
