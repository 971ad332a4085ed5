# The fleet: three booted containers that Ansible reaches over real SSH,
# sourced by tests/fleet/run after tests/integration/lib.sh and
# tests/system/lib.sh (whose Debian root each container is a copy of).
#
#   fleet_setup         makes and boots the three, waits until each one's
#                       systemd is up and its sshd answers, and writes the
#                       files below; "# ..." lines on stderr say how long
#   $FLEET_HOSTS        dev1 dev2 dev3
#   $T/HOST/root        that container's root, as the host sees it
#   $T/factory-HOST     that host's factory password (also its apollo
#                       password and its /etc/ss/factory_password, 0600)
#   $T/id_ed25519       root's key on every host
#   $T/known_hosts      their host keys, by ssh-keyscan at set-up
#   $T/inventory.ini    group devices: dev1..dev3 with ansible_host,
#                       ansible_port, ansible_user=root,
#                       ansible_ssh_private_key_file and
#                       ansible_python_interpreter, and for a role
#                       ss_https_port and ss_http_port (free ports of
#                       127.0.0.1, one pair per host, for its nginx) and
#                       ss_factory_password
#   $T/ansible.cfg      $ANSIBLE_CONFIG: the collection from $TOP/ansible
#                       ($T/ac), Ansible's home, temp and ssh control
#                       paths under $T/ansible, host keys checked against
#                       $T/known_hosts, forks 3, pipelining
#
#   play PLAYBOOK [ARGS...]  ansible-playbook PLAYBOOK ARGS on the
#                       inventory, its output (stderr too) in $T/play.out;
#                       its exit status
#   recap HOST FIELD    the number FIELD (ok, changed, unreachable, failed,
#                       skipped, rescued, ignored) of HOST in the PLAY
#                       RECAP of $T/play.out; fails when there is none
#   hostvar HOST VAR    VAR of HOST in the inventory (ss_https_port, ...)
#   on HOST CMD...      CMD inside that container (as ct does); its exit
#                       status
#   host_hashes HOST    name, type, mode, owner, size, mtime and SHA-256 of
#                       every file and directory that matters on HOST
#                       (/etc/ss, /var/lib/ss, /var/apollo/data/certs,
#                       /etc/nginx, /etc/shadow, /etc/default/openhab), one
#                       a line: equal listings mean nothing was touched
#   fleet_stop          closes Ansible's ssh connections and shuts the
#                       three down together, by PID

FLEET_HOSTS="dev1 dev2 dev3"
FLEET_PORTS=
FLEET_JOBS=

# Only this file's configuration: none of the caller's ANSIBLE_* settings
# (an ANSIBLE_COLLECTIONS_PATH would win over ansible.cfg).
unset $(env | sed -n 's/^\(ANSIBLE_[A-Za-z0-9_]*\)=.*/\1/p')
export ANSIBLE_CONFIG="$T/ansible.cfg"
# Ansible wants a UTF-8 locale (tests/integration/lib.sh sets C)
export LC_ALL=C.UTF-8

# elapsed START: seconds since START ($(date +%s%N)), one decimal.
elapsed() {
	awk -v s="$1" -v e="$(date +%s%N)" \
	    'BEGIN { printf "%.1f", (e - s) / 1e9 }'
}

# fleet_port VAR: a free port of 127.0.0.1 that no host of the fleet has
# yet, in VAR.
fleet_port() {
	while :; do
		_p=$(free_port)
		case " $FLEET_PORTS " in *" $_p "*) continue ;; esac
		FLEET_PORTS="$FLEET_PORTS $_p"
		eval "$1=$_p"
		return 0
	done
}

# fleet_root HOST SSH_PORT: its root, ready to boot: hostname, sshd on
# 127.0.0.1:SSH_PORT only with a host key of its own, root's key, the
# factory password in /etc/ss.
fleet_root() {
	_r=$T/$1/root
	ct_copy "$_r" || return 1
	echo "$1" >"$_r/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
	    "$1" >"$_r/etc/hosts"
	cat >"$_r/etc/ssh/sshd_config.d/ss-fleet.conf" <<EOC
# tests/fleet: the host's network is shared, so 127.0.0.1 and a port of
# this host's own; root by key only
ListenAddress 127.0.0.1
Port $2
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
EOC
	ssh-keygen -q -t ed25519 -N '' -C "root@$1" \
	    -f "$_r/etc/ssh/ssh_host_ed25519_key" || return 1
	install -d -m 0700 "$_r/root/.ssh"
	install -m 0600 "$T/id_ed25519.pub" "$_r/root/.ssh/authorized_keys"
	systemctl --root="$_r" --quiet enable ssh.service || return 1
	install -d -m 0755 "$_r/etc/ss"
	install -m 0600 "$T/factory-$1" "$_r/etc/ss/factory_password"
}

# fleet_ready HOST SSH_PORT: the package installed in the booted HOST
# (its postinst runs), the account apollo with the factory password, and
# sshd answering with the host key fleet_root made.
fleet_ready() {
	ct_in "$1" dpkg -i "/var/cache/ss-test/$(basename "$DEB")" \
	    >"$T/$1/dpkg.log" 2>&1 || {
		echo "# $1: dpkg -i failed:" >&2
		sed 's/^/#   /' "$T/$1/dpkg.log" >&2
		return 1
	}
	ct_in "$1" useradd --system --home-dir /var/apollo --no-create-home \
	    --shell /usr/sbin/nologin apollo || return 1
	printf 'apollo:%s\n' "$(head -n 1 "$T/factory-$1")" |
	    ct_in "$1" chpasswd || return 1
	ct_in "$1" grep -q '^apollo:\$y\$' /etc/shadow || {
		echo "# $1: apollo's password is not a yescrypt hash" >&2
		return 1
	}
	_key=$(cut -d ' ' -f 1,2 "$T/$1/root/etc/ssh/ssh_host_ed25519_key.pub")
	_i=0
	while :; do
		ssh-keyscan -T 2 -t ed25519 -p "$2" 127.0.0.1 \
		    >"$T/$1/known_hosts" 2>/dev/null
		if [ "$(cut -d ' ' -f 2,3 "$T/$1/known_hosts")" = "$_key" ] &&
		    ssh -F /dev/null -p "$2" -i "$T/id_ed25519" -o BatchMode=yes \
		    -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
		    -o UserKnownHostsFile="$T/$1/known_hosts" \
		    -o GlobalKnownHostsFile=/dev/null root@127.0.0.1 true \
		    2>"$T/$1/ssh.err"; then
			return 0
		fi
		_i=$((_i + 1))
		if [ $_i -ge 60 ]; then
			echo "# $1: ssh to 127.0.0.1:$2 does not answer:" >&2
			sed 's/^/#   /' "$T/$1/known_hosts" "$T/$1/ssh.err" >&2
			ct_in "$1" journalctl --no-pager -u ssh.service |
			    tail -n 10 | sed 's/^/#   /' >&2
			return 1
		fi
		sleep 0.5
	done
}

# fleet_each FUNCTION: FUNCTION HOST SSH_PORT for the three hosts at
# once, then what each said on stderr, host by host; fails when one fails.
fleet_each() {
	FLEET_JOBS=
	for _h in $FLEET_HOSTS; do
		eval "_port=\$SSH_PORT_$_h"
		mkdir -p "$T/$_h"
		"$1" "$_h" "$_port" 2>"$T/$_h/$1.err" &
		FLEET_JOBS="$FLEET_JOBS $!"
	done
	_rc=0
	for _j in $FLEET_JOBS; do
		wait "$_j" || _rc=1
	done
	FLEET_JOBS=
	for _h in $FLEET_HOSTS; do
		cat "$T/$_h/$1.err" >&2
	done
	return $_rc
}

fleet_setup() {
	ct_cache || return 1
	_t0=$(date +%s%N)
	ssh-keygen -q -t ed25519 -N '' -C ss-fleet -f "$T/id_ed25519" ||
	    return 1
	for _h in $FLEET_HOSTS; do
		fleet_port "SSH_PORT_$_h"
		(umask 077; echo "$_h-$(openssl rand -hex 8)" >"$T/factory-$_h")
	done
	fleet_each fleet_root || return 1
	echo "# fleet: 3 roots copied in $(elapsed "$_t0") s" >&2
	_t1=$(date +%s%N)
	for _h in $FLEET_HOSTS; do
		ct_start "$_h" "$T/$_h/root" "ss-fleet-$$-$_h"
	done
	for _h in $FLEET_HOSTS; do
		ct_up "$_h" || return 1
	done
	fleet_each fleet_ready || return 1
	echo "# fleet: 3 booted, the package installed, ssh answering in $(elapsed "$_t1") s" >&2
	for _h in $FLEET_HOSTS; do
		cat "$T/$_h/known_hosts"
	done >"$T/known_hosts"
	fleet_ansible
	echo "# fleet: set up in $(elapsed "$_t0") s" >&2
}

fleet_ansible() {
	mkdir -p "$T/ac/ansible_collections/ss" "$T/ansible/tmp" \
	    "$T/ansible/cp"
	ln -sfn "$TOP/ansible" "$T/ac/ansible_collections/ss/security"
	echo "# tests/fleet: three containers on 127.0.0.1, over SSH" \
	    >"$T/inventory.ini"
	echo "[devices]" >>"$T/inventory.ini"
	for _h in $FLEET_HOSTS; do
		eval "_port=\$SSH_PORT_$_h"
		fleet_port _https
		fleet_port _http
		echo "$_h ansible_host=127.0.0.1 ansible_port=$_port" \
		    "ansible_user=root" \
		    "ansible_ssh_private_key_file=$T/id_ed25519" \
		    "ansible_python_interpreter=/usr/bin/python3" \
		    "ss_https_port=$_https ss_http_port=$_http" \
		    "ss_factory_password=$(head -n 1 "$T/factory-$_h")"
	done >>"$T/inventory.ini"
	cat >"$T/ansible.cfg" <<EOC
# tests/fleet: nothing from root's ~/.ansible or the system's collections
[defaults]
inventory = $T/inventory.ini
home = $T/ansible
local_tmp = $T/ansible/tmp
collections_path = $T/ac
collections_scan_sys_path = False
interpreter_python = /usr/bin/python3
host_key_checking = True
forks = 3
timeout = 30
retry_files_enabled = False
nocolor = True

[ssh_connection]
control_path_dir = $T/ansible/cp
ssh_args = -F /dev/null -o ControlMaster=auto -o ControlPersist=60s -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=$T/known_hosts -o GlobalKnownHostsFile=/dev/null
pipelining = True
EOC
}

fleet_stop() {
	for _s in "$T"/ansible/cp/*; do
		[ -S "$_s" ] && ssh -F /dev/null -o ControlPath="$_s" -O exit \
		    fleet >/dev/null 2>&1
	done
	# what fleet_each left running when set-up was cut short
	for _j in $FLEET_JOBS; do
		pkill -P "$_j" 2>/dev/null
		kill "$_j" 2>/dev/null
	done
	ct_halt $FLEET_HOSTS
	wait
}

play() {
	_pb=$1
	shift
	ansible-playbook -i "$T/inventory.ini" "$@" "$_pb" >"$T/play.out" 2>&1
}

recap() {
	awk -v host="$1" -v field="$2" '
	/^PLAY RECAP/ { r = 1; next }
	r && $1 == host && $2 == ":" {
		for (i = 3; i <= NF; i++)
			if (index($i, field "=") == 1) {
				print substr($i, length(field) + 2)
				found = 1
			}
	}
	END { exit !found }' "$T/play.out"
}

hostvar() {
	awk -v host="$1" -v var="$2" '
	$1 == host {
		for (i = 2; i <= NF; i++)
			if (index($i, var "=") == 1) {
				print substr($i, length(var) + 2)
				found = 1
			}
	}
	END { exit !found }' "$T/inventory.ini"
}

on() {
	_h=$1
	shift
	ct_in "$_h" "$@"
}

host_hashes() {
	(
	cd "$T/$1/root" || exit 1
	set --
	for _f in etc/ss var/lib/ss var/apollo/data/certs etc/nginx \
	    etc/shadow etc/default/openhab; do
		[ ! -e "$_f" ] || set -- "$@" "$_f"
	done
	find "$@" \( -type l -printf '/%p %y %m %U:%G %s %T@ -> %l\n' \) -o \
	    -printf '/%p %y %m %U:%G %s %T@\n' | sort |
	while read -r _p _y _rest; do
		if [ "$_y" = f ]; then
			echo "$_p $_y $_rest $(sha256sum <".$_p" | cut -c1-64)"
		else
			echo "$_p $_y $_rest"
		fi
	done
	)
}
