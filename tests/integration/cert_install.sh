# ss-cert install: custom certificates from the owner's CA.
. "$(dirname "$0")/lib.sh"

setup() {
	mkconf
	mkca
	mkleaf good 90 "DNS:dev1.example.test,DNS:dev1"
	cat ca/int.pem >ca/chain.pem
	mkdir -p certs
}

test_install_validates_and_links_versioned_files() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	has err 'installed ca/good.pem as dev1.example.test, version 1'
	d=certs/dev1.example.test
	[ "$(readlink $d/fullchain.pem)" = fullchain-1.pem ]
	[ "$(readlink $d/privkey.pem)" = privkey-1.pem ]
	[ "$(readlink $d/cert.pem)" = cert-1.pem ]
	[ "$(readlink $d/chain.pem)" = chain-1.pem ]
	[ "$(mode_of $d/privkey-1.pem)" = 600 ]
	openssl verify -CAfile ca/root.pem -untrusted $d/chain.pem $d/cert.pem
	[ "$(grep -c 'BEGIN CERTIFICATE' $d/fullchain.pem)" = 2 ]
	cmp <(openssl x509 -in $d/cert.pem -outform DER) \
	    <(openssl x509 -in ca/good.pem -outform DER)
	[ "$(openssl pkey -in $d/privkey.pem -pubout)" = \
	    "$(openssl pkey -in ca/good.key -pubout)" ]
}

test_install_again_adds_version_2_and_keeps_version_1() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	mkleaf next 90 "DNS:dev1.example.test"
	cat ca/next.pem ca/int.pem >ca/next-full.pem
	run 0 "$SS_CERT" -c security.conf install --cert ca/next-full.pem \
	    --key ca/next.key --ca ca/root.pem
	d=certs/dev1.example.test
	[ "$(readlink $d/fullchain.pem)" = fullchain-2.pem ]
	[ -f $d/fullchain-1.pem ]
	cmp <(openssl x509 -in $d/cert.pem -outform DER) \
	    <(openssl x509 -in ca/next.pem -outform DER)
}

test_install_keeps_three_versions() {
	setup
	for n in 1 2 3 4 5; do
		mkleaf "v$n" 90 "DNS:dev1.example.test"
		run 0 "$SS_CERT" -c security.conf install --cert "ca/v$n.pem" \
		    --key "ca/v$n.key" --chain ca/chain.pem --ca ca/root.pem
	done
	d=certs/dev1.example.test
	[ "$(readlink $d/fullchain.pem)" = fullchain-5.pem ]
	[ "$(ls $d | grep -c -- '-[0-9]*\.pem$')" = 12 ]
	[ ! -e $d/privkey-2.pem ] && [ -f $d/privkey-3.pem ]
}

test_install_of_the_same_certificate_again_changes_nothing() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	s1=$(tree_stamp certs)
	sleep 1
	run 0 "$SS_CERT" -c security.conf install --json --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	[ "$s1" = "$(tree_stamp certs)" ]
	has err 'ca/good.pem is installed as dev1.example.test already, version 1; nothing changed'
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["changed"] is False and r["action"] == "unchanged", r
assert r["paths"] == [] and r["version"] == 1, r
assert "dry_run" not in r, r' "$T/out"
}

test_install_json_names_the_files_it_wrote() {
	setup
	run 0 "$SS_CERT" -c security.conf install --json --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	fp=$(openssl x509 -in ca/good.pem -noout -fingerprint -sha256 |
	    sed 's/^.*=//')
	na=$(date -u +%Y-%m-%dT%H:%M:%SZ -d "$(openssl x509 -in ca/good.pem \
	    -noout -enddate | sed 's/^.*=//')")
	/usr/bin/python3 - "$T" "$fp" "$na" <<'PY'
import json, sys
t, fp, na = sys.argv[1:]
r = json.load(open(t + "/out"))
d = t + "/certs/dev1.example.test/"
assert r["changed"] is True and r["action"] == "installed", r
assert r["name"] == "dev1.example.test" and r["version"] == 1, r
assert sorted(r["paths"]) == sorted(d + k + s for k in
    ("privkey", "fullchain", "cert", "chain") for s in ("-1.pem", ".pem")), r
assert r["fingerprint_sha256"] == fp and r["not_after"] == na, r
PY
}

test_install_dry_run_json_says_what_would_change() {
	setup
	h1=$(tree_stamp certs)
	run 0 "$SS_CERT" -c security.conf -n install --json --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	[ "$h1" = "$(tree_stamp certs)" ]
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dry_run"] is True and r["changed"] is True, r
assert r["action"] == "installed" and len(r["paths"]) == 8, r' "$T/out"
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	run 0 "$SS_CERT" -c security.conf -n install --json --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["dry_run"] is True and r["changed"] is False, r
assert r["action"] == "unchanged" and r["paths"] == [], r' "$T/out"
}

test_install_under_a_name_skips_the_hostname() {
	setup
	mkleaf mqtt 90 "DNS:broker.internal"
	run 0 "$SS_CERT" -c security.conf install --cert ca/mqtt.pem \
	    --key ca/mqtt.key --chain ca/chain.pem --ca ca/root.pem --name mqtt
	[ -L certs/mqtt/fullchain.pem ]
}

# Bad input: a message naming the file, the exit code, and the certs
# directory exactly as it was.
bad_install() {
	code=$1
	msg=$2
	shift 2
	h1=$(tree_hash certs)
	run "$code" "$SS_CERT" -c security.conf install "$@"
	has err "$msg"
	[ "$h1" = "$(tree_hash certs)" ]
}

test_install_rejects_garbage_pem() {
	setup
	printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' >junk.pem
	bad_install 65 'junk.pem' --cert junk.pem --key ca/good.key --ca ca/root.pem
}

test_install_rejects_text_that_is_no_pem() {
	setup
	echo "hello" >hello.txt
	bad_install 65 'hello.txt: no PEM certificate' --cert hello.txt \
	    --key ca/good.key --ca ca/root.pem
}

test_install_rejects_key_that_does_not_match() {
	setup
	mkleaf other 90 "DNS:dev1.example.test"
	bad_install 65 'other.key: key does not match the certificate in ca/good.pem' \
	    --cert ca/good.pem --key ca/other.key --chain ca/chain.pem --ca ca/root.pem
}

test_install_rejects_expired_certificate() {
	setup
	mkleaf old -1 "DNS:dev1.example.test"
	bad_install 65 'old.pem: expired on' --cert ca/old.pem --key ca/old.key \
	    --chain ca/chain.pem --ca ca/root.pem
}

test_install_rejects_chain_missing_intermediate() {
	setup
	bad_install 65 'good.pem: chain does not verify to ca/root.pem: .*unable to get local issuer certificate' \
	    --cert ca/good.pem --key ca/good.key --ca ca/root.pem
	has err 'the intermediate certificate \(CN=Test Intermediate CA\) is missing; give it with --chain FILE'
}

test_install_rejects_untrusted_chain_without_ca() {
	setup
	bad_install 65 'chain does not verify to the system trust store' \
	    --cert ca/good.pem --key ca/good.key --chain ca/chain.pem
	has err 'CN=Test Root CA is not a trusted CA; give its certificate with --ca FILE'
}

test_install_rejects_wrong_hostname() {
	setup
	mkleaf wrong 90 "DNS:other.example.test"
	bad_install 65 'names do not cover dev1.example.test' --cert ca/wrong.pem \
	    --key ca/wrong.key --chain ca/chain.pem --ca ca/root.pem
}

test_install_rejects_unreadable_file() {
	setup
	cp ca/good.key noaccess.key
	chmod 000 noaccess.key
	# root reads anything: drop to nobody for this one
	chmod 755 "$T" "$T/ca"
	chmod 644 ca/*.pem security.conf
	chown -R nobody certs
	h1=$(tree_hash certs)
	run 77 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key noaccess.key --chain ca/chain.pem --ca ca/root.pem
	has err 'noaccess.key: cannot read: Permission denied'
	[ "$h1" = "$(tree_hash certs)" ]
}

test_install_rejects_missing_file() {
	setup
	bad_install 66 'nothere.pem: cannot read: No such file or directory' --cert nothere.pem \
	    --key ca/good.key --ca ca/root.pem
}

test_install_rejects_encrypted_key() {
	setup
	openssl pkey -in ca/good.key -aes256 -passout pass:secret -out enc.key
	bad_install 65 'enc.key: private key is encrypted' --cert ca/good.pem \
	    --key enc.key --chain ca/chain.pem --ca ca/root.pem
}

test_install_refuses_name_that_climbs_out() {
	setup
	bad_install 64 "'../etc' cannot name a certificate directory" \
	    --cert ca/good.pem --key ca/good.key --name ../etc
}

test_install_never_writes_through_a_planted_symlink() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	echo precious >victim
	ln -s "$T/victim" certs/dev1.example.test/privkey-2.pem
	h1=$(tree_hash certs)
	mkleaf next 90 "DNS:dev1.example.test"
	run 73 "$SS_CERT" -c security.conf install --cert ca/next.pem \
	    --key ca/next.key --chain ca/chain.pem --ca ca/root.pem
	has err "dev1.example.test/privkey-2.pem: not a regular file; remove it"
	[ "$(cat victim)" = precious ]
	[ "$h1" = "$(tree_hash certs)" ]
}

test_install_failed_swap_keeps_old_version_active() {
	setup
	run 0 "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	h1=$(tree_hash certs)
	mkleaf next 90 "DNS:dev1.example.test"
	# renames 1-4 write the files, 5-8 swap the links: fail each in turn
	for n in 1 2 3 4 5 6 7 8; do
		FAULTINJ_CALL=rename FAULTINJ_AT=$n LD_PRELOAD="$FAULTINJ" \
		    run 73 "$SS_CERT" -c security.conf install --cert ca/next.pem \
		    --key ca/next.key --chain ca/chain.pem --ca ca/root.pem
		[ "$h1" = "$(tree_hash certs)" ]
	done
}

test_install_dry_run_writes_nothing() {
	setup
	h1=$(tree_hash certs)
	run 0 "$SS_CERT" -c security.conf -n install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
	has err 'would install'
	[ "$h1" = "$(tree_hash certs)" ]
}

# A planted symlink under the certificates directory: refused with a
# message naming it, and nothing outside the directory written or removed.
# $T/decoy stands for whatever the link points at.
mkdecoy() {
	mkdir -p decoy
	echo precious >decoy/fullchain-1.pem
	echo precious >decoy/privkey-1.pem
	hd=$(tree_hash decoy)
}

install_good() {
	run "$1" "$SS_CERT" -c security.conf install --cert ca/good.pem \
	    --key ca/good.key --chain ca/chain.pem --ca ca/root.pem
}

test_install_refuses_a_name_directory_that_is_a_symlink() {
	setup
	mkdecoy
	ln -s "$T/decoy" certs/dev1.example.test
	for n in 1 2 3 4 5; do
		install_good 73
		has err "certs/dev1.example.test: is a symbolic link, not a directory; remove it"
	done
	[ "$hd" = "$(tree_hash decoy)" ]
}

test_install_refuses_a_name_that_is_not_a_directory() {
	setup
	echo x >certs/dev1.example.test
	install_good 73
	has err "certs/dev1.example.test: not a directory; remove it"
}

test_install_refuses_a_link_that_leads_out_of_its_directory() {
	setup
	mkdecoy
	install_good 0
	ln -sfn "$T/decoy/fullchain-1.pem" \
	    certs/dev1.example.test/fullchain.pem
	h1=$(tree_hash certs)
	install_good 73
	has err "dev1.example.test/fullchain.pem: points at $T/decoy/fullchain-1.pem, not at a file of this directory; remove it"
	[ "$h1" = "$(tree_hash certs)" ]
	[ "$hd" = "$(tree_hash decoy)" ]
}

test_install_refuses_a_lock_file_that_is_a_symlink() {
	setup
	mkdecoy
	ln -s "$T/decoy/lock" certs/.lock
	install_good 73
	has err "certs/.lock: is a symbolic link, not a lock file; remove it"
	[ "$hd" = "$(tree_hash decoy)" ]
	[ ! -e certs/dev1.example.test ]
}

test_install_refuses_certs_dir_writable_by_group_or_others() {
	setup
	for m in 775 757 1777; do
		chmod "$m" certs
		install_good 78
		has err "certs: writable by group or others \(mode 0?$m\); chmod go-w $T/certs"
		[ ! -e certs/dev1.example.test ]
	done
}

test_install_refuses_certs_dir_of_another_user() {
	setup
	chown 65534 certs
	install_good 77
	has err "certs: owned by uid 65534, not by uid $(id -u) who runs this; chown $(id -u) $T/certs"
	[ ! -e certs/dev1.example.test ]
}

test_install_refuses_certs_dir_that_is_a_symlink() {
	setup
	mkdecoy
	rmdir certs
	ln -s "$T/decoy" certs
	install_good 78
	has err "certs: is a symbolic link, not a directory; set \[certs\] dir to the real directory"
	[ "$hd" = "$(tree_hash decoy)" ]
}

# The commands that only read go through the same checks: a certificate
# planted behind a link is refused, not reported on or served.
test_readers_refuse_a_name_directory_that_is_a_symlink() {
	setup
	install_good 0
	mv certs/dev1.example.test decoy
	ln -s "$T/decoy" certs/dev1.example.test
	run 3 "$SS_CERT" -c security.conf check
	has err "certs/dev1.example.test: is a symbolic link, not a directory; remove it"
	run 0 "$SS_CERT" -c security.conf list
	lacks out '^dev1.example.test'
	run 73 "$SS_CERT" -c security.conf export --pkcs12 "$T/out.p12" \
	    --alias a --name dev1.example.test --password-fd 3 3<<EOP
secret-enough
EOP
	[ ! -e "$T/out.p12" ]
}

test_readers_refuse_a_link_that_leads_out_of_its_directory() {
	setup
	install_good 0
	d=certs/dev1.example.test
	cp "$d/fullchain-1.pem" elsewhere.pem
	ln -sfn "$T/elsewhere.pem" "$d/fullchain.pem"
	run 3 "$SS_CERT" -c security.conf check
	has err "$d/fullchain.pem: points at $T/elsewhere.pem, not at a file of this folder; remove it"
	run 0 "$SS_CERT" -c security.conf list
	has out '^  Status: +invalid$'
	has err "$d/fullchain.pem: points at"
}

run_tests
