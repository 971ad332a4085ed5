# Dynamic DNS test servers and configurations, sourced after lib.sh and
# acme_lib.sh: the dyndns2 provider of tests/dyndns2_provider.py (also the
# checkip service) and a [ddns] section for it or for named_start's bind9.
#
#   provider_start         exports PROV_PORT, PROV_URL, PROV_DIR; the
#                          provider answers /ip with 203.0.113.7 and
#                          /nic/update with good for dev1user / PROV_PASSWORD;
#                          with PROV_TLS=1 over HTTPS only, its certificate
#                          for PROV_SAN (IP:127.0.0.1,DNS:localhost) from
#                          mkca's CA (PROV_CA: the root and intermediate)
#   provider_ip ADDR       the address /ip answers from now on
#   provider_code CODE     what /nic/update answers from now on
#   provider_requests      /nic/update requests so far
#   ddns_conf dyndns2|rfc2136
#                          appends [ddns] to $T/security.conf (mkconf's
#                          when there is none yet); device dev1.example.test
#   ddns_ip ADDR           the external address cmd:cat $T/external-ip says
#   provider_account USER PASSWORD
#                          one more account the provider takes
#   provider_requests_for FQDN
#                          /nic/update requests for FQDN so far
#   ddns_name FQDN dyndns2 USER PASSWORD | rfc2136
#                          appends [ddns:FQDN] for that provider (the
#                          dyndns2 one with account USER, the bind9 one)

DDNS_PROVIDER=$TOP/tests/dyndns2_provider.py
PROV_PASSWORD='s3cret:with spaces'

provider_start() {
	PROV_DIR=$T/provider
	mkdir -p "$PROV_DIR"
	PROV_PORT=$(free_port)
	PROV_URL=http://127.0.0.1:$PROV_PORT
	set --
	if [ "${PROV_TLS:-0}" = 1 ]; then
		[ -f "$T/ca/root.pem" ] || mkca
		mkleaf provider 30 "${PROV_SAN:-IP:127.0.0.1,DNS:localhost}"
		PROV_CA=$T/ca/provider-ca.pem
		cat "$T/ca/root.pem" "$T/ca/int.pem" >"$PROV_CA"
		cat "$T/ca/provider.pem" "$T/ca/int.pem" >"$T/ca/provider-chain.pem"
		set -- --cert "$T/ca/provider-chain.pem" --key "$T/ca/provider.key"
		PROV_URL=https://127.0.0.1:$PROV_PORT
		export PROV_CA
	fi
	export PROV_PORT PROV_URL PROV_DIR
	echo 203.0.113.7 >"$PROV_DIR/ip"
	echo 2001:db8::7 >"$PROV_DIR/ip6"
	echo good >"$PROV_DIR/code"
	printf '%s\n' "$PROV_PASSWORD" >"$PROV_DIR/password"
	: >"$PROV_DIR/updates.log"
	$PY "$DDNS_PROVIDER" --port "$PROV_PORT" --dir "$PROV_DIR" \
	    --slow "${PROV_SLOW:-30}" "$@" >"$PROV_DIR/provider.log" 2>&1 &
	echo $! >"$T/provider.pid"
	wait_port "$PROV_PORT" || server_failed provider "$PROV_DIR/provider.log"
}

provider_ip() {
	echo "$1" >"$PROV_DIR/ip"
}

provider_code() {
	echo "$1" >"$PROV_DIR/code"
}

provider_requests() {
	wc -l <"$PROV_DIR/updates.log"
}

provider_account() {
	echo "$1 $2" >>"$PROV_DIR/accounts"
}

provider_requests_for() {
	grep -c " hostname=$1 " "$PROV_DIR/updates.log" || true
}

ddns_name() {
	case $2 in
	dyndns2)
		(umask 077; printf '%s\n' "$4" >"$T/$1.password")
		cat >>"$T/security.conf" <<EOC

[ddns:$1]
protocol = dyndns2
server = $PROV_URL
username = $3
password_file = $T/$1.password
EOC
		;;
	rfc2136)
		(umask 077; cp "$NS_KEY" "$T/$1.tsig.key")
		cat >>"$T/security.conf" <<EOC

[ddns:$1]
protocol = rfc2136
server = 127.0.0.1:$DNS_PORT
zone = example.test
tsig_key_file = $T/$1.tsig.key
ttl = 120
EOC
		;;
	*)
		echo "ddns_name: unknown protocol '$2'" >&2
		return 1
		;;
	esac
}

ddns_ip() {
	echo "$1" >"$T/external-ip"
}

ddns_conf() {
	[ -f "$T/security.conf" ] || mkconf
	case $1 in
	dyndns2)
		: "${PROV_URL:?ddns_conf dyndns2 needs provider_start first}"
		(umask 077; printf '%s\n' "$PROV_PASSWORD" >"$T/ddns.password")
		cat >>"$T/security.conf" <<EOC

[ddns]
enabled = yes
protocol = dyndns2
server = $PROV_URL
username = dev1user
password_file = $T/ddns.password
checkip = $PROV_URL/ip
ip_version = 4
force_days = 28
flap_threshold = 3
EOC
		;;
	rfc2136)
		: "${NS_KEY:?ddns_conf rfc2136 needs named_start first}"
		(umask 077; cp "$NS_KEY" "$T/tsig.key")
		[ -f "$T/external-ip" ] || ddns_ip 203.0.113.7
		cat >>"$T/security.conf" <<EOC

[ddns]
enabled = yes
protocol = rfc2136
server = 127.0.0.1:$DNS_PORT
zone = example.test
tsig_key_file = $T/tsig.key
ttl = 60
checkip = cmd:cat $T/external-ip
ip_version = 4
force_days = 28
flap_threshold = 3
EOC
		;;
	*)
		echo "ddns_conf: unknown protocol '$1'" >&2
		return 1
		;;
	esac
}

# ddns_set KEY VALUE: changes KEY in [ddns] (the last section ddns_conf
# wrote, before any [ddns:FQDN]).
ddns_set() {
	sed -i "/^\[ddns\]/,/^\[ddns:/ s|^$1 = .*|$1 = $2|" "$T/security.conf"
	grep -q "^$1 = $2\$" "$T/security.conf"
}

# dig_a NAME: the A records the test named answers for NAME.
dig_a() {
	dig @127.0.0.1 -p "$DNS_PORT" +time=2 +tries=1 +short "$1" A
}

# with_hosts FILE CMD...: runs CMD with FILE as /etc/hosts (a private
# mount namespace), so the system resolver answers what FILE says.  When
# the namespace or the mount is refused it exits 125, which no expected
# status of CMD is, so the test fails there.
with_hosts() {
	_h=$1
	shift
	if ! _why=$(unshare -m --propagation private true 2>&1); then
		echo "with_hosts: unshare -m refused: $_why" >&2
		return 125
	fi
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare -m --propagation private sh -c \
	    'mount --bind "$0" /etc/hosts || exit 125; exec "$@"' "$_h" "$@"
}
