/* probe_rights_test.c — the account's rights on the SMS Provider in the probe
 * (doc/agent-protocol.md, "probe": `right` lines) and how the doctor shows
 * them per class the fixes change. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "check/doctor.h"
#include "target/agent_proto.h"
#include "target/probe.h"
#include "testutil.h"

static void refused(const char *const *lines, const char *why)
{
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, 2, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), -1, "accepted, should be refused: %s", lines[0]);
	cr_assert(strstr(e.msg, why), "'%s' does not say '%s'", e.msg, why);
	ap_response_release(&r);
}

Test(rights, the_answer_keeps_each_class_with_its_state)
{
	const char *lines[] = {"source 2 provider CM01 ok",
			       "right 2 SMS_Advertisement modify no",
			       "right 2 SMS_Package modify yes",
			       "right 2 SMS_Collection modify unknown Access%20denied%20",
			       "changes 2 yes",
			       "end 2",
			       NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, 2, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.probe.nrights, 3);
	const probe_right *adv = probe_find_right(&r.probe, "sms_advertisement", "modify");
	cr_assert_not_null(adv, "classes are found whatever their case");
	cr_assert_eq(adv->state, RIGHT_NO);
	cr_assert_null(adv->message);
	cr_assert_eq(probe_find_right(&r.probe, "SMS_Package", "modify")->state, RIGHT_YES);
	const probe_right *col = probe_find_right(&r.probe, "SMS_Collection", "modify");
	cr_assert_eq(col->state, RIGHT_UNKNOWN);
	cr_assert_str_eq(col->message, "Access denied ");
	cr_assert_null(probe_find_right(&r.probe, "SMS_SCI_ClientComp", "modify"), "a class not answered is not known");
	cr_assert_null(probe_find_right(&r.probe, "SMS_Package", "delete"));
	ap_response_release(&r);
}

Test(rights, malformed_right_lines_are_refused)
{
	const char *nostate[] = {"right 2 SMS_Package modify", NULL};
	refused(nostate, "CLASS RIGHT yes|no|unknown");
	/* "maybe" is not a state: a right is never guessed from a word it does not know. */
	const char *maybe[] = {"right 2 SMS_Package modify maybe", NULL};
	refused(maybe, "yes|no|unknown");
	const char *extra[] = {"right 2 SMS_Package modify no why more", NULL};
	refused(extra, "CLASS RIGHT");
}

Test(rights, written_rights_read_back_the_same)
{
	probe_result p;
	probe_init(&p);
	probe_put_right(&p, "SMS_Advertisement", "modify", RIGHT_YES, NULL);
	probe_put_right(&p, "SMS_Package", "modify", RIGHT_UNKNOWN, "The RPC server is unavailable.");
	probe_put_right(&p, "SMS_Advertisement", "modify", RIGHT_NO, NULL); /* replaces */
	p.can_change = true;
	strbuf out = STRBUF_INIT;
	ap_write_probe(&out, 7, &p);
	cr_assert(strstr(sb_str(&out), "right 7 SMS_Advertisement modify no\n"), "%s", sb_str(&out));
	ap_response r;
	ap_response_init(&r, AP_REQ_PROBE, 7, NULL, 0);
	ap_error e;
	cr_assert_eq(tu_feed_stream(&r, sb_str(&out), out.len, &e), 1, "%s", e.msg);
	cr_assert_eq(r.probe.nrights, 2);
	cr_assert_eq(probe_find_right(&r.probe, "SMS_Advertisement", "modify")->state, RIGHT_NO);
	cr_assert_str_eq(probe_find_right(&r.probe, "SMS_Package", "modify")->message, "The RPC server is unavailable.");
	ap_response_release(&r);
	sb_release(&out);
	probe_release(&p);
}

/* A report as doctor_run leaves it: the classes the fixes change, and the probe. */
static void add_class(doctor_report *r, const char *cls, const char *fix_id)
{
	size_t c = r->nchange_classes++;
	r->change_classes = xrealloc(r->change_classes, r->nchange_classes * sizeof *r->change_classes);
	r->change_fixes = xrealloc(r->change_fixes, r->nchange_classes * sizeof *r->change_fixes);
	r->nchange_fixes = xrealloc(r->nchange_fixes, r->nchange_classes * sizeof *r->nchange_fixes);
	r->change_classes[c] = xstrdup(cls);
	r->change_fixes[c] = xcalloc(1, sizeof *r->change_fixes[c]);
	r->change_fixes[c][0] = xstrdup(fix_id);
	r->nchange_fixes[c] = 1;
}

/* The line of the report about a class (from its start to its end). */
static char *line_of(const char *text, const char *cls)
{
	char *want = xasprintf("\n  %s ", cls);
	const char *at = strstr(text, want);
	free(want);
	cr_assert_not_null(at, "no line for %s in:\n%s", cls, text);
	at++;
	return xstrndup(at, strcspn(at, "\n"));
}

Test(rights, the_doctor_names_the_fixes_a_missing_right_blocks)
{
	doctor_report r;
	memset(&r, 0, sizeof r);
	probe_init(&r.probe);
	r.probed = true;
	r.ok = true;
	r.probe.can_change = true;
	add_class(&r, "SMS_Advertisement", "swdist.download-content.download");
	add_class(&r, "SMS_Package", "pkg.fix");
	add_class(&r, "SMS_SCI_ClientComp", "inv.disable-mif.disable");
	add_class(&r, "SMS_Collection", "col.fix");
	probe_put_right(&r.probe, "SMS_Advertisement", "modify", RIGHT_NO, NULL);
	probe_put_right(&r.probe, "SMS_Package", "modify", RIGHT_YES, NULL);
	probe_put_right(&r.probe, "SMS_Collection", "modify", RIGHT_UNKNOWN, "Access denied ");
	strbuf t = STRBUF_INIT;
	doctor_text(&r, &t);
	char *adv = line_of(sb_str(&t), "SMS_Advertisement");
	cr_assert(strstr(adv, "no MODIFY right") && strstr(adv, "swdist.download-content.download"), "%s", adv);
	char *pkg = line_of(sb_str(&t), "SMS_Package");
	cr_assert(strstr(pkg, "may modify") && strstr(pkg, "pkg.fix"), "%s", pkg);
	/* Not asked, or the question failed: never shown as granted. */
	char *sci = line_of(sb_str(&t), "SMS_SCI_ClientComp");
	cr_assert(strstr(sci, "not probed") && !strstr(sci, "may modify"), "%s", sci);
	char *col = line_of(sb_str(&t), "SMS_Collection");
	cr_assert(strstr(col, "could not be asked") && strstr(col, "Access denied") && !strstr(col, "may modify"),
		  "%s", col);
	free(adv);
	free(pkg);
	free(sci);
	free(col);
	sb_release(&t);
	doctor_release(&r);
}

Test(rights, a_target_without_rights_in_its_probe_says_they_were_not_probed)
{
	doctor_report r;
	memset(&r, 0, sizeof r);
	probe_init(&r.probe);
	r.probe.can_change = true;
	add_class(&r, "SMS_Advertisement", "swdist.download-content.download");
	strbuf t = STRBUF_INIT;
	doctor_text(&r, &t);
	cr_assert(strstr(sb_str(&t), "Rights on the SMS Provider: not probed by this target"), "%s", sb_str(&t));
	cr_assert_not(strstr(sb_str(&t), "may modify"), "%s", sb_str(&t));
	sb_release(&t);
	doctor_release(&r);
}
