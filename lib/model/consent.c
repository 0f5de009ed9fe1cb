/* consent.c - what opt-out, do-not-call and bounce values mean; see consent.h. */
#include "model/consent.h"

#include <string.h>

/* The letters (lower-cased) and digits of s, at most cap - 1 of them;
 * returns how many there were in all (more than cap - 1: cut short). */
static size_t loose(const char *s, size_t len, char *out, size_t cap)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			continue;
		if (n + 1 < cap)
			out[n] = (char)c;
		n++;
	}
	out[n < cap ? n : cap - 1] = '\0';
	return n;
}

/* Yes in every CRM's style, by loose key. */
static const char *const yes[] = {
	"true", "t", "yes", "y", "checked", "x", "on", "optedout", "optout",
	"optedoutofemail", "unsubscribed", "unsubscribe", "bounced", "hardbounce",
	"hardbounced", "invalid", "blocked", "blocklisted", "blacklisted", "suppressed",
	"donotemail", "donotcall", "dnc", "noconsent", "marketingsuspended", NULL
};

/* No in every CRM's style. */
static const char *const no[] = {
	"false", "f", "no", "n", "unchecked", "off", "subscribed", "optedin", "optin",
	"notoptedout", "valid", "notbounced", NULL
};

static int in(const char *const *list, const char *k)
{
	for (; *list; list++)
		if (!strcmp(*list, k))
			return 1;
	return 0;
}

lk_flag lk_flag_read(const char *s, size_t len, int evidence)
{
	char k[32];
	size_t n, i;
	int digits = 1, zero = 1;

	while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	if (!len)
		return LK_FLAG_EMPTY;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			digits = 0;
		else if (s[i] != '0')
			zero = 0;
	}
	if (digits)
		return zero ? LK_FLAG_FALSE : LK_FLAG_TRUE;
	n = loose(s, len, k, sizeof k);
	if (n < sizeof k && in(no, k))
		return LK_FLAG_FALSE;
	if (evidence)
		return LK_FLAG_TRUE;
	if (n < sizeof k && in(yes, k))
		return LK_FLAG_TRUE;
	return LK_FLAG_UNKNOWN;
}

int lk_flag_evidence_name(const char *name, size_t len)
{
	char k[128];

	loose(name, len, k, sizeof k);
	return strstr(k, "reason") || strstr(k, "date") || strstr(k, "time") ||
	       strstr(k, "cause");
}

const char *lk_flag_text(lk_flag f)
{
	return f == LK_FLAG_TRUE ? "true" : f == LK_FLAG_FALSE ? "false" : "";
}

int lk_channel_is_call(const char *channel)
{
	char k[16];

	if (!channel)
		return 0;
	if (loose(channel, strlen(channel), k, sizeof k) >= sizeof k)
		return 0;
	return !strcmp(k, "call") || !strcmp(k, "phone");
}

int lk_consent_column(const char *name)
{
	return name && (!strcmp(name, "email_opt_out") || !strcmp(name, "do_not_call") ||
			!strcmp(name, "email_bounced"));
}
