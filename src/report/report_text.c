/* report_text.c — the sentences the human formats (HTML, Markdown) share, so
 * the summary says the same thing in both. Translated; not escaped (each
 * emitter escapes for its format). */
#include "config.h"
#include "report/report.h"
#include "base/i18n.h"

#include <string.h>

const check_status report_bar_order[REPORT_BAR_N] = {ST_PASS,		   ST_ATTESTED, ST_WAIVED,
						     ST_NEEDS_ATTESTATION, ST_ERROR,	ST_FAIL};

void report_text_counts(strbuf *out, const size_t counts[ST_COUNT])
{
	bool any = false;
	for (size_t i = 0; i < REPORT_BAR_N; i++) {
		check_status s = report_bar_order[i];
		if (!counts[s])
			continue;
		sb_addf(out, "%s%zu %s", any ? ", " : "", counts[s], report_status_label(s));
		any = true;
	}
	if (counts[ST_NOT_APPLICABLE])
		sb_addf(out, "%s%zu %s", any ? ", " : "", counts[ST_NOT_APPLICABLE],
			report_status_label(ST_NOT_APPLICABLE));
	else if (!any)
		sb_adds(out, _("no check"));
}

void report_text_score(strbuf *out, const report *r)
{
	size_t applicable = r->ncounted - r->counts[ST_NOT_APPLICABLE];
	if (r->score < 0)
		sb_adds(out, _("No check applies to this site."));
	else
		sb_addf(out, _("Score: %d%% (%zu of %zu applicable checks pass or are attested)."), r->score,
			r->counts[ST_PASS] + r->counts[ST_ATTESTED], applicable);
}

void report_text_severity(strbuf *out, const report *r)
{
	sb_addf(out, _("Failing or in error: %zu high, %zu medium, %zu low severity."), r->fail_by_sev[SEV_HIGH],
		r->fail_by_sev[SEV_MEDIUM], r->fail_by_sev[SEV_LOW]);
}

void report_text_standing(strbuf *out, const report *r)
{
	report_text_score(out, r);
	sb_addc(out, ' ');
	report_text_severity(out, r);
	sb_addf(out, _(" Open questions: %zu. Waived: %zu."), r->counts[ST_NEEDS_ATTESTATION], r->counts[ST_WAIVED]);
	if (r->have_journal && !report_answers_applied(r))
		sb_adds(out, _(" The journal could not be proved unaltered: its attestations and waivers are not "
			       "applied to these verdicts."));
}

void report_text_visit(strbuf *out, const report *r)
{
	const report_visit *v = &r->visit;
	if (!r->have_journal) {
		sb_adds(out, _("Nothing was changed, attested or waived: there is no journal yet."));
		return;
	}
	sb_addf(out,
		_("Changes applied and in place: %zu; undone: %zu; failed: %zu. Attestations recorded: %zu; "
		  "waivers recorded: %zu."),
		v->applied, v->undone, v->failed, v->attested, v->waived);
}

void report_text_since(strbuf *out, const report *r)
{
	sb_addf(out, _("Since the baseline of %s: %zu fixed, %zu regressed, %zu newly attested."),
		r->base->generated_at ? r->base->generated_at : "?", r->diff.counts[DIFF_FIXED],
		r->diff.counts[DIFF_REGRESSED], r->diff.counts[DIFF_ATTESTED]);
}

void report_text_baseline(strbuf *out, const report *r)
{
	sb_addf(out, _("Compared with the report of %s (site %s, content %s), read from %s."),
		r->base->generated_at ? r->base->generated_at : "?", r->base->site_code ? r->base->site_code : "?",
		r->base->content_digest ? r->base->content_digest : "?", r->base->path);
}

static const struct {
	const char *kind, *label, *explained;
} actions[] = {
	{"fix", N_("automated fix"),
	 N_("automated fix: previewed, confirmed, verified and undoable (in the wizard: f on the check)")},
	{"console", N_("console steps"), N_("console steps: follow the finding's console path, then run the check again")},
	{"decide", N_("decision"),
	 N_("decision: answer yes or no with a note, or waive with a reason and an end date or permanently (in the "
	    "wizard: a or w on the check)")},
	{"investigate", N_("investigate"), N_("investigate: find out why the check could not run, then run it again")},
};

const char *report_action_text(const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(kind, actions[i].kind))
			return _(actions[i].label);
	return kind;
}

void report_text_actions_legend(strbuf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		sb_addf(out, "%s%s.", i ? " " : "", _(actions[i].explained));
}

char *report_kind_text(const check *k)
{
	if (k->kind == KIND_AUTOMATED)
		return xasprintf(_("automated (%s)"), _(basis_name(k->basis)));
	if (k->fail_or_ask)
		return xasprintf(_("fail-or-ask (%s)"), _(basis_name(k->basis)));
	return xstrdup(_("attestation"));
}

const char *report_standing_label(const char *standing)
{
	return !strcmp(standing, "expired")    ? _("expired")
	       : !strcmp(standing, "in_force") ? _("in force")
					       : _("replaced by a newer waiver");
}

char *report_journal_state(const report *r)
{
	return !r->have_journal ? xstrdup(_("no journal yet"))
	       : r->verify == 0 ? xasprintf(_("intact, head %s"), r->head ? r->head : "?")
	       : r->verify == 1 ? xasprintf(_("ALTERED, head %s"), r->head ? r->head : "?")
				: xstrdup(_("could not be verified"));
}

char *report_scope_text(const report *r)
{
	return r->session ? xasprintf(_("session %lld"), (long long)r->session)
			  : xstrdup(_("everything recorded for the target"));
}
