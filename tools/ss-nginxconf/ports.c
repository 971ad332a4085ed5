/*
 * ports: what the owner's NAT router must forward to the device, and
 * nothing more: every port left out stays closed to the internet.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "extern.h"
#include "log.h"

#define PORTS_SYNOPSIS	"ports [--json]"
#define MAX_FORWARDS	5

struct forward {
	const char	*service;
	const char	*protocol;
	long		 external;
	long		 device;
	const char	*note;
};

static void
add(struct forward *f, size_t *n, const char *service, long external,
    long device, const char *note)
{
	f[*n].service = service;
	f[*n].protocol = "tcp";
	f[*n].external = external;
	f[*n].device = device;
	f[*n].note = note;
	(*n)++;
}

static size_t
forwards(const struct ss_conf *c, struct forward *f)
{
	size_t	n = 0;
	long	ssh = c->device.ssh_port;
	long	mqtt = c->device.mqtt_port;

	if (ssh > 0) {
		add(f, &n, "SSH", 22, ssh, "administration console");
		if (c->device.sftp)
			add(f, &n, "SFTP", 22, ssh, "over SSH");
	}
	/* The CA validates http-01 on port 80 and nowhere else. */
	if (strcmp(c->acme.challenge, "http-01") == 0)
		add(f, &n, "HTTP", 80, c->nginx.http_port,
		    "ACME http-01 validation and redirect to HTTPS");
	add(f, &n, "HTTPS", c->nginx.public_https_port != 0 ?
	    c->nginx.public_https_port : 443, c->nginx.https_port,
	    "automation server through the reverse proxy");
	if (mqtt > 0)
		add(f, &n, "MQTT", 8883, mqtt, "MQTT over TLS");
	return n;
}

static int
print_json(const struct forward *f, size_t n)
{
	json_t	*a, *o;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return tool_print_json(NULL);
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s, s:s, s:I, s:I, s:s}", "service",
		    f[i].service, "protocol", f[i].protocol, "external_port",
		    (json_int_t)f[i].external, "device_port",
		    (json_int_t)f[i].device, "note", f[i].note);
		if (json_array_append_new(a, o) == -1) {
			json_decref(a);
			return tool_print_json(NULL);
		}
	}
	return tool_print_json(a);
}

int
cmd_ports(struct tool_env *e, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ NULL,		0,		NULL, 0 }
	};
	struct forward	 f[MAX_FORWARDS];
	size_t		 i, n;
	int		 ch, rc = 0, json = 0;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return tool_usage(PORTS_SYNOPSIS);
		json = 1;
	}
	if (optind != argc)
		return tool_usage(PORTS_SYNOPSIS);
	if ((rc = tool_conf(e)) != 0)
		return rc;
	n = forwards(e->conf, f);
	if (json)
		rc = print_json(f, n);
	else {
		if (isatty(STDOUT_FILENO))
			printf("SERVICE\tPROTOCOL\tEXTERNAL\tDEVICE\n");
		for (i = 0; i < n; i++)
			printf("%s\t%s\t%ld\t%ld\n", f[i].service,
			    f[i].protocol, f[i].external, f[i].device);
		if (fflush(stdout) == EOF)
			rc = EX_IOERR;
	}
	if (rc == 0)
		log_info("forward these ports on the router to this device "
		    "and open no other: everything else on it is for the "
		    "local network only");
	return rc;
}
