/*
 * yml.h - a checked walk over a libyaml document, for the model loader.
 *
 * libyaml's document API gives a node graph with 0-based marks, no type
 * resolution, silent duplicate keys and shared alias nodes.  This module
 * adds what a model loader needs on top: errors at "file:line:col"
 * (1-based), key checks with did-you-mean, duplicate-key detection,
 * typed scalar getters (numbers, booleans, durations parsed here), and a
 * budget on node visits so an alias bomb or an alias cycle is refused
 * instead of walked.
 *
 * Ownership: an lk_yml owns its document and its copy of the file name;
 * node pointers and scalar strings stay valid until lk_yml_free().
 */
#ifndef LK_YML_H
#define LK_YML_H

#include <yaml.h>

#include "core/err.h"

typedef struct lk_yml {
	yaml_document_t doc;
	int loaded;		/* doc must be deleted */
	char file[256];		/* name used in messages */
	long visits;		/* nodes visited through lk_yml_node() */
	long budget;		/* refuse the document beyond this many visits */
} lk_yml;

/* Load a file ("-" is not allowed: models are files).  -1 with err,
 * including YAML syntax errors at file:line:col. */
int lk_yml_load(lk_yml *y, const char *path, lk_err *err);
/* Load from memory; `name` is used in messages. */
int lk_yml_load_mem(lk_yml *y, const char *name, const char *text, size_t len, lk_err *err);
void lk_yml_free(lk_yml *y);

/* The root node, or NULL for an empty document. */
yaml_node_t *lk_yml_root(lk_yml *y);
/* Node by index, counting the visit; NULL (with err) past the budget. */
yaml_node_t *lk_yml_node(lk_yml *y, int idx, lk_err *err);

/* Fill err with "file:line:col: msg" at node n; returns -1. */
int lk_yml_err(lk_yml *y, const yaml_node_t *n, lk_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The text of a scalar node, or NULL for other kinds. */
const char *lk_yml_scalar(const yaml_node_t *n);
/* Kind names for messages: "a mapping", "a list", "a value". */
const char *lk_yml_kind(const yaml_node_t *n);

/* Require a kind; -1 with "<what> must be a mapping" etc. */
int lk_yml_expect(lk_yml *y, const yaml_node_t *n, yaml_node_type_t type,
		  const char *what, lk_err *err);

/*
 * Check a mapping: every key is a scalar from `allowed` (n names), no key
 * appears twice.  Unknown keys are errors with a did-you-mean.  `what`
 * names the mapping in messages ("scoring rule").
 */
int lk_yml_check_keys(lk_yml *y, const yaml_node_t *map, const char *const *allowed,
		      int n, const char *what, lk_err *err);
/* Only the duplicate-key check, for mappings with free-form keys. */
int lk_yml_check_dups(lk_yml *y, const yaml_node_t *map, lk_err *err);

/* Value node of `key` in a mapping, or NULL. */
yaml_node_t *lk_yml_get(lk_yml *y, const yaml_node_t *map, const char *key, lk_err *err);

/* Typed getters: 1 when found and valid, 0 when absent (and !required),
 * -1 with err when invalid or absent but required. */
int lk_yml_get_str(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		   const char **out, lk_err *err);
int lk_yml_get_num(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		   double *out, lk_err *err);
int lk_yml_get_bool(lk_yml *y, const yaml_node_t *map, const char *key, int required,
		    int *out, lk_err *err);
/* Durations such as "30d", "4h" (see lk_duration_parse), in seconds. */
int lk_yml_get_duration(lk_yml *y, const yaml_node_t *map, const char *key, int required,
			double *out, lk_err *err);

/*
 * A list of strings from a scalar (one item) or a sequence of scalars.
 * Returns the count, or -1 with err; *out is a malloc'd array of
 * pointers into the document (free the array, not the strings).
 */
int lk_yml_strlist(lk_yml *y, const yaml_node_t *n, const char ***out, const char *what,
		   lk_err *err);

/* Parse helpers shared by sections. */
int lk_yml_parse_num(const char *s, double *out);
int lk_yml_parse_bool(const char *s, int *out);

#endif
