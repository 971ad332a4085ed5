/*
 * smtp: one mail over SMTP with TLS, through libcurl (lib/libcurl.c loads
 * it).  The message is built here (RFC 5322 headers, RFC 2047 Subject);
 * libcurl speaks the protocol.  Mail never goes through a proxy, neither
 * [device] proxy nor one from the environment.
 *
 * Functions return 0 or a sysexits(3) code and have logged why.
 */
#ifndef SEC_SMTP_H
#define SEC_SMTP_H

struct smtp_msg {
	const char	*from;
	const char	*to;
	const char	*subject;
	const char	*body;
};

/*
 * URL is smtps://HOST[:PORT] (TLS from the start) or smtp://HOST[:PORT]
 * (STARTTLS, required: never in clear).  USERNAME/PASSWORD may be NULL
 * for no AUTH.  The message gets From, To, Subject, Date and Message-ID
 * headers; BODY is plain UTF-8 text whose lines end in LF (sent as CRLF,
 * dot-stuffing by libcurl).  Nothing of the body is logged, even at -vv.
 * EX_UNAVAILABLE when the server cannot be reached or refuses,
 * EX_TEMPFAIL on a timeout or a 4xx answer.
 */
int	 smtp_send(const char *url, const char *ca_file, const char *username,
	    const char *password, const struct smtp_msg *, long timeout);

#endif
