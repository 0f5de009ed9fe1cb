/*
 * consent.h - the consent columns: what a CRM's opt-out, do-not-call
 * and bounce values mean.
 *
 * Three canonical lead columns (model.h) say what a lead must not get:
 *
 *   email_opt_out   no marketing email: opted out, unsubscribed,
 *                   blocklisted, marketing suspended
 *   do_not_call     no call
 *   email_bounced   the address does not take mail (hard bounce,
 *                   invalid address)
 *
 * Each CRM writes them its own way: true/false, TRUE, Yes/No, Y/N, 1/0,
 * checked/unchecked, X, "Opted Out", "Unsubscribed" / "Subscribed",
 * Pipedrive's "No consent", a count of bounces, or, for a bounce, only a
 * reason or a date.  lk_flag_read tells which of true, false or not
 * understood a value is; lead-ingest writes the first two as `true` and
 * `false` (empty: the export said nothing), and keeps a value it does
 * not understand as it was, counting it.
 *
 * Evidence columns: a column whose name says it holds a reason, a date,
 * a time or a cause (Salesforce EmailBouncedReason and EmailBouncedDate,
 * HubSpot "Email hard bounce reason", Marketo emailInvalidCause) holds
 * something only when the thing happened, so there any value but a
 * plain "no" (false, 0, ...) means true.
 *
 * Readers that must not send (lead-nurture) treat a value that is not
 * understood as true: a touch is never scheduled on a guess.
 *
 * Everything here is static, read-only data and pure functions.
 */
#ifndef LK_CONSENT_H
#define LK_CONSENT_H

#include <stddef.h>

typedef enum {
	LK_FLAG_EMPTY,		/* nothing said (empty or white space only) */
	LK_FLAG_FALSE,		/* a no: false, No, N, 0, unchecked, Subscribed... */
	LK_FLAG_TRUE,		/* a yes: true, Yes, Y, 1, checked, X, Opted Out... */
	LK_FLAG_UNKNOWN		/* something else: not understood */
} lk_flag;

/*
 * What the value s[0..len) of a consent column means.  Compared on its
 * letters and digits, in any case ("Opted-Out" is "opted out").  A
 * whole number is a count: 0 false, more true.  With `evidence` (the
 * column holds a reason or a date, see above) any value that is not a
 * no is true.
 */
lk_flag lk_flag_read(const char *s, size_t len, int evidence);

/* 1 when a header name (any spelling) names an evidence column: its
 * letters say reason, date, time or cause. */
int lk_flag_evidence_name(const char *name, size_t len);

/* The text lead-ingest writes for a flag: "true", "false" or "" (for
 * LK_FLAG_EMPTY and LK_FLAG_UNKNOWN, whose value is kept instead). */
const char *lk_flag_text(lk_flag f);

/* 1 when `name` is one of the three consent columns. */
int lk_consent_column(const char *name);

/* 1 when a nurture step's channel is a call ("call" or "phone", any
 * case): do_not_call forbids it. */
int lk_channel_is_call(const char *channel);

#endif
