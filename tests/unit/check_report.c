/* Unit tests for lib/report: funnel counts (reached via current stage and
 * <stage>_at columns, detours, blank and unknown values), percentage
 * rounding, the report of zeros, velocity statistics from day histograms
 * (even and odd medians, nearest-rank p90, negatives, calendar days),
 * and partial aggregates: any split and merge order renders the same
 * bytes as one pass.  Every expected value is worked out by hand in the
 * comments.  Then the kinds table (which kind takes which option), the
 * side files, and the process kind in each format on the one page. */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "report/report.h"
#include "core/stats.h"

static const char model_text[] =
	"stages:\n"
	"  - {id: a, aliases: [alpha]}\n"
	"  - {id: b}\n"
	"  - {id: c}\n"
	"detours: [x]\n";

static lk_model *model(void)
{
	lk_err e;
	lk_model *m = lk_model_load_mem("t.yaml", model_text, sizeof model_text - 1, &e);

	ck_assert_msg(m != NULL, "model: %s", e.msg);
	return m;
}

/* A row over static strings. */
static lk_row mkrow(const char **f, int n)
{
	static char *fs[16];
	static size_t lens[16];
	lk_row r;
	int i;

	for (i = 0; i < n; i++) {
		fs[i] = (char *)f[i];
		lens[i] = strlen(f[i]);
	}
	memset(&r, 0, sizeof r);
	r.n = n;
	r.f = fs;
	r.len = lens;
	r.record = 1;
	r.line = 2;
	return r;
}

static void add(lk_report *r, const char **f, int n)
{
	lk_err e;
	lk_row row = mkrow(f, n);

	ck_assert_int_eq(lk_report_add(r, &row, &e), 0);
}

static char *render(lk_report *r, lk_report_fmt fmt)
{
	lk_err e;
	lk_buf b = LK_BUF_INIT;

	ck_assert_int_eq(lk_report_render(r, fmt, &b, &e), 0);
	return lk_buf_detach(&b);
}

static const char *fhdr[] = { "stage", "b_at", "C_AT", "src" };

/* The six funnel leads of the hand-worked example, by index. */
static const char *frows[6][4] = {
	{ "a", "", "", "s1" },			/* in a: reached a */
	{ "C", "", "", "s2" },			/* in c: reached a b c */
	{ "x", "2026-01-02", "", "s1" },	/* detour x, b dated: a b, and x */
	{ "zzz", "", "", "s2" },		/* unknown: reached nothing */
	{ "", "", "2026-02-01", "s1" },		/* blank, c dated: a b c */
	{ "b", "  ", "", "s2" },		/* in b; blank b_at: a b */
};

static lk_report *funnel(lk_model *m, const char *by)
{
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, by, &e);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_report_bind(r, fhdr, 4, &e), 0);
	return r;
}

/* reached: a 5 (all but zzz), b 4, c 2, x 1; b 4/5 = 80%, c 2/4 = 50%,
 * cumulative c 2/5 = 40%. */
START_TEST(funnel_counts)
{
	lk_model *m = model();
	lk_report *r = funnel(m, NULL);
	char *s;
	int i;

	for (i = 0; i < 6; i++)
		add(r, frows[i], 4);
	s = render(r, LK_FMT_CSV);
	ck_assert_str_eq(s,
		"stage,kind,reached,current,conversion_pct,cumulative_pct\n"
		"all,total,6,6,,\n"
		"a,path,5,1,,100.00\n"
		"b,path,4,1,80.00,80.00\n"
		"c,path,2,1,50.00,40.00\n"
		"x,detour,1,1,,\n"
		",blank,,1,,\n"
		"zzz,unknown,,1,,\n");
	ck_assert_int_eq(lk_report_stats_get(r)->unknown, 1);
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* What the report could not use, as messages each ended by a NUL
 * byte, in a fixed order: zzz is a stage the model lacks, and by month
 * two leads have no created_at date.  With opt.no_header csv and tsv
 * lose their first line, the header; other formats keep theirs. */
START_TEST(notes_and_no_header)
{
	static const char *mhdr[] = { "stage", "created_at" };
	static const char *mrows[3][2] = { { "zzz", "2026-01-05" }, { "a", "" }, { "b", "soon" } };
	static const char want[] = "1 lead with a stage the model does not know (rows of kind "
				   "unknown)\0" "2 leads without a created_at date (month blank)";
	static const lk_report_fmt fmts[] = { LK_FMT_CSV, LK_FMT_TSV, LK_FMT_TABLE };
	lk_report_opt o = { .no_header = 1 };
	lk_model *m = model();
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, "month", NULL);
	lk_report *nh = lk_report_new_opt(m, LK_REPORT_FUNNEL, &o, NULL);
	lk_buf notes = LK_BUF_INIT;
	char *with, *without;
	lk_err e;
	int i;

	ck_assert_int_eq(lk_report_bind(nh, fhdr, 4, &e), 0);
	ck_assert_int_eq(lk_report_bind(r, mhdr, 2, &e), 0);
	ck_assert_int_eq(lk_report_notes(r, &notes), 0);
	ck_assert_uint_eq(notes.len, 0);
	for (i = 0; i < 3; i++)
		add(r, mrows[i], 2);
	ck_assert_int_eq(lk_report_notes(r, &notes), 0);
	ck_assert_uint_eq(notes.len, sizeof want);
	ck_assert_mem_eq(notes.data, want, sizeof want);
	lk_report_free(r);
	r = funnel(m, NULL);
	for (i = 0; i < 6; i++) {
		add(r, frows[i], 4);
		add(nh, frows[i], 4);
	}
	for (i = 0; i < 3; i++) {
		with = render(r, fmts[i]);
		without = render(nh, fmts[i]);
		ck_assert_str_eq(without, i < 2 ? strchr(with, '\n') + 1 : with);
		free(with);
		free(without);
	}
	lk_buf_free(&notes);
	lk_report_free(r);
	lk_report_free(nh);
	lk_model_free(m);
}
END_TEST

/* Groups sorted by value: s1 holds leads 0, 2, 4; s2 holds 1, 3, 5. */
START_TEST(funnel_by)
{
	lk_model *m = model();
	lk_report *r = funnel(m, "src");
	char *s;
	int i;

	for (i = 5; i >= 0; i--)
		add(r, frows[i], 4);
	s = render(r, LK_FMT_CSV);
	ck_assert_str_eq(s,
		"src,stage,kind,reached,current,conversion_pct,cumulative_pct\n"
		"s1,all,total,3,3,,\n"
		"s1,a,path,3,1,,100.00\n"
		"s1,b,path,2,0,66.67,66.67\n"
		"s1,c,path,1,0,50.00,33.33\n"
		"s1,x,detour,1,1,,\n"
		"s1,,blank,,1,,\n"
		"s2,all,total,3,3,,\n"
		"s2,a,path,2,0,,100.00\n"
		"s2,b,path,2,1,100.00,100.00\n"
		"s2,c,path,1,1,50.00,50.00\n"
		"s2,x,detour,0,0,,\n"
		"s2,zzz,unknown,,1,,\n");
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* 1 of 800 is 0.125%: half up gives 0.13; 1 of 3 is 33.33. */
START_TEST(funnel_rounding)
{
	lk_model *m = model();
	lk_report *r = funnel(m, NULL);
	const char *in_a[] = { "alpha", "", "", "" }, *in_b[] = { "b", "", "", "" };
	char *s;
	int i;

	for (i = 0; i < 799; i++)
		add(r, in_a, 4);
	add(r, in_b, 4);
	s = render(r, LK_FMT_CSV);
	ck_assert_ptr_nonnull(strstr(s, "\nb,path,1,1,0.13,0.13\n"));
	free(s);
	lk_report_free(r);

	r = funnel(m, NULL);
	add(r, in_a, 4);
	add(r, in_a, 4);
	add(r, in_b, 4);
	s = render(r, LK_FMT_CSV);
	ck_assert_ptr_nonnull(strstr(s, "\nb,path,1,1,33.33,33.33\n"));
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* No leads at all: every count 0, every rate empty (null in JSON). */
START_TEST(funnel_empty)
{
	lk_model *m = model();
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, NULL, &e);
	char *s = render(r, LK_FMT_CSV);

	ck_assert_str_eq(s,
		"stage,kind,reached,current,conversion_pct,cumulative_pct\n"
		"all,total,0,0,,\n"
		"a,path,0,0,,\n"
		"b,path,0,0,,\n"
		"c,path,0,0,,\n"
		"x,detour,0,0,,\n");
	free(s);
	s = render(r, LK_FMT_JSON);
	ck_assert_ptr_nonnull(strstr(s, "{\"stage\": \"a\", \"kind\": \"path\", \"reached\": 0, "
				     "\"current\": 0, \"conversion_pct\": null, \"cumulative_pct\": null}"));
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

START_TEST(bind_errors)
{
	lk_model *m = model();
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, "owner", &e);
	const char *h1[] = { "lead_id", "stage" }, *h2[] = { "lead_id" };

	ck_assert_int_eq(lk_report_bind(r, h1, 2, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "'owner'"));
	lk_report_free(r);
	r = lk_report_new(m, LK_REPORT_FUNNEL, NULL, &e);
	ck_assert_int_eq(lk_report_bind(r, h2, 1, &e), -1);
	lk_report_free(r);
	r = lk_report_new(m, LK_REPORT_VELOCITY, "month", &e);
	ck_assert_int_eq(lk_report_bind(r, h1, 2, &e), -1);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

static const char *vhdr[] = { "a_at", "b_at", "c_at", "g" };

/*
 * a->b: 2, 5, 1 (23:59 to 00:01 is the next calendar day), 0, and one
 * negative; sorted 0 1 2 5: median 1.5, p90 rank ceil(3.6) = 4 -> 5,
 * mean 8/4 = 2.0.  b->c: 7 and 2: median 4.5, p90 rank 2 -> 7, mean 4.5.
 * a->c (b undated): 30.  "bad" is no date and is skipped.
 */
static const char *vrows[7][4] = {
	{ "2026-01-01", "2026-01-03", "2026-01-10", "g1" },
	{ "2026-01-01", "2026-01-06", "", "g2" },
	{ "2026-01-01T23:59:00Z", "2026-01-02T00:01:00Z", "", "g1" },
	{ "2026-01-05", "2026-01-01", "2026-01-03", "g2" },
	{ "2026-01-01", "", "2026-01-31", "g1" },
	{ "bad", "2026-01-01", "", "g2" },
	{ "2026-01-01", "2026-01-01", "", "g1" },
};

static lk_report *velocity(lk_model *m, const char *by)
{
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_VELOCITY, by, &e);

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_report_bind(r, vhdr, 4, &e), 0);
	return r;
}

START_TEST(velocity_stats)
{
	lk_model *m = model();
	lk_report *r = velocity(m, NULL);
	char *s;
	int i;

	for (i = 0; i < 7; i++)
		add(r, vrows[i], 4);
	s = render(r, LK_FMT_CSV);
	ck_assert_str_eq(s,
		"from,to,leads,median_days,p90_days,mean_days,min_days,max_days,negative\n"
		"a,b,4,1.5,5,2.0,0,5,1\n"
		"a,c,1,30,30,30.0,30,30,0\n"
		"b,c,2,4.5,7,4.5,2,7,0\n");
	ck_assert_int_eq(lk_report_stats_get(r)->bad_dates, 1);
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* No dated pairs: the consecutive pairs with 0 leads and empty stats. */
START_TEST(velocity_empty)
{
	lk_model *m = model();
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_VELOCITY, NULL, &e);
	char *s = render(r, LK_FMT_CSV);

	ck_assert_str_eq(s,
		"from,to,leads,median_days,p90_days,mean_days,min_days,max_days,negative\n"
		"a,b,0,,,,,,0\n"
		"b,c,0,,,,,,0\n");
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* A partial as text, read back line by line into `into`. */
static int merge_text(lk_report *into, const char *text, lk_err *e)
{
	FILE *f = tmpfile();
	lk_csvopt co = { 0 };
	lk_reader *rd;
	lk_row *row;
	int c, rc = 0;

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fflush(f);
	rewind(f);
	co.no_header = 1;
	rd = lk_reader_new(fileno(f), &co, e);
	ck_assert_ptr_nonnull(rd);
	lseek(fileno(f), 0, SEEK_SET);
	while ((c = lk_reader_next(rd, &row, e)) > 0)
		if (lk_report_merge_row(into, row, e) < 0) {
			rc = -1;
			break;
		}
	lk_reader_free(rd);
	fclose(f);
	return rc;
}

static char *partial_of(lk_report *r)
{
	lk_err e;
	lk_buf b = LK_BUF_INIT;

	ck_assert_int_eq(lk_report_partial(r, &b, &e), 0);
	return lk_buf_detach(&b);
}

/* Split the leads into [0, k) and [k, n), merge the partials in both
 * orders and through a combiner: always the single pass's bytes. */
static void split_merge(lk_report_kind kind, const char *by, const char *const *hdr,
			const char *const (*rows)[4], int n)
{
	lk_model *m = model();
	lk_err e;
	lk_report *all = lk_report_new(m, kind, by, &e);
	char *want;
	int k, i;

	ck_assert_int_eq(lk_report_bind(all, hdr, 4, &e), 0);
	for (i = 0; i < n; i++)
		add(all, (const char **)rows[i], 4);
	want = render(all, LK_FMT_CSV);
	for (k = 0; k <= n; k++) {
		lk_report *p1 = lk_report_new(m, kind, by, &e), *p2 = lk_report_new(m, kind, by, &e);
		lk_report *mr, *comb;
		char *t1, *t2, *got, *tc;

		ck_assert_int_eq(lk_report_bind(p1, hdr, 4, &e), 0);
		ck_assert_int_eq(lk_report_bind(p2, hdr, 4, &e), 0);
		for (i = 0; i < n; i++)
			add(i < k ? p1 : p2, (const char **)rows[i], 4);
		t1 = partial_of(p1);
		t2 = partial_of(p2);
		/* p2 then p1, into a report that learns --by from the partial. */
		mr = lk_report_new(m, kind, NULL, &e);
		ck_assert_int_eq(merge_text(mr, t2, &e), 0);
		ck_assert_int_eq(merge_text(mr, t1, &e), 0);
		got = render(mr, LK_FMT_CSV);
		ck_assert_str_eq(got, want);
		free(got);
		/* A combiner: merge p1 alone, write its partial, merge with p2. */
		comb = lk_report_new(m, kind, by, &e);
		ck_assert_int_eq(merge_text(comb, t1, &e), 0);
		tc = partial_of(comb);
		ck_assert_str_eq(tc, t1);
		lk_report_free(mr);
		mr = lk_report_new(m, kind, by, &e);
		ck_assert_int_eq(merge_text(mr, t1, &e), 0);
		ck_assert_int_eq(merge_text(mr, t2, &e), 0);
		got = render(mr, LK_FMT_CSV);
		ck_assert_str_eq(got, want);
		free(got);
		free(tc);
		free(t1);
		free(t2);
		lk_report_free(comb);
		lk_report_free(mr);
		lk_report_free(p1);
		lk_report_free(p2);
	}
	free(want);
	lk_report_free(all);
	lk_model_free(m);
}

START_TEST(merge_funnel)
{
	split_merge(LK_REPORT_FUNNEL, NULL, fhdr, (const char *const (*)[4])frows, 6);
	split_merge(LK_REPORT_FUNNEL, "src", fhdr, (const char *const (*)[4])frows, 6);
}
END_TEST

START_TEST(merge_velocity)
{
	split_merge(LK_REPORT_VELOCITY, NULL, vhdr, (const char *const (*)[4])vrows, 7);
	split_merge(LK_REPORT_VELOCITY, "g", vhdr, (const char *const (*)[4])vrows, 7);
}
END_TEST

START_TEST(merge_errors)
{
	lk_model *m = model();
	lk_err e;
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, NULL, &e);

	ck_assert_int_eq(merge_text(r, "g,,1,0,1,0,0,0,1,0,0,0\n", &e), -1);
	ck_assert_int_eq(e.kind, LK_EDATA);
	ck_assert_int_eq(merge_text(r, "leadkit-report,2,funnel,\n", &e), -1);
	ck_assert_int_eq(merge_text(r, "leadkit-report,1,velocity,\n", &e), -1);
	ck_assert_int_eq(merge_text(r, "leadkit-report,1,funnel,\nstages,a,c\n", &e), -1);
	ck_assert_int_eq(merge_text(r, "leadkit-report,1,funnel,\nstages,a,b,c\ndetours,x\n"
				    "g,,1,0,1,0\n", &e), -1);
	ck_assert_int_eq(merge_text(r, "leadkit-report,1,funnel,\nstages,a,b,c\ndetours,x\n"
				    "g,,1,0,1,0,0,1,1,0,0,0\n", &e), 0);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* The table aligns columns and draws bars scaled to the largest count. */
START_TEST(table_format)
{
	lk_model *m = model();
	lk_report *r = funnel(m, NULL);
	char *s;
	int i;

	for (i = 0; i < 6; i++)
		add(r, frows[i], 4);
	s = render(r, LK_FMT_TABLE);
	/* 6 is the largest: 30 #; 5 -> 25; 4 -> 20; 2 -> 10; 1 -> 5. */
	ck_assert_str_eq(s,
		"stage    kind     reached                                  current  conversion_pct  cumulative_pct\n"
		"all      total          6  ##############################        6\n"
		"a        path           5  #########################             1                          100.00\n"
		"b        path           4  ####################                  1           80.00           80.00\n"
		"c        path           2  ##########                            1           50.00           40.00\n"
		"x        detour         1  #####                                 1\n"
		"(blank)  blank                                                   1\n"
		"zzz      unknown                                                 1\n");
	free(s);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST


/* Calibration's AUC against a brute force over every (positive,
 * negative) pair, ties counting one half, on 300 leads with scores from
 * a small set (many ties) and outcomes from a fixed generator. */
START_TEST(calibration_auc)
{
	lk_model *m = model();
	lk_report_opt o;
	lk_report *r;
	lk_err e;
	static const char *hdr[] = { "score", "y" };
	double sc[300], wins = 0, pairs = 0;
	int y[300], i, j;
	unsigned x = 12345;
	char want[32], *out, *line;

	memset(&o, 0, sizeof o);
	o.outcome = "y";
	r = lk_report_new_opt(m, LK_REPORT_CALIBRATION, &o, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_report_bind(r, hdr, 2, &e), 0);
	for (i = 0; i < 300; i++) {
		char sbuf[16];
		const char *f[2];
		x = x * 1103515245u + 12345u;
		sc[i] = (double)((x >> 16) % 10) * 5;
		x = x * 1103515245u + 12345u;
		/* Higher scores convert more often. */
		y[i] = (int)((x >> 16) % 100) < 20 + (int)sc[i];
		snprintf(sbuf, sizeof sbuf, "%g", sc[i]);
		f[0] = sbuf;
		f[1] = y[i] ? "yes" : "No";
		add(r, f, 2);
	}
	for (i = 0; i < 300; i++)
		for (j = 0; j < 300; j++)
			if (y[i] && !y[j]) {
				pairs++;
				wins += sc[i] > sc[j] ? 1 : sc[i] == sc[j] ? 0.5 : 0;
			}
	snprintf(want, sizeof want, ",%.4f,", wins / pairs);
	out = render(r, LK_FMT_CSV);
	line = strchr(out, '\n') + 1;
	*strchr(line, '\n') = '\0';
	ck_assert_msg(strstr(line, want) != NULL, "summary %s lacks auc %s", line, want);
	ck_assert(!strncmp(line, "300,300,300,", 12));
	free(out);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* A plan over a -> b -> c with 100 a, 50 b, 10 c: 1000 at 100 a deal is
 * 10 c, ceil(10 * 50 / 10) = 50 b, ceil(50 * 100 / 50) = 100 a; the range
 * divides stage by stage by the Wilson bounds of 10/50 and 50/100. */
START_TEST(plan_compounds)
{
	lk_model *m = model();
	lk_report_opt o;
	lk_report *r;
	lk_err e;
	static const char *hdr[] = { "stage" };
	double lo1, hi1, lo2, hi2;
	char want[128], *out;
	int i;

	memset(&o, 0, sizeof o);
	o.revenue = 1000;
	o.deal_size = 100;
	r = lk_report_new_opt(m, LK_REPORT_PLAN, &o, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_report_bind(r, hdr, 1, &e), 0);
	for (i = 0; i < 100; i++) {
		const char *f[1] = { i < 10 ? "c" : i < 50 ? "b" : "a" };
		add(r, f, 1);
	}
	out = render(r, LK_FMT_CSV);
	lk_wilson(10, 50, 1.96, &lo1, &hi1);	/* b -> c */
	lk_wilson(50, 100, 1.96, &lo2, &hi2);	/* a -> b */
	snprintf(want, sizeof want, "c,10,10,10,10,,,,,\n");
	ck_assert_msg(strstr(out, want) != NULL, "%s", out);
	snprintf(want, sizeof want, "b,50,%.0f,%.0f,50,10,20.00,", ceil(10 / hi1 - 1e-9), ceil(10 / lo1 - 1e-9));
	ck_assert_msg(strstr(out, want) != NULL, "%s lacks %s", out, want);
	snprintf(want, sizeof want, "a,100,%.0f,%.0f,100,50,50.00,", ceil(ceil(10 / hi1 - 1e-9) / hi2 - 1e-9),
		 ceil(ceil(10 / lo1 - 1e-9) / lo2 - 1e-9));
	ck_assert_msg(strstr(out, want) != NULL, "%s lacks %s", out, want);
	free(out);
	/* A chart of what each stage needs, and one page with it. */
	out = render(r, LK_FMT_SVG);
	ck_assert(!strncmp(out, "<svg ", 5) && strstr(out, ">100</text>") && strstr(out, "</svg>\n"));
	free(out);
	out = render(r, LK_FMT_HTML);
	ck_assert(strstr(out, "<!DOCTYPE html>") && strstr(out, "<svg ") && strstr(out, "<td class=\"n\">50</td>"));
	free(out);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* Several tables: csv blocks a blank line apart; JSON one object. */
START_TEST(multi_table_json)
{
	lk_model *m = model();
	lk_report_opt o;
	lk_report *r;
	lk_err e;
	static const char *hdr[] = { "score", "stage", "score_reasons" };
	static const char *rows[3][3] = {
		{ "10", "c", "r1:+10" }, { "0", "x", "" }, { "5", "a", "r1:+5" }
	};
	char *out;
	int i;

	memset(&o, 0, sizeof o);
	r = lk_report_new_opt(m, LK_REPORT_CALIBRATION, &o, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lk_report_bind(r, hdr, 3, &e), 0);
	for (i = 0; i < 3; i++)
		add(r, rows[i], 3);
	/* c is won, x a detour (not), a still open: left out. */
	ck_assert_int_eq(lk_report_stats_get(r)->open, 1);
	out = render(r, LK_FMT_JSON);
	ck_assert_msg(!strncmp(out, "{\n\"summary\": [\n  {\"leads\": 3, \"scored\": 3, \"with_outcome\": 2, "
			       "\"converted\": 1, \"conversion_pct\": 50.00, \"auc\": 1.0000", 104), "%s", out);
	ck_assert(strstr(out, "\"rules\": [\n  {\"rule\": \"r1\", \"leads\": 1, \"converted\": 1"));
	ck_assert(!strcmp(out + strlen(out) - 3, "\n}\n"));
	free(out);
	out = render(r, LK_FMT_CSV);
	ck_assert(strstr(out, "\n\nband,") && strstr(out, "\n\nmin_score,") && strstr(out, "\n\nrule,"));
	free(out);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* A check's message for a kind and the options given, "" when it passes. */
static const char *refusal(lk_report_kind kind, unsigned given)
{
	static lk_err e;

	lk_err_clear(&e);
	if (lk_report_check(kind, given, &e) == 0)
		return "";
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	return e.msg;
}

START_TEST(kinds_take_options)
{
	enum { F = LK_ROPT_FILES };

	ck_assert_str_eq(refusal(LK_REPORT_FUNNEL, LK_ROPT_PARTIAL | LK_ROPT_BY | LK_ROPT_HISTORY |
				 LK_ROPT_NO_HEADER_OUT | F), "");
	ck_assert_str_eq(refusal(LK_REPORT_SLA, LK_ROPT_MERGE | LK_ROPT_PARTIAL),
			 "--partial: only funnel, velocity and plan have partial aggregates");
	ck_assert_str_eq(refusal(LK_REPORT_TIMELINE, LK_ROPT_MERGE),
			 "--merge: only funnel, velocity and plan have partial aggregates");
	ck_assert_str_eq(refusal(LK_REPORT_CALIBRATION, LK_ROPT_NO_HEADER_OUT | LK_ROPT_BY),
			 "--no-header-out: a calibration report has several tables");
	ck_assert_str_eq(refusal(LK_REPORT_TIMELINE, LK_ROPT_NO_HEADER_OUT | F), "");
	ck_assert_str_eq(refusal(LK_REPORT_PROCESS, LK_ROPT_BY),
			 "--by: only funnel, velocity and plan have groups");
	ck_assert_str_eq(refusal(LK_REPORT_SLA, LK_ROPT_HISTORY | F),
			 "--history: only funnel, velocity, plan and timeline read a stage history");
	/* A merge reads partials, which no history can stand in for. */
	ck_assert_str_eq(refusal(LK_REPORT_VELOCITY, LK_ROPT_HISTORY | LK_ROPT_MERGE),
			 "--history: only funnel, velocity, plan and timeline read a stage history");
	ck_assert_str_eq(refusal(LK_REPORT_FUNNEL, LK_ROPT_HISTORY | LK_ROPT_BY),
			 "--history without lead files: --by has no column to group by");
	ck_assert_str_eq(refusal(LK_REPORT_FUNNEL, LK_ROPT_ACTIVITIES | F),
			 "--activities: a funnel report reads no activities");
	ck_assert_str_eq(refusal(LK_REPORT_TIMELINE, LK_ROPT_ACTIVITIES | LK_ROPT_HISTORY), "");
	ck_assert_str_eq(refusal(LK_REPORT_PLAN, F), "plan: give --revenue and --deal-size");
	ck_assert_str_eq(refusal(LK_REPORT_PLAN, F | LK_ROPT_TARGET), "");
	ck_assert_str_eq(refusal(LK_REPORT_PLAN, F | LK_ROPT_PARTIAL), "");
	/* Process renders the model: a history changes nothing, as before. */
	ck_assert_str_eq(refusal(LK_REPORT_PROCESS, LK_ROPT_HISTORY | LK_ROPT_NO_HEADER_OUT), "");
	ck_assert(!lk_report_takes(LK_REPORT_PROCESS, F));
	ck_assert(lk_report_mergeable(LK_REPORT_PLAN) && !lk_report_mergeable(LK_REPORT_SLA));
	ck_assert(lk_report_takes_activities(LK_REPORT_SLA));
	ck_assert(!lk_report_takes_activities(LK_REPORT_CALIBRATION));
}
END_TEST

START_TEST(bands_parse)
{
	double v[3];
	lk_err e;

	ck_assert_int_eq(lk_report_bands_parse("0,25.5,50", v, 3, &e), 3);
	ck_assert(v[0] == 0 && v[1] == 25.5 && v[2] == 50);
	ck_assert_int_eq(lk_report_bands_parse("0,25,50,75", v, 3, &e), -1);
	ck_assert_str_eq(e.msg, "--bands: more than 3 edges");
	ck_assert_int_eq(lk_report_bands_parse("10,5", v, 3, &e), -1);
	ck_assert_str_eq(e.msg, "--bands: '10,5' is not a list of ascending numbers");
	ck_assert_int_eq(lk_report_bands_parse("1,,2", v, 3, &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
}
END_TEST

/* A file descriptor reading the text (a temporary file). */
static int text_fd(const char *text)
{
	FILE *f = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

START_TEST(side_files)
{
	static const char *thdr[] = { "lead_id", "stage" };
	static const char *lead[] = { "L1", "a" };
	lk_model *m = model();
	lk_report_opt o = { 0 };
	lk_report *r;
	lk_row row;
	lk_err e;
	char *out;
	int fd;

	o.now = 1800000000;
	r = lk_report_new_opt(m, LK_REPORT_TIMELINE, &o, &e);
	ck_assert_ptr_nonnull(r);
	/* A file that cannot be read: the reader's error, as it gave it. */
	fd = open("/", O_RDONLY);
	ck_assert_int_eq(lk_report_load_activities(r, fd, "dir", ',', &e), -1);
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_str_eq(e.file, "dir");
	close(fd);
	fd = text_fd("lead_id,activity,occurred_at\nL1,call,2026-01-05\nL1,\"bad\n");
	ck_assert_int_eq(lk_report_load_activities(r, fd, "acts.csv", ',', &e), 0);
	close(fd);
	fd = text_fd("lead_id,stage,changed_at\nL1,b,2026-01-07\n");
	ck_assert_int_eq(lk_report_load_history(r, fd, "hist.csv", ',', &e), 0);
	close(fd);
	row = mkrow(thdr, 2);
	ck_assert_int_eq(lk_report_bind(r, (const char *const *)row.f, 2, &e), 0);
	row = mkrow(lead, 2);
	ck_assert_int_eq(lk_report_add(r, &row, &e), 0);
	out = render(r, LK_FMT_CSV);
	ck_assert_ptr_nonnull(strstr(out, "call"));
	ck_assert_ptr_nonnull(strstr(out, "2026-01-07"));
	free(out);
	lk_report_free(r);
	/* A header that does not fit names the file. */
	r = lk_report_new_opt(m, LK_REPORT_SLA, &o, &e);
	fd = text_fd("who,what\n");
	ck_assert_int_eq(lk_report_load_activities(r, fd, "acts.csv", ',', &e), -1);
	ck_assert_int_eq(e.kind, LK_EUSAGE);
	ck_assert_str_eq(e.file, "acts.csv");
	close(fd);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

/* Graphviz stands-in: an SVG with a prologue, or a failed run that
 * still wrote a little. */
static int fake_svg(const lk_buf *dot, lk_buf *svg)
{
	ck_assert_ptr_nonnull(strstr(lk_buf_str(dot), "digraph"));
	lk_buf_adds(svg, "<?xml version=\"1.0\"?>\n<svg id=\"chart\"></svg>\n");
	return 0;
}

static int failed_svg(const lk_buf *dot, lk_buf *svg)
{
	lk_buf_adds(svg, "<svg partial");
	return -1;
}

static char *process(lk_report_fmt fmt, lk_report_svg_fn to_svg, lk_err *e)
{
	lk_model *m = model();
	lk_buf b = LK_BUF_INIT;
	int rc = lk_report_process(m, fmt, to_svg, &b, e);

	lk_model_free(m);
	if (rc < 0) {
		lk_buf_free(&b);
		return NULL;
	}
	return lk_buf_detach(&b);
}

START_TEST(process_formats)
{
	static const char head[] = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				   "<title>lead-report: ";
	lk_model *m = model();
	lk_report *r = lk_report_new(m, LK_REPORT_FUNNEL, NULL, NULL);
	char *md, *dot, *page, *funnel;
	lk_err e;

	md = process(LK_FMT_MD, NULL, &e);
	ck_assert(md && !strncmp(md, "# Lead management process\n", 26));
	dot = process(LK_FMT_DOT, NULL, &e);
	ck_assert(dot && strstr(md, dot));
	free(process(LK_FMT_SVG, fake_svg, &e));
	ck_assert_ptr_null(process(LK_FMT_SVG, NULL, &e));
	ck_assert_int_eq(e.kind, LK_EIO);
	ck_assert_ptr_null(process(LK_FMT_SVG, failed_svg, &e));
	ck_assert_ptr_null(process(LK_FMT_CSV, fake_svg, &e));
	ck_assert_str_eq(e.msg, "process: --format md, dot, svg or html");
	/* The page: the same head as every report's, the chart without its
	 * prologue, the document with '<' and '&' escaped. */
	page = process(LK_FMT_HTML, fake_svg, &e);
	funnel = render(r, LK_FMT_HTML);
	ck_assert(!strncmp(page, head, sizeof head - 1) && !strncmp(funnel, head, sizeof head - 1));
	ck_assert_ptr_nonnull(strstr(page, "<h1>lead-report: process</h1>\n<svg id=\"chart\"></svg>\n"
				     "<pre>\n# Lead management process\n"));
	ck_assert_ptr_null(strstr(page, "<?xml"));
	ck_assert_ptr_nonnull(strstr(page, " -> "));
	ck_assert_ptr_null(strstr(page, "&gt;"));
	ck_assert(strlen(page) > 16 && !strcmp(page + strlen(page) - 16, "</body>\n</html>\n"));
	free(page);
	/* Without a chart the page still holds the document; what a failed
	 * drawing left is kept, as lead-report always did. */
	page = process(LK_FMT_HTML, NULL, &e);
	ck_assert_ptr_nonnull(strstr(page, "</h1>\n<pre>\n"));
	free(page);
	page = process(LK_FMT_HTML, failed_svg, &e);
	ck_assert_ptr_nonnull(strstr(page, "</h1>\n<svg partial<pre>\n"));
	free(page);
	free(md);
	free(dot);
	free(funnel);
	lk_report_free(r);
	lk_model_free(m);
}
END_TEST

Suite *lk_suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, funnel_counts);
	tcase_add_test(tc, notes_and_no_header);
	tcase_add_test(tc, funnel_by);
	tcase_add_test(tc, funnel_rounding);
	tcase_add_test(tc, funnel_empty);
	tcase_add_test(tc, bind_errors);
	tcase_add_test(tc, velocity_stats);
	tcase_add_test(tc, velocity_empty);
	tcase_add_test(tc, merge_funnel);
	tcase_add_test(tc, merge_velocity);
	tcase_add_test(tc, merge_errors);
	tcase_add_test(tc, table_format);
	tcase_add_test(tc, calibration_auc);
	tcase_add_test(tc, plan_compounds);
	tcase_add_test(tc, multi_table_json);
	tcase_add_test(tc, kinds_take_options);
	tcase_add_test(tc, bands_parse);
	tcase_add_test(tc, side_files);
	tcase_add_test(tc, process_formats);
	suite_add_tcase(s, tc);
	return s;
}
