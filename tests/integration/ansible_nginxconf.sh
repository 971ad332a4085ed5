# The module ss.security.ss_nginxconf against a real nginx on 127.0.0.1:
# it reports what ss-nginxconf reports, changes nothing in check mode,
# shows the file in diff mode, and fails with the tool's own message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/acme_lib.sh"
. "$(dirname "$0")/nginx_lib.sh"
. "$(dirname "$0")/ansible_lib.sh"

MODULE=ss_nginxconf

# the configuration's files, their bytes and their times
state() {
	files_state "$T/nginx" "$T/certs" "$T/openhab.defaults" |
	    grep -v -e '/nginx/access.log ' -e '/nginx/error.log ' \
	    -e '/nginx/tmp/' -e '/nginx/commands.log '
}

test_certs_reports_changed_then_nothing_the_second_time() {
	ans_env
	nginx_prepare
	ans 0 "target=certs self=true"
	result_is 'r["changed"] and r["action"] == "written"'
	result_is 'r["paths"] == ["'"$T"'/nginx/certs.conf"]'
	has nginx/certs.conf "^ssl_certificate $T/certs/self/server.crt;\$"
	state >before
	ans 0 "target=certs self=true"
	result_is 'not r["changed"] and r["action"] == "unchanged"'
	state >after
	diff before after
}

test_check_mode_reports_the_change_and_writes_nothing() {
	ans_env
	nginx_start
	custom_cert
	state >before
	ans 0 "target=certs name=custom" --check
	result_is 'r["changed"] and r["dry_run"]'
	state >after
	diff before after
	[ ! -s nginx/commands.log ]
}

test_diff_mode_shows_the_file_before_and_after() {
	ans_env
	nginx_start
	custom_cert
	ans 0 "target=certs name=custom" --diff
	result_is '"/self/server.crt;" in r["diff"]["before"]'
	result_is '"/custom/fullchain.pem;" in r["diff"]["after"]'
	has out "^-ssl_certificate $T/certs/self/server.crt;\$"
	has out "^\\+ssl_certificate $T/certs/custom/fullchain.pem;\$"
	# without --diff, no diff in the result
	ans 0 "target=certs self=true"
	result_is 'r["changed"] and "diff" not in r'
}

test_nginx_refusing_fails_with_the_tools_message() {
	ans_env
	nginx_start
	# an RSA 1024 key nginx's OpenSSL will not load
	mkdir -p certs/weak
	openssl req -x509 -newkey rsa:1024 -nodes -keyout certs/weak/privkey.pem \
	    -out certs/weak/fullchain.pem -days 30 -subj /CN=dev1.example.test \
	    2>/dev/null
	cp nginx/certs.conf saved
	ans 2 "target=certs name=weak"
	result_is 'r["rc"] == 65'
	result_is '"certs.conf: nginx refuses the configuration with it" in r["msg"]'
	result_is '"certs.conf: previous version put back" in r["msg"]'
	result_is 'not r["msg"].startswith("ss-nginxconf:")'
	cmp nginx/certs.conf saved
}

test_proxy_and_bind_write_their_files_once() {
	ans_env
	nginx_start
	ans 0 "target=proxy"
	result_is 'r["changed"] and r["nginx"] == "running" and r["reloaded"]'
	has nginx/site.conf "proxy_pass http://127.0.0.1:"
	printf 'OPENHAB_HTTP_ADDRESS=0.0.0.0\n' >openhab.defaults
	ans 0 "target=bind"
	result_is 'r["changed"]'
	has openhab.defaults '^OPENHAB_HTTP_ADDRESS=127\.0\.0\.1$'
	state >before
	ans 0 "target=proxy"
	result_is 'not r["changed"]'
	ans 0 "target=bind"
	result_is 'not r["changed"]'
	state >after
	diff before after
}

test_options_of_another_target_are_refused() {
	ans_env
	mkconf
	ans 2 "target=proxy name=custom"
	result_is 'r["msg"] == "name and self are for target=certs only"'
	ans 2 "target=certs name=x self=true"
	result_is 'r["msg"] == "name and self are mutually exclusive"'
	ans 2 "target=bind allow_no_auth=true"
	result_is '"for target=proxy only" in r["msg"]'
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
