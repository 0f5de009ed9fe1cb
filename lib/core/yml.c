/* yml.c - checked walk over a libyaml document; see yml.h. */
#include "core/yml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"

/* Enough for any real model; an alias bomb needs far more. */
#define LK_YML_BUDGET 200000

/* Report libyaml's error.  Reader errors (bad UTF-8, control characters)
 * carry a byte offset instead of a mark: turn it into line and column
 * from the text. */
static int syntax_error(lk_yml *y, yaml_parser_t *p, const char *text, size_t len,
			lk_err *err)
{
	long line = (long)p->problem_mark.line + 1;
	long col = (long)p->problem_mark.column + 1;

	if (p->error == YAML_READER_ERROR) {
		size_t i, off = p->problem_offset < len ? p->problem_offset : len;
		line = col = 1;
		for (i = 0; i < off; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
	}
	return lk_err_at(err, y->file, line, col, "%s%s%s",
			 p->problem ? p->problem : "YAML syntax error",
			 p->context ? " " : "", p->context ? p->context : "");
}

static int load(lk_yml *y, const char *text, size_t len, lk_err *err)
{
	yaml_parser_t p;
	yaml_document_t next;
	yaml_node_t *root;

	y->visits = 0;
	y->budget = LK_YML_BUDGET;
	if (!yaml_parser_initialize(&p))
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &y->doc)) {
		syntax_error(y, &p, text, len, err);
		yaml_parser_delete(&p);
		return -1;
	}
	y->loaded = 1;
	/* A model is one document: a second one (after "---") would be
	 * ignored silently, and so would any error in it. */
	if (yaml_document_get_root_node(&y->doc)) {
		if (!yaml_parser_load(&p, &next)) {
			syntax_error(y, &p, text, len, err);
			yaml_parser_delete(&p);
			lk_yml_free(y);
			return -1;
		}
		root = yaml_document_get_root_node(&next);
		if (root) {
			lk_err_at(err, y->file, (long)root->start_mark.line + 1,
				  (long)root->start_mark.column + 1,
				  "a second YAML document starts here; the model must be "
				  "one document");
			yaml_document_delete(&next);
			yaml_parser_delete(&p);
			lk_yml_free(y);
			return -1;
		}
		yaml_document_delete(&next);
	}
	yaml_parser_delete(&p);
	return 0;
}

int lk_yml_load_mem(lk_yml *y, const char *name, const char *text, size_t len, lk_err *err)
{
	memset(y, 0, sizeof *y);
	snprintf(y->file, sizeof y->file, "%s", name);
	return load(y, text, len, err);
}

/* Models are small: read the whole file, so that errors found by
 * libyaml's reader can be placed by line and column. */
int lk_yml_load(lk_yml *y, const char *path, lk_err *err)
{
	FILE *f;
	char *text = NULL, *t;
	size_t len = 0, cap = 0, k;
	int rc;

	memset(y, 0, sizeof *y);
	snprintf(y->file, sizeof y->file, "%s", path);
	f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		/* "path: reason", with no stale position from an earlier error. */
		lk_err_clear(err);
		lk_err_set(err, LK_EMODEL, "%s", strerror(e));
		if (err)
			snprintf(err->file, sizeof err->file, "%s", path);
		return -1;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			t = realloc(text, cap);
			if (!t) {
				free(text);
				fclose(f);
				return lk_err_set(err, LK_ENOMEM, "out of memory");
			}
			text = t;
		}
		k = fread(text + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(text);
		fclose(f);
		lk_err_clear(err);
		lk_err_set(err, LK_EMODEL, "%s", strerror(e));
		if (err)
			snprintf(err->file, sizeof err->file, "%s", path);
		return -1;
	}
	fclose(f);
	rc = load(y, text, len, err);
	free(text);
	return rc;
}

void lk_yml_free(lk_yml *y)
{
	if (y && y->loaded) {
		yaml_document_delete(&y->doc);
		y->loaded = 0;
	}
}

yaml_node_t *lk_yml_root(lk_yml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *lk_yml_node(lk_yml *y, int idx, lk_err *err)
{
	yaml_node_t *n;

	if (++y->visits > y->budget) {
		lk_err_at(err, y->file, 1, 1,
			  "model too large: more than %ld nodes visited "
			  "(an alias bomb or alias cycle?)", y->budget);
		return NULL;
	}
	n = yaml_document_get_node(&y->doc, idx);
	if (!n)
		lk_err_at(err, y->file, 1, 1, "broken YAML document");
	return n;
}

int lk_yml_err(lk_yml *y, const yaml_node_t *n, lk_err *err, const char *fmt, ...)
{
	va_list ap;
	long line = n ? (long)n->start_mark.line + 1 : 1;
	long col = n ? (long)n->start_mark.column + 1 : 1;

	if (!err)
		return -1;
	va_start(ap, fmt);
	lk_err_vset(err, LK_EMODEL, fmt, ap);
	va_end(ap);
	snprintf(err->file, sizeof err->file, "%s", y->file);
	err->line = line;
	err->col = col;
	return -1;
}

const char *lk_yml_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

const char *lk_yml_kind(const yaml_node_t *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_SCALAR_NODE: return "a value";
	default: return "nothing";
	}
}

int lk_yml_expect(lk_yml *y, const yaml_node_t *n, yaml_node_type_t type,
		  const char *what, lk_err *err)
{
	const char *want = type == YAML_MAPPING_NODE ? "a mapping" :
			   type == YAML_SEQUENCE_NODE ? "a list" : "a value";

	if (n && n->type == type)
		return 0;
	return lk_yml_err(y, n, err, "%s must be %s, not %s", what, want, lk_yml_kind(n));
}

int lk_yml_check_dups(lk_yml *y, const yaml_node_t *map, lk_err *err)
{
	yaml_node_pair_t *a, *b;

	for (a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
		yaml_node_t *ka = lk_yml_node(y, a->key, err);
		const char *sa;
		if (!ka)
			return -1;
		sa = lk_yml_scalar(ka);
		if (!sa)
			return lk_yml_err(y, ka, err, "mapping keys must be plain values");
		for (b = map->data.mapping.pairs.start; b < a; b++) {
			const char *sb = lk_yml_scalar(yaml_document_get_node(&y->doc, b->key));
			if (sb && !strcmp(sa, sb)) {
				yaml_node_t *kb = yaml_document_get_node(&y->doc, b->key);
				return lk_yml_err(y, ka, err, "duplicate key '%s' (first at line %lu)",
						  sa, (unsigned long)kb->start_mark.line + 1);
			}
		}
	}
	return 0;
}

int lk_yml_check_keys(lk_yml *y, const yaml_node_t *map, const char *const *allowed,
		      int n, const char *what, lk_err *err)
{
	yaml_node_pair_t *a;
	int i;

	if (lk_yml_check_dups(y, map, err) < 0)
		return -1;
	for (a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, a->key);
		const char *s = lk_yml_scalar(k), *hint;
		for (i = 0; i < n; i++)
			if (!strcmp(s, allowed[i]))
				break;
		if (i < n)
			continue;
		hint = lk_did_you_mean(s, allowed, n);
		if (hint)
			return lk_yml_err(y, k, err, "unknown key '%s' in %s (did you mean '%s'?)",
					  s, what, hint);
		{
			char list[512] = "";
			size_t off = 0;
			for (i = 0; i < n && off < sizeof list - 40; i++)
				off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
							i ? ", " : "", allowed[i]);
			return lk_yml_err(y, k, err, "unknown key '%s' in %s (known keys: %s)",
					  s, what, list);
		}
	}
	return 0;
}

yaml_node_t *lk_yml_get(lk_yml *y, const yaml_node_t *map, const char *key, lk_err *err)
{
	yaml_node_pair_t *a;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (a = map->data.mapping.pairs.start; a < map->data.mapping.pairs.top; a++) {
		const char *s = lk_yml_scalar(yaml_document_get_node(&y->doc, a->key));
		if (s && !strcmp(s, key))
			return lk_yml_node(y, a->value, err);
	}
	return NULL;
}

static int get_scalar(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		      yaml_node_t **node, const char **out, lk_err *err)
{
	long before = y->visits;
	yaml_node_t *n = lk_yml_get(y, map, key, err);

	*node = n;
	if (!n) {
		if (y->visits > y->budget && y->visits != before)
			return -1;
		if (required)
			return lk_yml_err(y, map, err, "missing key '%s'", key);
		return 0;
	}
	*out = lk_yml_scalar(n);
	if (!*out)
		return lk_yml_err(y, n, err, "'%s' must be a value, not %s", key, lk_yml_kind(n));
	return 1;
}

int lk_yml_get_str(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		   const char **out, lk_err *err)
{
	yaml_node_t *n;

	return get_scalar(y, map, key, required, &n, out, err);
}

int lk_yml_parse_num(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int lk_yml_parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "true", "yes", "on", "y" };
	static const char *no[] = { "false", "no", "off", "n" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int lk_yml_get_num(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		   double *out, lk_err *err)
{
	yaml_node_t *n;
	const char *s;
	int rc = get_scalar(y, map, key, required, &n, &s, err);

	if (rc <= 0)
		return rc;
	if (lk_yml_parse_num(s, out) < 0)
		return lk_yml_err(y, n, err, "'%s' must be a number, not '%s'", key, s);
	return 1;
}

int lk_yml_get_bool(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		    int *out, lk_err *err)
{
	yaml_node_t *n;
	const char *s;
	int rc = get_scalar(y, map, key, required, &n, &s, err);

	if (rc <= 0)
		return rc;
	if (lk_yml_parse_bool(s, out) < 0)
		return lk_yml_err(y, n, err, "'%s' must be true or false, not '%s'", key, s);
	return 1;
}

int lk_yml_get_duration(lk_yml *y, const yaml_node_t *map, const char *key, int required,
			double *out, lk_err *err)
{
	yaml_node_t *n;
	const char *s;
	int rc = get_scalar(y, map, key, required, &n, &s, err);

	if (rc <= 0)
		return rc;
	if (lk_duration_parse(s, strlen(s), out) < 0)
		return lk_yml_err(y, n, err,
				  "'%s' must be a duration such as 30d, 4h or 90m, not '%s'",
				  key, s);
	return 1;
}

int lk_yml_strlist(lk_yml *y, const yaml_node_t *n, const char ***out, const char *what,
		   lk_err *err)
{
	const char **v;
	yaml_node_item_t *it;
	int k = 0;

	*out = NULL;
	if (n->type == YAML_SCALAR_NODE) {
		v = malloc(sizeof *v);
		if (!v)
			return lk_err_set(err, LK_ENOMEM, "out of memory");
		v[0] = lk_yml_scalar(n);
		*out = v;
		return 1;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return lk_yml_err(y, n, err, "%s must be a list of values, not %s", what,
				  lk_yml_kind(n));
	v = calloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
		   sizeof *v);
	if (!v)
		return lk_err_set(err, LK_ENOMEM, "out of memory");
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *c = lk_yml_node(y, *it, err);
		if (!c) {
			free(v);
			return -1;
		}
		if (!lk_yml_scalar(c)) {
			free(v);
			return lk_yml_err(y, c, err, "%s must be a list of values, not of %s",
					  what, lk_yml_kind(c));
		}
		v[k++] = lk_yml_scalar(c);
	}
	*out = v;
	return k;
}
