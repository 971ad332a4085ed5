# The module ss.security.ss_nginxconf against a real nginx on 127.0.0.1:
# it reports what ss-nginxconf reports, changes nothing in check mode,
# shows the file in diff mode, and fails with the tool's own message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/nginx_lib.sh"
. "$(dirname "$0")/collection_lib.sh"

command -v ansible-playbook >/dev/null || skip "ansible-core is missing (make deps)"

# the configuration's files, their bytes and their times
state() {
	files_state "$T/nginx" "$T/certs" "$T/openhab.defaults" |
	    grep -v -e '/nginx/access.log ' -e '/nginx/error.log ' \
	    -e '/nginx/tmp/' -e '/nginx/commands.log '
}

test_certs_reports_changed_then_nothing_the_second_time() {
	nginx_prepare
	task ss_nginxconf "target: certs, self: true, config: $T/security.conf"
	result_has 'r["changed"] and r["action"] == "written"'
	result_has 'r["paths"] == ["'"$T"'/nginx/certs.conf"]'
	has nginx/certs.conf "^ssl_certificate $T/certs/self/server.crt;\$"
	state >before
	task ss_nginxconf "target: certs, self: true, config: $T/security.conf"
	result_has 'not r["changed"] and r["action"] == "unchanged"'
	state >after
	diff before after
}

test_check_mode_reports_the_change_and_writes_nothing() {
	nginx_start
	custom_cert
	state >before
	task ss_nginxconf "target: certs, name: custom, config: $T/security.conf" \
	    --check
	result_has 'r["changed"] and r["dry_run"]'
	state >after
	diff before after
	[ ! -s nginx/commands.log ]
}

test_diff_mode_shows_the_file_before_and_after() {
	nginx_start
	custom_cert
	task ss_nginxconf "target: certs, name: custom, config: $T/security.conf" \
	    --diff
	result_has '"/self/server.crt;" in r["diff"]["before"]'
	result_has '"/custom/fullchain.pem;" in r["diff"]["after"]'
	has ansible.out "^-ssl_certificate $T/certs/self/server.crt;\$"
	has ansible.out "^\\+ssl_certificate $T/certs/custom/fullchain.pem;\$"
	# without --diff, no diff in the result
	task ss_nginxconf "target: certs, self: true, config: $T/security.conf"
	result_has 'r["changed"] and "diff" not in r'
}

test_nginx_refusing_fails_with_the_tools_message() {
	nginx_start
	# an RSA 1024 key nginx's OpenSSL will not load
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes -keyout certs/weak/privkey.pem \
	    -out certs/weak/fullchain.pem -days 30 -subj /CN=dev1.example.test \
	    2>/dev/null
	cp nginx/certs.conf saved
	if task ss_nginxconf "target: certs, name: weak, config: $T/security.conf"
	then
		echo "# the task passed" >&2
		return 1
	fi
	result_has 'r["rc"] == 65'
	result_has '"certs.conf: nginx refuses the configuration with it" in r["msg"]'
	result_has '"certs.conf: previous version put back" in r["msg"]'
	result_has 'not r["msg"].startswith("ss-nginxconf:")'
	cmp nginx/certs.conf saved
}

test_proxy_and_bind_write_their_files_once() {
	nginx_start
	task ss_nginxconf "target: proxy, config: $T/security.conf"
	result_has 'r["changed"] and r["nginx"] == "running" and r["reloaded"]'
	has nginx/site.conf "proxy_pass http://127.0.0.1:"
	printf 'OPENHAB_HTTP_ADDRESS=0.0.0.0\n' >openhab.defaults
	task ss_nginxconf "target: bind, config: $T/security.conf"
	result_has 'r["changed"]'
	has openhab.defaults '^OPENHAB_HTTP_ADDRESS=127\.0\.0\.1$'
	state >before
	task ss_nginxconf "target: proxy, config: $T/security.conf"
	result_has 'not r["changed"]'
	task ss_nginxconf "target: bind, config: $T/security.conf"
	result_has 'not r["changed"]'
	state >after
	diff before after
}

test_options_of_another_target_are_refused() {
	mkconf
	! task ss_nginxconf "target: proxy, name: custom, config: $T/security.conf"
	result_has 'r["msg"] == "name and self are for target=certs only"'
	! task ss_nginxconf "target: certs, name: x, self: true, config: $T/security.conf"
	result_has 'r["msg"] == "name and self are mutually exclusive"'
	! task ss_nginxconf "target: bind, allow_no_auth: true, config: $T/security.conf"
	result_has '"for target=proxy only" in r["msg"]'
}

# custom_cert: a certificate for dev1.example.test from mkca's CA,
# installed with ss-cert as "custom".
custom_cert() {
	mkca
	mkleaf leaf 90 "DNS:dev1.example.test"
	run 0 "$SS_CERT" -c security.conf install --cert ca/leaf.pem \
	    --key ca/leaf.key --chain ca/int.pem --ca ca/root.pem --name custom
}

run_tests
