/* report_json.c — the report as one JSON document (see report.h). Every string
 * is escaped by json.h; values keep their types (integers stay integers). This is
 * the complete form: evidence tables are never cut. */
#include "config.h"
#include "report/report.h"
#include "report/report_paths.h"
#include "base/json.h"
#include "report/results_out.h"

#include <stdlib.h>
#include <string.h>

static void kv_str(strbuf *sb, const char *k, const char *v, bool comma)
{
	if (comma)
		sb_addc(sb, ',');
	json_str(sb, k);
	sb_addc(sb, ':');
	if (v)
		json_str(sb, v);
	else
		sb_adds(sb, "null");
}

static void kv_int(strbuf *sb, const char *k, long long v)
{
	sb_addc(sb, ',');
	json_str(sb, k);
	sb_addf(sb, ":%lld", v);
}

static void kv_id(strbuf *sb, const char *k, int64_t v)
{
	sb_addc(sb, ',');
	json_str(sb, k);
	if (v)
		sb_addf(sb, ":%lld", (long long)v);
	else
		sb_adds(sb, ":null");
}

static void counts_json(strbuf *sb, const size_t counts[ST_COUNT])
{
	size_t total = 0;
	sb_addc(sb, '{');
	for (int s = 0; s < ST_COUNT; s++) {
		sb_addf(sb, "%s\"%s\":%zu", s ? "," : "", status_name((check_status)s), counts[s]);
		total += counts[s];
	}
	sb_addf(sb, ",\"total\":%zu}", total);
}

static void attest_json(strbuf *sb, const jq_attest *a)
{
	sb_addf(sb, "{\"id\":%lld", (long long)a->id);
	kv_int(sb, "session", a->session);
	kv_str(sb, "check", a->check_id, true);
	kv_str(sb, "answer", a->compliant ? "compliant" : "not_compliant", true);
	kv_str(sb, "note", a->note, true);
	kv_str(sb, "operator", a->operator_, true);
	kv_str(sb, "at", a->at, true);
	sb_addc(sb, '}');
}

static void waiver_json(strbuf *sb, const report *r, const jq_waiver *w)
{
	sb_addf(sb, "{\"id\":%lld", (long long)w->id);
	kv_int(sb, "session", w->session);
	kv_str(sb, "check", w->check_id, true);
	kv_str(sb, "reason", w->reason, true);
	kv_str(sb, "until", *w->until ? w->until : NULL, true);
	sb_addf(sb, ",\"permanent\":%s", *w->until ? "false" : "true");
	kv_str(sb, "operator", w->operator_, true);
	kv_str(sb, "at", w->at, true);
	const char *standing = report_waiver_standing(r, w);
	sb_addf(sb, ",\"expired\":%s,\"in_force\":%s}", !strcmp(standing, "expired") ? "true" : "false",
		!strcmp(standing, "in_force") ? "true" : "false");
}

static void change_json(strbuf *sb, const report_change *x)
{
	const jq_change *c = x->c;
	const jq_run *run = x->run;
	sb_addf(sb, "{\"id\":%lld", (long long)c->id);
	kv_int(sb, "session", c->session);
	kv_int(sb, "run", c->run);
	kv_str(sb, "run_kind", run ? run->kind : NULL, true);
	kv_str(sb, "fix", run ? run->fix_id : NULL, true);
	kv_str(sb, "check", run ? run->check_id : NULL, true);
	kv_str(sb, "class", c->cls, true);
	kv_str(sb, "key", c->key, true);
	kv_str(sb, "property", c->prop, true);
	sb_adds(sb, ",\"before\":");
	json_value(sb, &c->before);
	sb_adds(sb, ",\"after\":");
	json_value(sb, &c->after);
	if (c->has_observed) {
		sb_adds(sb, ",\"observed\":");
		json_value(sb, &c->observed);
	}
	kv_str(sb, "state", change_state_name(c->state), true);
	kv_id(sb, "undoes", c->undoes);
	kv_id(sb, "undone_by", c->undone_by);
	kv_str(sb, "updated", c->updated, true);
	kv_str(sb, "planned_at", c->planned_at, true);
	kv_str(sb, "applied_at", c->applied_at, true);
	kv_str(sb, "undone_at", c->undone_at, true);
	kv_str(sb, "operator", x->session ? x->session->operator_ : NULL, true);
	sb_addc(sb, '}');
}

static void check_json(strbuf *sb, const report_check *rc)
{
	const check *k = rc->chk;
	sb_adds(sb, "{\"id\":");
	json_str(sb, k->id);
	kv_str(sb, "section", k->section, true);
	kv_str(sb, "title", k->title, true);
	kv_str(sb, "severity", severity_name(k->sev), true);
	kv_str(sb, "kind", check_kind_label(k), true);
	/* A fail-or-ask check's automated part has a basis like an automated check's. */
	kv_str(sb, "basis", k->kind == KIND_AUTOMATED || k->fail_or_ask ? basis_name(k->basis) : NULL, true);
	kv_str(sb, "decided_by", decided_name(report_decided_by(rc)), true);
	kv_str(sb, "automated_part", rc->res->auto_reason, true);
	kv_str(sb, "status", status_name(rc->status), true);
	kv_str(sb, "site_verdict", status_name(rc->res->status), true);
	kv_str(sb, "reason", rc->res->reason, true);
	kv_str(sb, "expected", rc->res->expected, true);
	kv_str(sb, "question", k->attest_question, true);
	kv_int(sb, "examined", (long long)rc->res->examined);
	kv_int(sb, "offending", (long long)rc->res->offending);
	sb_adds(sb, ",\"attestation\":");
	if (rc->attest)
		attest_json(sb, rc->attest);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"waiver\":");
	if (rc->waiver) {
		sb_addf(sb, "{\"id\":%lld", (long long)rc->waiver->id);
		kv_str(sb, "reason", rc->waiver->reason, true);
		kv_str(sb, "until", *rc->waiver->until ? rc->waiver->until : NULL, true);
		sb_addf(sb, ",\"permanent\":%s", *rc->waiver->until ? "false" : "true");
		kv_str(sb, "operator", rc->waiver->operator_, true);
		sb_addc(sb, '}');
	} else {
		sb_adds(sb, "null");
	}
	sb_adds(sb, ",\"evidence\":[");
	for (size_t t = 0; t < rc->res->ntables; t++) {
		if (t)
			sb_addc(sb, ',');
		results_json_table(sb, &rc->res->tables[t]);
	}
	sb_adds(sb, "]}");
}

static void head_json(strbuf *sb, const report *r)
{
	sb_adds(sb, "{\"report\":{");
	kv_str(sb, "schema_version", REPORT_SCHEMA_VERSION, false);
	kv_str(sb, "generator", PACKAGE_STRING, true);
	kv_str(sb, "generated_at", r->generated_at, true);
	kv_str(sb, "generated_by", r->generated_by, true);
	kv_str(sb, "host", r->host, true);
	kv_id(sb, "session", r->session);
	kv_str(sb, "scope", r->session ? "session" : "target", true);
	kv_str(sb, "today", r->today, true);
	sb_adds(sb, "}");
	sb_adds(sb, ",\"engagement\":{");
	kv_str(sb, "title", r->eng.title, false);
	kv_str(sb, "organisation", r->eng.organisation, true);
	kv_str(sb, "engagement", r->eng.engagement, true);
	kv_str(sb, "prepared_by", r->eng.prepared_by, true);
	sb_adds(sb, "}");
	kv_str(sb, "target", r->target, true);
	kv_str(sb, "target_description", r->target_desc, true);
	sb_adds(sb, ",\"site\":{");
	kv_str(sb, "code", r->site.code, false);
	kv_str(sb, "name", r->site.name, true);
	kv_str(sb, "server", r->site.server, true);
	kv_str(sb, "version", r->site.version, true);
	kv_str(sb, "build", r->site.build, true);
	kv_str(sb, "mode", r->site.mode, true);
	sb_addc(sb, '}');
	kv_str(sb, "checklist", r->cat->title, true);
	kv_str(sb, "content_digest", r->cat->digest, true);
}

static void id_list(strbuf *sb, const report *r, const size_t *idx, size_t n, bool actions)
{
	for (size_t i = 0; i < n; i++) {
		const report_check *rc = &r->checks[idx[i]];
		sb_adds(sb, i ? "," : "");
		if (!actions) {
			json_str(sb, rc->chk->id);
			continue;
		}
		char *cmd = report_action_command(rc);
		sb_adds(sb, "{\"check\":");
		json_str(sb, rc->chk->id);
		kv_str(sb, "severity", severity_name(rc->chk->sev), true);
		kv_str(sb, "status", status_name(rc->status), true);
		kv_str(sb, "how", report_action_kind(rc), true);
		kv_str(sb, "command", cmd, true);
		sb_addc(sb, '}');
		free(cmd);
	}
}

static void summary_json(strbuf *sb, const report *r)
{
	sb_adds(sb, ",\n\"summary\":{\"overall\":");
	counts_json(sb, r->counts);
	if (r->score >= 0)
		sb_addf(sb, ",\"score\":%d", r->score);
	else
		sb_adds(sb, ",\"score\":null");
	sb_addf(sb, ",\"failing_by_severity\":{\"high\":%zu,\"medium\":%zu,\"low\":%zu}", r->fail_by_sev[SEV_HIGH],
		r->fail_by_sev[SEV_MEDIUM], r->fail_by_sev[SEV_LOW]);
	sb_adds(sb, ",\"sections\":[");
	for (size_t s = 0; s < r->nsections; s++) {
		const section *sec = r->sections[s].sec;
		sb_adds(sb, s ? ",{\"id\":" : "{\"id\":");
		json_str(sb, sec->id);
		kv_str(sb, "title", sec->title, true);
		sb_adds(sb, ",\"counts\":");
		counts_json(sb, r->sections[s].counts);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\"findings\":[");
	id_list(sb, r, r->findings, r->nfindings, false);
	sb_adds(sb, "],\"actions\":[");
	id_list(sb, r, r->actions, r->nactions, true);
	const report_visit *v = &r->visit;
	sb_addf(sb, "],\"visit\":{\"applied\":%zu,\"undone\":%zu,\"failed\":%zu,\"other\":%zu,\"undo_changes\":%zu,"
		    "\"attestations\":%zu,\"waivers\":%zu}}",
		v->applied, v->undone, v->failed, v->other, v->undo_changes, v->attested, v->waived);
}

static void baseline_json(strbuf *sb, const report *r)
{
	sb_adds(sb, ",\n\"baseline\":");
	if (!r->base) {
		sb_adds(sb, "null");
		return;
	}
	sb_adds(sb, "{");
	kv_str(sb, "path", r->base->path, false);
	kv_str(sb, "generated_at", r->base->generated_at, true);
	kv_str(sb, "site", r->base->site_code, true);
	kv_str(sb, "content_digest", r->base->content_digest, true);
	sb_adds(sb, ",\"counts\":{");
	for (int k = 0; k < DIFF_KINDS; k++)
		sb_addf(sb, "%s\"%s\":%zu", k ? "," : "", diff_kind_name((diff_kind)k), r->diff.counts[k]);
	sb_adds(sb, "},\"items\":[");
	for (size_t i = 0; i < r->diff.n; i++) {
		const diff_item *d = &r->diff.items[i];
		sb_adds(sb, i ? ",{\"kind\":" : "{\"kind\":");
		json_str(sb, diff_kind_name(d->kind));
		kv_str(sb, "check", d->check_id, true);
		kv_str(sb, "was", d->was, true);
		kv_str(sb, "now", d->now, true);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]}");
}

static void journal_json(strbuf *sb, const report *r)
{
	sb_adds(sb, ",\n\"journal\":{");
	kv_str(sb, "path", r->journal_path, false);
	sb_addf(sb, ",\"present\":%s", r->have_journal ? "true" : "false");
	kv_str(sb, "verification",
	       !r->have_journal ? "no_journal" : r->verify == 0 ? "intact" : r->verify == 1 ? "altered" : "error",
	       true);
	kv_str(sb, "head", r->head, true);
	kv_str(sb, "problems", r->verify_text && *r->verify_text ? r->verify_text : NULL, true);
	sb_addf(sb, ",\"answers_applied\":%s", report_answers_applied(r) ? "true" : "false");
	sb_adds(sb, "}");
	sb_adds(sb, ",\n\"sessions\":[");
	for (size_t i = 0; i < r->nsessions; i++) {
		const jq_session *s = r->sessions[i];
		sb_addf(sb, "%s\n{\"id\":%lld", i ? "," : "", (long long)s->id);
		kv_str(sb, "started", s->started, true);
		kv_str(sb, "operator", s->operator_, true);
		kv_str(sb, "target", s->target, true);
		kv_str(sb, "site", s->site, true);
		kv_str(sb, "content_digest", s->digest, true);
		kv_str(sb, "command", s->command, true);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\n\"changes\":[");
	for (size_t i = 0; i < r->nchanges; i++) {
		sb_adds(sb, i ? ",\n" : "\n");
		change_json(sb, &r->changes[i]);
	}
}

static void records_json(strbuf *sb, const report *r)
{
	sb_adds(sb, "],\n\"results\":[");
	for (size_t i = 0; i < r->nresults; i++) {
		const jq_result *x = r->results[i];
		sb_addf(sb, "%s\n{\"id\":%lld", i ? "," : "", (long long)x->id);
		kv_int(sb, "session", x->session);
		kv_id(sb, "run", x->run);
		kv_str(sb, "check", x->check_id, true);
		kv_str(sb, "status", x->status, true);
		kv_str(sb, "reason", x->reason, true);
		kv_str(sb, "at", x->at, true);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "],\n\"attestations\":[");
	for (size_t i = 0; i < r->nattests; i++) {
		sb_adds(sb, i ? ",\n" : "\n");
		attest_json(sb, r->attests[i]);
	}
	sb_adds(sb, "],\n\"waivers\":[");
	for (size_t i = 0; i < r->nwaivers; i++) {
		sb_adds(sb, i ? ",\n" : "\n");
		waiver_json(sb, r, r->waivers[i]);
	}
	sb_adds(sb, "]");
}

int report_write_json(FILE *out, const report *r)
{
	strbuf sb = STRBUF_INIT;
	head_json(&sb, r);
	summary_json(&sb, r);
	baseline_json(&sb, r);
	journal_json(&sb, r);
	records_json(&sb, r);
	sb_adds(&sb, ",\n\"checks\":[");
	for (size_t i = 0; i < r->nchecks; i++) {
		sb_adds(&sb, i ? ",\n" : "\n");
		check_json(&sb, &r->checks[i]);
	}
	sb_adds(&sb, "\n]");
	report_paths_json(&sb, r);
	sb_adds(&sb, "}\n");
	int rc = fputs(sb_str(&sb), out) < 0 ? -1 : 0;
	sb_release(&sb);
	return rc;
}
