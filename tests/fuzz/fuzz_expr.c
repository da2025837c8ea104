/* fuzz_expr.c — the filter/expectation language: expr_parse on any text, and
 * for what parses, evaluation on every object of a small fixed site, directly
 * and through the engine (select() included).
 *
 * Oracle: when "not (E)" also parses, it must evaluate to the negation of E on
 * every object, or fail exactly where E fails. */
#include "config.h"
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/engine.h"

/* select(CLASS, PATH, FILTER) over the fixed site, like the engine's. */
static int sel(void *ud, const char *cls, const char *path, const expr *filter, const char *src, value *out,
	       char **err)
{
	const expr_env *env = ud;
	const objset *all = &fuzz_site()->objects;
	(void)src;
	*out = value_null();
	out->kind = V_LIST;
	for (size_t i = 0; i < all->n; i++) {
		const object *o = &all->items[i];
		bool keep = true;
		if (strcasecmp(o->cls, cls) != 0)
			continue;
		if (filter && expr_eval(filter, o, env, &keep, err) < 0) {
			value_clear(out);
			return -1;
		}
		const value *v = object_get(o, path);
		if (keep && v && v->kind == V_STR)
			value_list_push(out, v->s);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > EXPR_MAX_LEN + 16)
		return 0;
	char *src = xstrndup((const char *)data, size);
	char *err = NULL;
	int col = 0;
	expr *e = expr_parse(src, &err, &col);
	if (!e) {
		if (!err || col < 1 || (size_t)col > strlen(src) + 1) {
			fprintf(stderr, "syntax error without a message or column in range: col %d\n", col);
			abort();
		}
		free(err);
		free(src);
		return 0;
	}
	char *nsrc = xasprintf("not (%s)", src);
	char *nerr = NULL;
	expr *ne = expr_parse(nsrc, &nerr, &col);
	free(nerr);

	const scenario *site = fuzz_site();
	expr_env env = {&site->site, sel, NULL};
	env.ud = &env;
	for (size_t i = 0; i < site->objects.n; i++) {
		bool r = false, nr = false;
		char *e1 = NULL, *e2 = NULL;
		int rc = expr_eval(e, &site->objects.items[i], &env, &r, &e1);
		if (ne) {
			int nrc = expr_eval(ne, &site->objects.items[i], &env, &nr, &e2);
			if (rc != nrc || (rc == 0 && r == nr)) {
				fprintf(stderr, "'%s' and its negation disagree on object %zu\n", src, i);
				abort();
			}
		}
		if (rc < 0 && !e1)
			abort(); /* an error always says why */
		free(e1);
		free(e2);
	}

	char **paths = NULL, **classes = NULL;
	size_t np = 0, nc = 0;
	expr_paths(e, &paths, &np);
	expr_select_classes(e, &classes, &nc);
	for (size_t i = 0; i < np; i++)
		free(paths[i]);
	for (size_t i = 0; i < nc; i++)
		free(classes[i]);
	free(paths);
	free(classes);

	/* The engine path: the expression as an "all" expectation on a few classes. */
	static const char *probe_classes[] = {"SMS_Advertisement", "SMS_SCI_ClientComp", "Registry",
					      "Certificate"};
	catalog cat;
	memset(&cat, 0, sizeof cat);
	target *t = fuzz_target_open(NULL);
	engine eng;
	if (engine_init(&eng, t, &cat, &err) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(probe_classes); i++) {
			collect probe;
			memset(&probe, 0, sizeof probe);
			probe.cls = (char *)probe_classes[i];
			check k;
			memset(&k, 0, sizeof k);
			k.id = (char *)"fuzz.expr";
			k.title = (char *)"fuzz";
			k.section = (char *)"fuzz";
			k.kind = KIND_AUTOMATED;
			k.basis = BASIS_DOCUMENTED;
			k.probe = &probe;
			k.quant = (quantifier)(size % 3);
			k.pred = e;
			k.pred_src = src;
			result r;
			engine_run(&eng, &k, &r);
			result_release(&r);
		}
	} else {
		free(err);
	}
	engine_release(&eng);
	target_close(t);
	expr_free(ne);
	expr_free(e);
	free(nsrc);
	free(src);
	return 0;
}
