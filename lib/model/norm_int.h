/*
 * norm_int.h - the data tables of the normalisers (norm_tables.c), for
 * norm.c alone (not for tools: norm.h's functions are the interface).
 *
 * The tables are constant and sorted: countries by alpha-2, lookup keys
 * in strcmp order, calling codes in numeric order.  norm.c searches them
 * by bisection and lk_norm_check_tables() proves the order, so a hand
 * edit that breaks it fails the unit tests instead of silently missing.
 */
#ifndef LK_NORM_INT_H
#define LK_NORM_INT_H

#include <stddef.h>

/* One ISO 3166-1 country. */
struct lk_country {
	char a2[3];		/* alpha-2, upper case */
	char a3[4];		/* alpha-3, upper case */
	const char *cc;		/* ITU-T E.164 country calling code, digits only */
	const char *name;	/* ISO English short name (UTF-8) */
};

/* A normalised lookup key (norm.c's country_key) and the country it names. */
struct lk_country_key {
	const char *key;
	unsigned char idx;	/* index into lk_norm_countries[] */
};

extern const struct lk_country lk_norm_countries[];
extern const size_t lk_norm_ncountries;
extern const struct lk_country_key lk_norm_country_keys[];
extern const size_t lk_norm_nkeys;
extern const unsigned short lk_norm_calling_codes[];
extern const size_t lk_norm_ncodes;

#endif
