/*
 * conf_keys: every key of security.conf, one line each, grouped by section.
 *
 *	X(section, key, TYPE, min, max, choices, default)
 *
 * conf.h turns these lists into struct ss_conf (c->certs.renew_days) and
 * confparse.c into the table the file is checked against, so a key exists
 * in both or in neither and a misspelt field does not compile.  TYPE picks
 * the check and the field's C type (see CONF_CTYPE_* in conf.h); min and
 * max bound INT, choices lists the ENUM values, a NULL default stands for
 * the system's short host name.  A new key goes here and into
 * security.conf(5).
 */
#ifndef SEC_CONF_KEYS_H
#define SEC_CONF_KEYS_H

#define CONF_CHOICES(...)	((const char *const []){ __VA_ARGS__, NULL })

#define CONF_DEVICE(X)							\
	X(device, hostname, HOSTNAME, 0, 0, NULL, NULL)			\
	X(device, domain, DNSNAME, 0, 0, NULL, "")			\
	X(device, state_dir, PATH, 0, 0, NULL, "/var/lib/ss")		\
	X(device, addresses, IPLIST, 0, 0, NULL, "")			\
	X(device, ssh_port, INT, 0, 65535, NULL, "22")			\
	X(device, sftp, BOOL, 0, 0, NULL, "yes")			\
	X(device, mqtt_port, INT, 0, 65535, NULL, "8883")		\
	X(device, proxy, PROXY, 0, 0, NULL, "")

#define CONF_CERTS(X)							\
	X(certs, dir, PATH, 0, 0, NULL, "/var/apollo/data/certs")	\
	X(certs, key_type, ENUM, 0, 0, CONF_CHOICES("ec256", "ec384",	\
	    "rsa2048", "rsa3072", "rsa4096"), "ec256")			\
	X(certs, self_days, INT, 1, 36500, NULL, "3650")		\
	X(certs, renew_days, INT, 0, 365, NULL, "30")			\
	X(certs, dhparam_bits, INT, 2048, 8192, NULL, "2048")

#define CONF_ACME(X)							\
	X(acme, directory, URL, 0, 0, NULL,				\
	    "https://acme-v02.api.letsencrypt.org/directory")		\
	X(acme, ca_file, OPTPATH, 0, 0, NULL, "")			\
	X(acme, email, STRING, 0, 0, NULL, "")				\
	X(acme, agree_tos, BOOL, 0, 0, NULL, "no")			\
	X(acme, challenge, ENUM, 0, 0, CONF_CHOICES("http-01",		\
	    "dns-01"), "http-01")					\
	X(acme, webroot, PATH, 0, 0, NULL, "/var/www/acme")		\
	X(acme, dns_hook, STRING, 0, 0, NULL, "")			\
	X(acme, dns_wait, INT, 0, 3600, NULL, "30")			\
	X(acme, eab_kid, STRING, 0, 0, NULL, "")			\
	X(acme, eab_hmac_file, OPTPATH, 0, 0, NULL, "")			\
	X(acme, staging_directory, URL, 0, 0, NULL,			\
	    "https://acme-staging-v02.api.letsencrypt.org/directory")	\
	X(acme, pre_hook, STRING, 0, 0, NULL, "")			\
	X(acme, deploy_hook, STRING, 0, 0, NULL, "")			\
	X(acme, post_hook, STRING, 0, 0, NULL, "")			\
	X(acme, hooks_dir, OPTPATH, 0, 0, NULL, "/etc/ss/hooks")	\
	X(acme, timeout, INT, 10, 3600, NULL, "300")

/*
 * The provider of one name: [ddns]'s for the device's own name, and each
 * [ddns:FQDN]'s for one more (CONF_DDNS_NAME), with the same checks and
 * defaults.
 */
#define CONF_DDNS_PROVIDER(X, s)					\
	X(s, protocol, ENUM, 0, 0, CONF_CHOICES("dyndns2",		\
	    "rfc2136"), "dyndns2")					\
	X(s, server, STRING, 0, 0, NULL, "")				\
	X(s, username, STRING, 0, 0, NULL, "")				\
	X(s, password_file, OPTPATH, 0, 0, NULL, "")			\
	X(s, zone, DNSNAME, 0, 0, NULL, "")				\
	X(s, tsig_key_file, OPTPATH, 0, 0, NULL, "")			\
	X(s, ttl, INT, 30, 86400, NULL, "60")				\
	X(s, ca_file, OPTPATH, 0, 0, NULL, "")

#define CONF_DDNS(X)							\
	X(ddns, enabled, BOOL, 0, 0, NULL, "no")			\
	CONF_DDNS_PROVIDER(X, ddns)					\
	X(ddns, checkip, LIST, 0, 0, NULL,				\
	    "https://checkip.amazonaws.com, https://api.ipify.org")	\
	X(ddns, ip_version, ENUM, 0, 0, CONF_CHOICES("4", "6",		\
	    "both"), "4")						\
	X(ddns, force_days, INT, 1, 365, NULL, "28")			\
	X(ddns, flap_threshold, INT, 1, 100, NULL, "3")

/*
 * [ddns:FQDN], once per further name the device keeps up to date: that
 * name's own provider.  Not a member of CONF_SECTIONS: conf.h gives it a
 * struct of its own (struct ss_conf_ddns_name) and confparse.c a table.
 */
#define CONF_DDNS_NAME(X)	CONF_DDNS_PROVIDER(X, ddns_name)

#define CONF_PASSWD(X)							\
	X(passwd, htpasswd_file, PATH, 0, 0, NULL, "/etc/nginx/htpasswd") \
	X(passwd, system_user, STRING, 0, 0, NULL, "apollo")		\
	X(passwd, shadow_file, PATH, 0, 0, NULL, "/etc/shadow")		\
	X(passwd, users_file, PATH, 0, 0, NULL, "/var/lib/ss/users")	\
	X(passwd, factory_file, PATH, 0, 0, NULL,			\
	    "/etc/ss/factory_password")					\
	X(passwd, min_length, INT, 8, 128, NULL, "10")			\
	X(passwd, argon2_t, INT, 1, 100, NULL, "3")			\
	X(passwd, argon2_m_kib, INT, 8, 4194304, NULL, "65536")		\
	X(passwd, argon2_p, INT, 1, 64, NULL, "4")			\
	X(passwd, max_failures, INT, 0, 1000, NULL, "5")		\
	X(passwd, lockout_minutes, INT, 0, 10080, NULL, "15")

#define CONF_SMTP(X)							\
	X(smtp, url, STRING, 0, 0, NULL, "")				\
	X(smtp, from, STRING, 0, 0, NULL, "")				\
	X(smtp, username, STRING, 0, 0, NULL, "")			\
	X(smtp, password_file, OPTPATH, 0, 0, NULL, "")			\
	X(smtp, ca_file, OPTPATH, 0, 0, NULL, "")

#define CONF_BUTTON(X)							\
	X(button, chip, STRING, 0, 0, NULL, "gpiochip0")		\
	X(button, chip_wait, INT, 0, 600, NULL, "30")			\
	X(button, line, INT, 0, 1023, NULL, "0")			\
	X(button, active_low, BOOL, 0, 0, NULL, "yes")			\
	X(button, hold_seconds, INT, 1, 600, NULL, "20")		\
	X(button, debounce_ms, INT, 0, 1000, NULL, "50")		\
	X(button, reset_enabled, BOOL, 0, 0, NULL, "yes")		\
	X(button, led_red, STRING, 0, 0, NULL, "")			\
	X(button, led_green, STRING, 0, 0, NULL, "")			\
	X(button, led_blue, STRING, 0, 0, NULL, "")			\
	X(button, reset_command, STRING, 0, 0, NULL,			\
	    "ss-passwd factory-reset --yes")				\
	X(button, reboot_command, STRING, 0, 0, NULL, "systemctl reboot")

#define CONF_NGINX(X)							\
	X(nginx, certs_conf, PATH, 0, 0, NULL,				\
	    "/etc/nginx/sites-enabled/certs.conf")			\
	X(nginx, site_conf, PATH, 0, 0, NULL,				\
	    "/etc/nginx/sites-enabled/ss-proxy.conf")			\
	X(nginx, test_command, STRING, 0, 0, NULL, "nginx -t -q")	\
	X(nginx, reload_command, STRING, 0, 0, NULL,			\
	    "systemctl reload nginx")					\
	X(nginx, backend, URL, 0, 0, NULL, "http://127.0.0.1:8080")	\
	X(nginx, auth, ENUM, 0, 0, CONF_CHOICES("basic", "clientcert",	\
	    "both", "none"), "basic")					\
	X(nginx, client_ca_file, OPTPATH, 0, 0, NULL, "")		\
	X(nginx, allow, CIDRLIST, 0, 0, NULL, "")			\
	X(nginx, listen, IPLIST, 0, 0, NULL, "")			\
	X(nginx, http_port, INT, 1, 65535, NULL, "80")			\
	X(nginx, https_port, INT, 1, 65535, NULL, "443")		\
	X(nginx, public_https_port, INT, 0, 65535, NULL, "0")		\
	X(nginx, pid_file, OPTPATH, 0, 0, NULL, "/run/nginx.pid")

#define CONF_OPENHAB(X)							\
	X(openhab, defaults_file, PATH, 0, 0, NULL, "/etc/default/openhab") \
	X(openhab, http_address, IP, 0, 0, NULL, "127.0.0.1")		\
	X(openhab, http_port, INT, 0, 65535, NULL, "0")			\
	X(openhab, https_port, INT, 0, 65535, NULL, "0")

#define CONF_AUDIT(X)							\
	X(audit, skip, LIST, 0, 0, NULL, "")				\
	X(audit, allow_ports, PORTLIST, 0, 0, NULL, "22, 80, 443, 8883") \
	X(audit, sshd_command, STRING, 0, 0, NULL, "sshd -T")		\
	X(audit, sshd_config, PATH, 0, 0, NULL, "/etc/ssh/sshd_config")

/* The sections in the order security.conf(5) gives them. */
#define CONF_SECTIONS(S)						\
	S(device, CONF_DEVICE)						\
	S(certs, CONF_CERTS)						\
	S(acme, CONF_ACME)						\
	S(ddns, CONF_DDNS)						\
	S(passwd, CONF_PASSWD)						\
	S(smtp, CONF_SMTP)						\
	S(button, CONF_BUTTON)						\
	S(nginx, CONF_NGINX)						\
	S(openhab, CONF_OPENHAB)					\
	S(audit, CONF_AUDIT)

#endif
