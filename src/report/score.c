/* score.c — evaluating a lab scenario's goals (see score.h). */
#include "config.h"
#include "report/score.h"
#include "content/content_i18n.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

bool score_time_counts(const char *at, const char *since)
{
	if (!since || !*since)
		return true;
	return strncmp(at, since, 19) >= 0;
}

/* The newest attestation of the check made since the lab was (re)created
 * (whatever its answer: the caller decides whether the answer meets the goal). */
static const jq_attest *counted_attest(const jq_view *jv, const char *id, const char *since)
{
	const jq_attest *a = jq_attestation_for(jv, id);
	return a && score_time_counts(a->at, since) ? a : NULL;
}

static const jq_waiver *counted_waiver(const jq_view *jv, const char *id, const char *since, const char *today)
{
	const jq_waiver *w = jq_waiver_for(jv, id, today);
	return w && score_time_counts(w->at, since) ? w : NULL;
}

int score_eval(lab_score *out, const scenario *s, engine *e, const jq_view *jv, const char *since,
	       const char *today, char **err)
{
	memset(out, 0, sizeof *out);
	out->items = xcalloc(s->ngoals ? s->ngoals : 1, sizeof *out->items);
	for (size_t i = 0; i < s->ngoals; i++) {
		const goal *g = &s->goals[i];
		const check *k = catalog_find(e->cat, g->check);
		if (!k) {
			*err = xasprintf(_("the goal for '%s' names a check the checklist does not have"
					   " (run 'cmharden content lint')"),
					 g->check);
			score_release(out);
			return -1;
		}
		goal_eval *ge = &out->items[out->n++];
		ge->g = g;
		ge->chk = k;
		result r;
		engine_run(e, k, &r);
		ge->status = r.status;
		ge->reason = r.reason ? xstrdup(r.reason) : NULL;
		ge->offending = r.offending;
		result_release(&r);
		if (ge->status == ST_PASS)
			ge->state |= GOAL_PASS;
		if (ge->status == ST_NOT_APPLICABLE)
			ge->state |= GOAL_NOT_APPLICABLE;
		if (jv) {
			ge->attest = counted_attest(jv, k->id, since);
			ge->waiver = counted_waiver(jv, k->id, since, today);
		}
		/* An attestation answers a question that is asked: not a fail-or-ask
		 * check's violation found by its automated part, nor a check that does
		 * not apply (applies_if). It meets a goal only with the answer the goal
		 * wants: "no" where the trainee should find the site not compliant. */
		bool answerable = k->kind != KIND_ATTESTATION || ge->status == ST_NEEDS_ATTESTATION;
		if (ge->attest && answerable && ge->attest->compliant != g->not_compliant)
			ge->state |= GOAL_ATTESTED;
		if (ge->waiver)
			ge->state |= GOAL_WAIVED;
		/* The verdict as `check` and the reports give it: a waiver, then the
		 * attestation's answer, then the site. */
		ge->verdict = ge->status;
		if (ge->waiver)
			ge->verdict = ST_WAIVED;
		else if (ge->attest && k->kind == KIND_ATTESTATION && answerable)
			ge->verdict = ge->attest->compliant ? ST_ATTESTED : ST_FAIL;
		ge->met = (ge->state & g->want) != 0;
		out->met += ge->met;
	}
	return 0;
}

void score_goal_text(const goal *g, const catalog *cat, strbuf *out)
{
	static const char *names[] = {N_("pass"), N_("not applicable"), N_("attested"), N_("waived")};
	const check *k = catalog_find(cat, g->check);
	sb_addf(out, "%s (%s): ", k ? content_text(k->title) : g->check, g->check);
	bool first = true;
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (g->want & (1u << i)) {
			if (!first)
				sb_adds(out, _(" or "));
			sb_adds(out, (1u << i) == GOAL_ATTESTED && g->not_compliant ? _("attested not compliant") : _(names[i]));
			first = false;
		}
	if (g->note)
		sb_addf(out, "\n%s", content_text(g->note));
}

void score_release(lab_score *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free(sc->items[i].reason);
	free(sc->items);
	memset(sc, 0, sizeof *sc);
}
