# nginx for ss-nginxconf, sourced after lib.sh and acme_lib.sh: a real
# nginx with its own prefix $T/nginx, listening on 127.0.0.1 only, a
# loopback backend for its proxy, and the configuration that points
# ss-nginxconf at them.  Each server leaves $T/NAME.pid for run_tests.
#
#   backend_start          backend.py; exports BACKEND_PORT; each request
#                          it saw is a line in $T/backend.requests
#   nginx_start            exports NGINX_HTTP_PORT, NGINX_HTTPS_PORT (the
#                          proxy site, empty at first) and NGINX_TLS_PORT
#                          (a plain TLS server with certs.conf); basic
#                          auth user $NGINX_USER, password $NGINX_PASSWORD
#   nginx_prepare          the same without certs.conf and without
#                          starting nginx, as on a device being set up
#   nginx_run              starts the nginx that nginx_prepare set up
#   nginx_stop             stops it and waits until it is gone
#   nginx_master           the master's PID (the same across reloads)
#   conf_set SECTION KEY VALUE
#   served_fingerprint PORT [NAME]
#   file_fingerprint FILE
#   ws_echo PORT MESSAGE [USER:PASSWORD]
#   files_state PATH...    names, sizes, mtimes and SHA-256 of the files
#                          under each PATH: equal before and after when
#                          nothing was touched
#
# $T/nginx/commands.log gets a line "test" or "reload" each time
# ss-nginxconf runs test_command or reload_command.

SS_NGINXCONF=$B/ss-nginxconf
NGINX_USER=owner
NGINX_PASSWORD=s3cret-pass

# backend_start: tests/integration/backend.py on a free port.
backend_start() {
	BACKEND_PORT=$(free_port)
	export BACKEND_PORT
	$PY "$TOP/tests/integration/backend.py" --port "$BACKEND_PORT" \
	    --log "$T/backend.requests" >"$T/backend.log" 2>&1 &
	echo $! >"$T/backend.pid"
	wait_port "$BACKEND_PORT" || server_failed backend "$T/backend.log"
}

# conf_set SECTION KEY VALUE: KEY in [SECTION] of $T/security.conf set to
# VALUE, replaced where it is, else added in a repeated [SECTION].
conf_set() {
	awk -v s="$1" -v k="$2" -v v="$3" '
	/^\[/ { sec = substr($0, 2, index($0, "]") - 2) }
	sec == s && $1 == k && $2 == "=" { print k " = " v; done = 1; next }
	{ print }
	END { if (!done) printf "\n[%s]\n%s = %s\n", s, k, v }' \
	    "$T/security.conf" >"$T/security.conf.new"
	mv "$T/security.conf.new" "$T/security.conf"
}

_nginx_files() {
	_d=$1
	mkdir -p "$_d/tmp" "$T/webroot/.well-known/acme-challenge"
	: >"$_d/site.conf"
	: >"$_d/commands.log"
	cat >"$_d/nginx.conf" <<EOC
# ss-security tests: nginx on 127.0.0.1 only, everything under $_d.
user root;
daemon on;
worker_processes 1;
worker_shutdown_timeout 5s;
pid $_d/nginx.pid;
error_log $_d/error.log notice;

events {
	worker_connections 128;
}

http {
	default_type application/octet-stream;
	access_log $_d/access.log;
	client_body_temp_path $_d/tmp/client_body;
	proxy_temp_path $_d/tmp/proxy;
	fastcgi_temp_path $_d/tmp/fastcgi;
	uwsgi_temp_path $_d/tmp/uwsgi;
	scgi_temp_path $_d/tmp/scgi;

	include $_d/site.conf;

	server {
		listen 127.0.0.1:$NGINX_TLS_PORT ssl;
		include $_d/certs.conf;
		location / {
			return 200 "ok\n";
		}
	}
}
EOC
	_nginx="nginx -e $_d/error.log -p $_d/ -c $_d/nginx.conf"
	cat >"$_d/test" <<EOS
#!/bin/sh
echo test >>$_d/commands.log
exec $_nginx -t -q
EOS
	# nginx -s reload only signals the master, which starts new workers
	# and lets the old ones finish; the new configuration serves every
	# connection once the old workers are gone.  A master that refuses
	# the new configuration keeps its old workers: after 10 s, a failure.
	cat >"$_d/reload" <<EOS
#!/bin/sh
echo reload >>$_d/commands.log
master=\$(cat $_d/nginx.pid) || exit 1
old=" \$(pgrep -P "\$master" | tr '\n' ' ') "
$_nginx -s reload || exit 1
i=0
while [ \$i -lt 100 ]; do
	new=no gone=yes
	for p in \$(pgrep -P "\$master"); do
		case \$old in
		*" \$p "*) gone=no ;;
		*) new=yes ;;
		esac
	done
	[ \$new = yes ] && [ \$gone = yes ] && exit 0
	i=\$((i + 1))
	sleep 0.1
done
echo "nginx did not take the new configuration; see $_d/error.log" >&2
exit 1
EOS
	chmod 755 "$_d/test" "$_d/reload"
	printf '%s:%s\n' "$NGINX_USER" "$(printf '%s\n' "$NGINX_PASSWORD" |
	    openssl passwd -6 -stdin)" >"$_d/htpasswd"
	[ -e "$T/openhab.defaults" ] ||
	    printf 'OPENHAB_HTTP_ADDRESS=127.0.0.1\n' >"$T/openhab.defaults"
}

_nginx_conf() {
	[ -e "$T/security.conf" ] || mkconf
	cat >>"$T/security.conf" <<EOC

[nginx]
certs_conf = $_d/certs.conf
site_conf = $_d/site.conf
test_command = $_d/test
reload_command = $_d/reload
pid_file = $_d/nginx.pid
listen = 127.0.0.1
http_port = $NGINX_HTTP_PORT
https_port = $NGINX_HTTPS_PORT
backend = http://127.0.0.1:${BACKEND_PORT:-$(free_port)}

[passwd]
htpasswd_file = $_d/htpasswd

[openhab]
defaults_file = $T/openhab.defaults
EOC
	grep -q '^webroot *=' "$T/security.conf" ||
	    printf '\n[acme]\nwebroot = %s\n' "$T/webroot" >>"$T/security.conf"
}

# nginx_prepare: nginx's files under $T/nginx and the [nginx] settings
# for them, and the self-signed certificate (made when there is none);
# neither certs.conf nor a running nginx yet.
nginx_prepare() {
	_d=$T/nginx
	mkdir -p "$_d"
	# shellcheck disable=SC2046 # three numbers
	set -- $(free_ports 3)
	NGINX_HTTP_PORT=$1 NGINX_HTTPS_PORT=$2 NGINX_TLS_PORT=$3
	export NGINX_HTTP_PORT NGINX_HTTPS_PORT NGINX_TLS_PORT
	_nginx_files "$_d"
	_nginx_conf
	[ -e "$T/certs/self/server.crt" ] ||
	    "$SS_CERT" -c "$T/security.conf" selfsigned 2>"$_d/start.log" ||
	    server_failed "ss-cert selfsigned" "$_d/start.log"
}

# nginx_run: starts the nginx of nginx_prepare and waits for it.
nginx_run() {
	_d=$T/nginx
	nginx -e "$_d/error.log" -p "$_d/" -c "$_d/nginx.conf" \
	    >"$_d/start.log" 2>&1 || server_failed nginx "$_d/start.log"
	wait_for 10 test -s "$_d/nginx.pid" || server_failed nginx "$_d/error.log"
	cp "$_d/nginx.pid" "$T/nginx.pid"
	wait_port "$NGINX_TLS_PORT" || server_failed nginx "$_d/error.log"
}

# nginx_start: nginx under $T/nginx with certs.conf naming the self-signed
# certificate.  nginx will not start on an empty certs.conf and
# ss-nginxconf reloads a running nginx, so the first certs.conf is what
# `ss-nginxconf certs --self --dry-run` prints.
nginx_start() {
	nginx_prepare
	"$SS_NGINXCONF" -c "$T/security.conf" certs --self --dry-run \
	    >"$_d/certs.conf" 2>"$_d/start.log" ||
	    server_failed "ss-nginxconf certs --self --dry-run" "$_d/start.log"
	nginx_run
}

# nginx_stop: nginx stopped; it removes its pid file on the way out.
nginx_stop() {
	_pid=$(cat "$T/nginx.pid")
	stop_pid "$T/nginx.pid"
	wait_for 10 sh -c "! kill -0 $_pid 2>/dev/null"
}

# nginx_master: the PID of nginx's master process.
nginx_master() {
	cat "$T/nginx/nginx.pid"
}

# nginx_workers: the PIDs of the master's workers, once it has forked one
# (a busy machine may not have done so when nginx_start returns).
nginx_workers() {
	for _ in $(seq 50); do
		_w=$(pgrep -P "$(nginx_master)") && [ -n "$_w" ] && {
			echo "$_w"
			return 0
		}
		sleep 0.1
	done
	echo "# nginx started no worker in 5 s" >&2
	return 1
}

# served_fingerprint PORT [NAME]: SHA-256 fingerprint of the certificate
# served on 127.0.0.1:PORT to a client asking for NAME (dev1.example.test).
served_fingerprint() {
	openssl s_client -connect "127.0.0.1:$1" \
	    -servername "${2:-dev1.example.test}" </dev/null 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256
}

# file_fingerprint FILE: the same for the first certificate in FILE.
file_fingerprint() {
	openssl x509 -in "$1" -noout -fingerprint -sha256
}

# ws_echo PORT MESSAGE [USER:PASSWORD]: a WebSocket client over TLS to
# dev1.example.test on 127.0.0.1:PORT (trusting the self-signed
# certificate): upgrades /ws, sends MESSAGE in one text frame and prints
# the text frame that comes back.  Fails on anything but a proper 101.
ws_echo() {
	$PY - "$T/certs/self/server.crt" "$@" <<'PY'
import base64, hashlib, os, socket, ssl, struct, sys

ca, port, message = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
cred = sys.argv[4] if len(sys.argv) > 4 else None
ctx = ssl.create_default_context(cafile=ca)
sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), 10),
                       server_hostname="dev1.example.test")
key = base64.b64encode(os.urandom(16)).decode()
req = ("GET /ws HTTP/1.1\r\nHost: dev1.example.test\r\n"
       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % key)
if cred:
    req += "Authorization: Basic %s\r\n" % base64.b64encode(cred.encode()).decode()
sock.sendall((req + "\r\n").encode())
f = sock.makefile("rb")
status = f.readline().decode().rstrip()
headers = {}
while True:
    line = f.readline().decode().rstrip("\r\n")
    if not line:
        break
    name, _, value = line.partition(":")
    headers[name.strip().lower()] = value.strip()
want = base64.b64encode(hashlib.sha1(
    (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
if not status.startswith("HTTP/1.1 101") or \
        headers.get("sec-websocket-accept") != want or \
        headers.get("upgrade", "").lower() != "websocket":
    sys.exit("no upgrade: %s %s" % (status, headers))
mask = os.urandom(4)
sock.sendall(struct.pack("!BB", 0x81, 0x80 | len(message)) + mask +
             bytes(b ^ mask[i % 4] for i, b in enumerate(message)))
head = f.read(2)
if len(head) < 2 or head[0] != 0x81 or head[1] & 0x80 or head[1] & 0x7F > 125:
    sys.exit("not one short text frame: %r" % head)
print(f.read(head[1] & 0x7F).decode())
PY
}

# files_state PATH...: one line per file or directory under each PATH
# (name, size, mtime to the nanosecond), then the SHA-256 of each file.
files_state() {
	find "$@" -printf '%p %s %T@\n' | sort
	find "$@" -type f -exec sha256sum {} + | sort
}
