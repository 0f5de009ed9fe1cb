/*
 * fuzz_model.c - libFuzzer harness for the YAML model loader.
 *
 * Feeds arbitrary text to lk_model_load_mem.  A model that fails must
 * say where (a message, and a file:line:col inside the text for model
 * errors); a model that loads must be consistent:
 *   - the success path comes first, in order, then the detours;
 *   - every stage id is found by lk_model_stage_id, and lk_model_stage
 *     answers with an index in range for ids, aliases and any text;
 *   - the field aliases name canonical columns.
 * lk_model_free runs either way (leaks show up under ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void probe(const lk_model *m, const char *s, size_t n)
{
	int i = lk_model_stage(m, s, n);

	CHECK(i >= -1 && i < m->nstages);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *values[] = {
		"MQL", "Marketing Qualified Lead", "Closed - Converted", "subscriber",
		"", " ", "won", "lost", "\xc3\xa9tape",
	};
	char *text = malloc(size ? size : 1);
	lk_err e;
	lk_model *m;
	int i, j;
	size_t k;

	if (!text)
		return 0;
	memcpy(text, data, size);	/* no NUL: reading past size is caught */
	lk_err_clear(&e);
	m = lk_model_load_mem("fuzz.yaml", text, size, &e);
	if (!m) {
		CHECK(e.msg[0] != '\0');
		if (e.kind == LK_EMODEL && e.line > 0) {
			CHECK(strcmp(e.file, "fuzz.yaml") == 0);
			CHECK(e.col >= 1);
		}
		free(text);
		return 0;
	}
	CHECK(m->npath >= 1 && m->npath <= m->nstages);
	for (i = 0; i < m->nstages; i++) {
		const lk_stage *s = &m->stages[i];
		CHECK(s->id != NULL && s->id[0] != '\0');
		CHECK(s->detour == (i >= m->npath));
		CHECK(s->order == (s->detour ? -1 : i));
		CHECK(lk_model_stage_id(m, s->id) == i);
		probe(m, s->id, strlen(s->id));
		for (j = 0; j < s->naliases; j++) {
			CHECK(s->aliases[j] != NULL);
			probe(m, s->aliases[j], strlen(s->aliases[j]));
		}
	}
	for (i = 0; i < m->nfield_aliases; i++)
		CHECK(lk_canon_index(m->field_aliases[i].name) >= 0);
	for (i = 0; i < m->nplaceholders; i++)
		CHECK(m->placeholders[i] != NULL);
	for (k = 0; k < sizeof values / sizeof values[0]; k++)
		probe(m, values[k], strlen(values[k]));
	/* The input itself, and a long value past the stack copy. */
	probe(m, text, size < 300 ? size : 300);
	lk_model_free(m);
	free(text);
	return 0;
}
