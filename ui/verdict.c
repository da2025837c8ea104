/* verdict.c — the operator's verdicts: attest an attestation check with a
 * answer (compliant or not) and a note, or waive any check with a reason and
 * an expiry date (or, written out, 'permanent'). Both are
 * recorded in the journal (journal_attest, journal_waive) with the operator's
 * name; the check then shows as attested or waived until the waiver expires. */
#include "config.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "screens.h"
#include "widget.h"

#include <stdlib.h>
#include <string.h>

typedef struct verdict_req {
	size_t idx;
	bool waive;
} verdict_req;

/* The waiver's expiry as typed: a date, or the word for "no expiry", which the
 * operator must write out (a waiver without an end is a deliberate choice). */
static bool permanent_word(const char *s)
{
	return !strcmp(s, "permanent") || !strcmp(s, _("permanent"));
}

static bool record(ui_app *a, void *ud, char **values, int button)
{
	verdict_req *v = ud;
	if (!values) {
		ui_message(a, R_DIM, _("Nothing was recorded."));
		return true;
	}
	const check *k = a->checks[v->idx];
	const char *text = values[0];
	const char *until = v->waive ? values[1] : NULL;
	/* attest: button 0 is "Compliant", button 1 "Not compliant". */
	bool compliant = button == 0;
	if (!*text) {
		ui_message(a, R_WARNING, v->waive ? _("A reason is required.") : _("A note is required."));
		return false;
	}
	if (v->waive && permanent_word(until)) {
		until = NULL;
	} else if (v->waive && !remedy_valid_until(until)) {
		ui_message(a, R_WARNING, *until ? _("The expiry must be a date from today on, as YYYY-MM-DD, or 'permanent'.")
						: _("A waiver needs an expiry: a date as YYYY-MM-DD, or 'permanent'."));
		return false;
	}
	char *err = NULL;
	int64_t id = -1;
	if (app_journal(a, true, &err) == 0 && remedy_session(&a->rem, "wizard", &err) == 0)
		id = v->waive ? journal_waive(a->j, a->rem.session, k->id, text, until, remedy_operator(), &err)
			      : journal_attest(a->j, a->rem.session, k->id, compliant, text, remedy_operator(), &err);
	if (id < 0) {
		ui_alert(a, _("The journal cannot be used"), err ? err : "");
		free(err);
		return true;
	}
	if (app_load_verdicts(a, &err) < 0) {
		ui_message(a, R_ERROR, "%s", err);
		free(err);
	}
	app_refresh(a);
	app_run_check(a, v->idx);
	disp_status ds = app_status(a, v->idx);
	ui_message(a, ds_role(ds),
		   v->waive ? _("Waiver %lld recorded; the check now reads: %s")
			    : _("Attestation %lld recorded; the check now reads: %s"),
		   (long long)id, ds_label(ds));
	return true;
}

void verdict_attest(ui_app *a, size_t idx)
{
	const check *k = a->checks[idx];
	if (k->kind != KIND_ATTESTATION) {
		ui_message(a, R_WARNING, _("This is an automated check: the site decides it. To accept a deviation, waive it (w)."));
		return;
	}
	verdict_req *v = xcalloc(1, sizeof *v);
	v->idx = idx;
	char *body = xasprintf(_("%s\n\nAnswer Compliant or Not compliant; a site that is not compliant fails this "
				 "check, with your note as the finding. Your answer is recorded in the journal as "
				 "%s, with the time. Say what you looked at and what you found (Enter starts a new "
				 "line, Tab goes to the answers)."),
			       content_text(k->attest_question ? k->attest_question : k->title), remedy_operator());
	char *title = xasprintf(_("Attest: %s"), k->id);
	form_field f[] = {{_("Note"), "", 4000, 4}};
	const char *answers[] = {_("Compliant"), _("Not compliant")};
	ui_push(a, form_new(title, body, f, 1, answers, 2, record, v));
	free(body);
	free(title);
}

void verdict_waive(ui_app *a, size_t idx)
{
	const check *k = a->checks[idx];
	verdict_req *v = xcalloc(1, sizeof *v);
	v->idx = idx;
	v->waive = true;
	char *body = xasprintf(_("%s\n\nA waiver records that this practice is deliberately not met, why, and until "
				 "when. The check then reads as waived (its own result stays in the reason) until "
				 "the waiver expires. It is recorded in the journal as %s."),
			       content_text(k->title), remedy_operator());
	char *title = xasprintf(_("Waive: %s"), k->id);
	form_field f[] = {{_("Reason"), "", 1000, 0}, {_("Until (YYYY-MM-DD, or 'permanent')"), "", 10, 0}};
	const char *rec[] = {_("Record")};
	ui_push(a, form_new(title, body, f, 2, rec, 1, record, v));
	free(body);
	free(title);
}
