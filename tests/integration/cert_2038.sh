# ss-cert with dates past 2038-01-19, where a 32-bit time_t (armhf) ends:
# a private CA's certificates valid until 2050 and 2100 installed, listed
# and checked, and self-signed certificates of 9000 and 36500 days.  The
# expected dates come from GNU date and openssl, never from the tool.
. "$(dirname "$0")/lib.sh"

now() {
	date +%s
}

# in_days LO HI V: V is a whole number from LO to HI (the days left seen
# from just before and just after the run, however slow the machine).
in_days() {
	[[ $3 =~ ^[0-9]+$ ]] && [ "$3" -ge "$1" ] && [ "$3" -le "$2" ] || {
		echo "# days left: '$3', not from $1 to $2" >&2
		return 1
	}
}

# far_leaf END: a CA valid for 100 years and the leaf ca/far.pem for
# dev1.example.test valid until END (GeneralizedTime), installed.
far_leaf() {
	mkconf
	mkca 36500
	mkleaf_until far "$1" "DNS:dev1.example.test"
	run 0 "$SS_CERT" -c security.conf install --cert ca/far.pem \
	    --key ca/far.key --chain ca/int.pem --ca ca/root.pem
}

# far_is DATE EPOCH: list, list --json, check and check --json of the
# certificate installed by far_leaf say it ends at EPOCH, on DATE.
far_is() {
	end=$2
	[ "$(date -u -d "@$end" '+%Y-%m-%d %H:%M:%S UTC')" = \
	    "$(openssl x509 -in ca/far.pem -noout -enddate |
	    sed 's/^notAfter=//' | xargs -0 date -u '+%Y-%m-%d %H:%M:%S UTC' -d)" ]
	t0=$(now)
	run 0 "$SS_CERT" -c security.conf list
	run 0 "$SS_CERT" -c security.conf list --json
	cp out list.json
	run 0 "$SS_CERT" -c security.conf check certs/dev1.example.test \
	    --ca ca/root.pem
	cp out check.txt
	run 0 "$SS_CERT" -c security.conf check --json \
	    certs/dev1.example.test --ca ca/root.pem
	t1=$(now)
	lo=$(((end - t1) / 86400))
	hi=$(((end - t0) / 86400))

	"$SS_CERT" -c security.conf list >list.txt
	has list.txt "^  Status: +ok\$"
	has list.txt "^  Not after: +$(date -u -d "@$end" '+%Y-%m-%d %H:%M:%S') UTC \([0-9]+ days left\)\$"
	in_days "$lo" "$hi" "$(sed -n 's/^  Not after:.*(\([0-9]*\) days left)$/\1/p' list.txt)"

	has check.txt "^CERT OK - dev1.example.test valid until $1 \([0-9]+ days\)\$"
	has check.txt "^Valid until: +$(date -u -d "@$end" '+%Y-%m-%d %H:%M:%S') UTC\$"
	in_days "$lo" "$hi" "$(sed -n 's/^Days left: *//p' check.txt)"

	/usr/bin/python3 - list.json out "$end" "$lo" "$hi" <<'PY'
import datetime, json, sys
lst, chk = (json.load(open(f)) for f in sys.argv[1:3])
end, lo, hi = (int(v) for v in sys.argv[3:6])
text = datetime.datetime.fromtimestamp(end, datetime.timezone.utc).strftime(
    "%Y-%m-%dT%H:%M:%SZ")
assert lst[0]["not_after"] == text, (lst, text)
assert lo <= lst[0]["days_left"] <= hi, (lst, lo, hi)
assert lst[0]["status"] == "ok", lst
assert chk["status"] == "OK", chk
assert chk["not_after"] == text, (chk, text)
assert lo <= chk["days_left"] <= hi, (chk, lo, hi)
PY
}

test_certificate_until_2050_is_installed_listed_and_checked() {
	far_leaf 20500630235959Z
	has err 'installed ca/far.pem as dev1.example.test, version 1 \(until 2050-06-30, [0-9]+ days\)'
	far_is 2050-06-30 2540246399
}

test_certificate_until_2100_is_installed_listed_and_checked() {
	far_leaf 21000301000000Z
	has err 'installed ca/far.pem as dev1.example.test, version 1 \(until 2100-03-01, [0-9]+ days\)'
	far_is 2100-03-01 4107542400
}

# selfsigned_for DAYS: self_days = DAYS; the "until" date of the log, the
# certificate's own end and the days left of list agree with GNU date.
selfsigned_for() {
	mkconf
	printf 'self_days = %s\n' "$1" >>security.conf
	t0=$(now)
	run 0 "$SS_CERT" -c security.conf selfsigned
	t1=$(now)
	d0=$(date -u -d "@$((t0 + $1 * 86400))" +%F)
	d1=$(date -u -d "@$((t1 + $1 * 86400))" +%F)
	has err "created .*/self/server.crt \(ec256, CN=dev1.example.test, until ($d0|$d1)\)"
	end=$(date -u +%s -d "$(openssl x509 -in certs/self/server.crt -noout \
	    -enddate | sed 's/^notAfter=//')")
	[ "$end" -ge $((t0 + $1 * 86400)) ] && [ "$end" -le $((t1 + $1 * 86400)) ]
	t0=$(now)
	run 0 "$SS_CERT" -c security.conf list
	t1=$(now)
	has out "^  Status: +ok\$"
	has out "^  Not after: +($d0|$d1) [0-9:]{8} UTC \([0-9]+ days left\)\$"
	in_days $(((end - t1) / 86400)) $(((end - t0) / 86400)) \
	    "$(sed -n 's/^  Not after:.*(\([0-9]*\) days left)$/\1/p' out)"
	# kept: not due for renewal
	run 0 "$SS_CERT" -c security.conf selfsigned
	has err 'kept .*/self/server.crt: names match and renewal is not due'
}

test_selfsigned_for_9000_days() {
	selfsigned_for 9000
}

test_selfsigned_for_36500_days() {
	selfsigned_for 36500
}

run_tests
