/*
 * nurture.h - nurture tracks: drip steps, behaviour triggers, a
 * frequency governor and exits, from the `nurture:` section of the
 * model.
 *
 *   nurture:
 *     cap: 2/7d                 # at most 2 touches in any 7 days, all tracks
 *     quiet: calendar           # no sends outside routing.calendar (or: none)
 *     sent: email_sent          # activities that report a touch; detail = content
 *     pause: 'owner_status == "working"'   # besides route == "sales"
 *     customers: exit           # or keep (the tracks decide)
 *     open_deals: exit          # or pause, or keep
 *     deal_stage: opportunity   # the first stage of an open deal, or none
 *     suppress:                 # the model's own exits, in order
 *       - {reason: unsubscribed, activity: unsubscribe}
 *       - {reason: do-not-email, when: 'do_not_email'}
 *     tracks:                   # a lead enters the first whose enter holds
 *       - track: awareness
 *         enter: 'stage == "inquiry"'
 *         exit: 'mql'
 *         reentry: 90d          # never (default), always, or a duration
 *         steps:
 *           - {offer: guide, content: ebook-1, channel: email, wait: 0d}
 *           - {offer: webinar, content: {inquiry: web-1, mql: web-2}, wait: 7d,
 *              stage: [inquiry, mql]}
 *         on:
 *           - {activity: pricing_page, goto: evaluation}
 *           - {activity: webinar_attended, goto: awareness/3}
 *           - {activity: content_download, skip: wait}
 *
 * State.  A lead's place lives in its own row: nurture_track,
 * nurture_step (1-based, the step whose touch is next), nurture_state
 * (active, exited, exhausted, paused; empty: never entered),
 * nurture_reason (why the state last changed), last_touch_at,
 * next_touch_at, next_offer, next_content, next_channel.  A run is a
 * pure function of the row, the model, the lead's activities and now;
 * running again on its own output with the same activities and now
 * gives the same output.
 *
 * Touches.  A touch counts as made only when the sending system reports
 * it: a `sent` activity whose detail is the pending step's content,
 * dated after last_touch_at (any time when there is none).  Then
 * last_touch_at becomes its date and the lead moves to the next step,
 * whose touch is due `wait` after it.  A touch not reported stays due,
 * so a failed send is retried and a reported one is never sent again.
 *
 * Behaviour.  Only the lead's activities after last_touch_at count (all
 * of them while it has had no touch), whatever their order in the file.
 * To a fixed point: the earliest reported send of the pending content
 * confirms that touch (and moves last_touch_at on); else the first
 * trigger of the current track (in the order of `on`) that has such an
 * activity (within its `within` duration of now, when given) fires:
 * `goto: track` or `track/step` (the step a number or a step name)
 * moves the lead there, the new step's wait counting from the latest
 * such activity; `skip: wait` makes the pending touch due at the
 * earliest one.  A goto to where the lead already is changes nothing,
 * so a moved lead meets its new track's triggers for the same
 * behaviour at once; the tracks and their gotos to other tracks must
 * therefore form no cycle (refused when the model is read).
 *
 * Stages.  A step's `stage` lists the buying stages it serves: a lead
 * whose stage column means another stage skips it.  `offer` and
 * `content` are one value or a mapping from stage id to value (with an
 * optional `default`): the lead's stage picks the value.
 *
 * Scheduling.  The due time of the pending step (its wait after the
 * last touch, after entry or after a trigger) then goes through the
 * governor: when `cap` touches (sent activities of any content) fall
 * in the `cap` period before the time the touch would go out, it moves
 * to the earliest time one falls out of the period; then out of quiet
 * days and hours to the next working minute of the calendar.  A touch
 * is never dropped, only deferred; the reason says so.  A touch due in
 * the past that may go out now keeps its due time.
 *
 * Built-in exits, checked before anything else in each run and before
 * the model's own, in this order (a model can add exits, never remove
 * these four):
 *
 *   opted out   email_opt_out is true (consent.h), or the lead has an
 *               `unsubscribe` (or `unsubscribed`) activity at any time
 *   bounced     email_bounced is true, or an `email_bounced` (or
 *               `hard_bounce`) activity
 *   customer    the stage column means the won stage: the last stage of
 *               the success path (customers: keep leaves them to the
 *               tracks, say an onboarding track)
 *   open deal   the stage is on the success path at or after deal_stage
 *               (default `opportunity`, when the path has it; `none`:
 *               no such rule) and before won; open_deals: pause holds
 *               the lead where it was instead, keep leaves it be
 *
 * A consent value not understood counts as true: nothing is sent on a
 * guess.  Lost, recycled and disqualified leads (detours) may be
 * nurtured.  do_not_call is no exit: a step whose channel is `call` or
 * `phone` is skipped for such a lead, as a step that does not serve its
 * stage is, so a call is never due.  Then the model's suppression (an
 * activity of the rule at any time, or its `when`) exits a lead with
 * the rule's reason; a lead whose route column is
 * "sales" (or whose `pause` holds) is paused and resumes where it was
 * (its next touch due its wait after the last one, or now).  A track's
 * `exit` exits the lead, which may then enter another track at once.
 * A lead whose steps run out is exhausted.  A lead that left a track
 * (exited or exhausted) may enter any other track; it enters the same
 * one again only as its `reentry` says (always, or once the duration
 * has passed since its last touch).
 *
 * A lead in a track the model no longer has is kept as it is (every
 * nurture column unchanged) and flagged: nurture_reason says so and
 * the result's `unknown` is set.
 *
 * Errors (LK_EMODEL at file:line:col): unknown keys (did-you-mean), a
 * goto to a missing track (did-you-mean) or step, a trigger cycle, a
 * wait or reentry that is not a duration, a cap that is not N/PERIOD
 * (cap.h's grammar, N from 1), unknown stages, tracks without steps or
 * with duplicate names, and (at bind) expressions naming absent
 * columns.  Rows with a nurture_state, nurture_step, last_touch_at or
 * next_touch_at that cannot be read are data errors (lk_nurture_row
 * returns 1 with a reason: reject the row).
 *
 * Ownership: an lk_nurture points into the model's document, which must
 * outlive it.  The row lk_nurture_row returns belongs to the object and
 * lives until the next call; passed-through fields point into the input.
 */
#ifndef LK_NURTURE_H
#define LK_NURTURE_H

#include <stdint.h>

#include "core/csvio.h"
#include "core/err.h"
#include "model/expr.h"
#include "model/model.h"

/* The columns lead-nurture owns, in the order it appends them. */
enum { LK_NU_TRACK, LK_NU_STEP, LK_NU_STATE, LK_NU_REASON, LK_NU_LAST, LK_NU_NEXT,
       LK_NU_OFFER, LK_NU_CONTENT, LK_NU_CHANNEL, LK_NU_NCOLS };
extern const char *const lk_nurture_columns[LK_NU_NCOLS];

typedef enum { LK_NS_NONE, LK_NS_ACTIVE, LK_NS_EXITED, LK_NS_EXHAUSTED, LK_NS_PAUSED,
	       LK_NS_NKINDS } lk_nstate;
/* "", "active", "exited", "exhausted", "paused". */
extern const char *const lk_nurture_states[LK_NS_NKINDS];

/* An offer or content: one value, or one per stage. */
typedef struct lk_nvalue {
	const char *def;		/* plain value or `default`; may be NULL */
	const char **by_stage;		/* per model stage index, NULL entries; or NULL */
} lk_nvalue;

typedef struct lk_nurture_step {
	const char *name;		/* `step`, or NULL */
	lk_nvalue offer, content;
	const char *channel;		/* "email" by default */
	double wait;			/* seconds after the previous touch */
	char *serves;			/* per model stage: 1 served; NULL: every stage */
	const yaml_node_t *node;
} lk_nurture_step;

typedef struct lk_nurture_trigger {
	const char **activities;
	int nactivities;
	int track;			/* goto: target track; -1: skip the wait */
	int step;			/* goto: 0-based target step */
	double within;			/* only activities this recent (seconds); 0: any */
	const yaml_node_t *node;
} lk_nurture_trigger;

typedef struct lk_nurture_track {
	const char *name;
	const char *enter_src, *exit_src;	/* or NULL */
	lk_expr *enter, *exit;		/* compiled by lk_nurture_bind */
	lk_nurture_step *steps;
	int nsteps;
	lk_nurture_trigger *on;
	int non;
	int reentry;			/* 0 never, 1 always, 2 after reentry_after */
	double reentry_after;		/* seconds */
	const yaml_node_t *node, *enter_node, *exit_node;
} lk_nurture_track;

/* The built-in exits (and the open-deal pause), in the order they are
 * checked; lk_nurture_builtins names them "opted_out", "bounced",
 * "customer", "open_deal" (index 0, none, is ""). */
enum { LK_NX_NONE, LK_NX_OPTED_OUT, LK_NX_BOUNCED, LK_NX_CUSTOMER, LK_NX_OPEN_DEAL, LK_NX_N };
extern const char *const lk_nurture_builtins[LK_NX_N];

/* What becomes of customers and of leads with an open deal. */
typedef enum { LK_ND_EXIT, LK_ND_PAUSE, LK_ND_KEEP } lk_nurture_deal;

typedef struct lk_nurture_supp {
	const char *reason;
	const char **activities;
	int nactivities;
	const char *when_src;
	lk_expr *when;
	const yaml_node_t *node, *when_node;
} lk_nurture_supp;

/* What lk_nurture_row decided, for the tool's --due list and counters. */
typedef struct lk_nurture_result {
	lk_nstate state;
	int track;			/* index, or -1 */
	int step;			/* 1-based, 0: none */
	int due;			/* active and next_touch_at <= now */
	int deferred;			/* the governor or quiet hours moved it */
	int advanced;			/* touches confirmed in this run */
	int unknown;			/* in a track the model does not have */
	int builtin;			/* the built-in exit that applied (LK_NX_*) */
	int64_t next;			/* next_touch_at, or -1 */
} lk_nurture_result;

typedef struct lk_nurture lk_nurture;

/* Parse and check the model's nurture section.  NULL with err. */
lk_nurture *lk_nurture_new(lk_model *m, lk_err *err);
void lk_nurture_free(lk_nurture *n);

/* The parsed parts, for summaries and tests. */
const lk_nurture_track *lk_nurture_tracks(const lk_nurture *n, int *count);
void lk_nurture_cap(const lk_nurture *n, long *count, double *period);
/* The activities that report a touch (`sent`); their details matter. */
const char *const *lk_nurture_sent(const lk_nurture *n, int *count);

/*
 * Compile the expressions against an input header of ncols names;
 * owned columns present in the input are updated in place, the others
 * appended.  -1 with err (LK_EMODEL at the expression).
 */
int lk_nurture_bind(lk_nurture *n, const char *const *cols, int ncols, lk_err *err);
/* The output header (valid until lk_nurture_free or the next bind). */
void lk_nurture_header(const lk_nurture *n, const char *const **names, int *count);

/*
 * Move one lead on as of env->now, given its activities (acts, nacts;
 * any order, none after now) and their details (parallel to acts, may
 * be NULL).  *out is the output row (see Ownership); res may be NULL.
 * Returns 0; 1 when the row's nurture columns cannot be read (*out is
 * then NULL and `why` holds the reason: reject the row); -1 when out of
 * memory.
 */
int lk_nurture_row(lk_nurture *n, const lk_row *in, const lk_act *acts,
		   const char *const *details, int nacts, lk_exprenv *env, lk_row **out,
		   lk_nurture_result *res, const char **why);

/* The offer, content and channel of the output row last made (valid
 * like it), for the --due list. */
void lk_nurture_next(const lk_nurture *n, const char **offer, const char **content,
		     const char **channel);

#endif
