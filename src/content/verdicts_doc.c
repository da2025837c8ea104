/* verdicts_doc.c — what decides each check, written from the loaded content
 * (verdicts_doc.h). The wording around the content's own text says what the
 * engine does with each field (src/check/engine.c), so it holds for every check. */
#include "config.h"
#include "content/verdicts_doc.h"

#include <string.h>

/* Why an attestation cannot be decided from the site: the three reasons the
 * content format allows (`attestation.reason`, doc/content-format.md). */
static const char *reason_text(const char *reason)
{
	if (!reason)
		return "not given";
	if (!strcmp(reason, "judgment"))
		return "judgment: Microsoft's documentation states the practice, but whether the site "
		       "meets it depends on facts of this environment that the site does not hold "
		       "(which content is sensitive, who needs access, what a collection or server is "
		       "for); the operator judges them from the evidence.";
	if (!strcmp(reason, "procedural"))
		return "procedural: the practice is something people do or a process outside the site "
		       "(how media, certificates, images or exported files are handled); the site "
		       "keeps no record of it that could be read.";
	if (!strcmp(reason, "unconfirmed"))
		return "unconfirmed: the setting that would decide it is not documented for "
		       "Configuration Manager 2007 (its property name, or the meaning of its values, "
		       "is not confirmed by Microsoft's pages), so its value is shown as evidence and "
		       "not judged by machine.";
	return reason;
}

/* Prose from the content, with '<' escaped so that placeholders such as
 * <site code> are shown rather than taken for HTML. */
static void prose(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<' || *s == '>')
			fputc('\\', out);
		fputc(*s, out);
	}
}

static void objects(FILE *out, const collect *c)
{
	fprintf(out, "`%s` object", c->cls);
	if (c->where_src)
		fprintf(out, " where `%s`", c->where_src);
}

static void refs(FILE *out, const char *what, const reference *r, size_t n)
{
	if (!n)
		return;
	fprintf(out, "- %s: ", what);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? "; " : "", out);
		prose(out, r[i].title);
		fprintf(out, " <%s>", r[i].url);
	}
	fputs("\n", out);
}

static void applies_if(FILE *out, const check *k)
{
	if (!k->applies_if)
		return;
	fputs("- Applies only if there is a ", out);
	objects(out, k->applies_if);
	fputs("; otherwise not applicable", out);
	if (k->applies_if->reason) {
		fputs(" (", out);
		prose(out, k->applies_if->reason);
		fputs(")", out);
	}
	fputs(".\n", out);
}

static const char *empty_text(const check *k)
{
	return k->when_empty == EMPTY_PASS ? "pass" : "not applicable";
}

/* The automated rule of an automated check: which objects, which expression. */
static void automated_rule(FILE *out, const check *k)
{
	static const char *const q[] = {"every", "at least one", "no"};
	static const char *const must[] = {"must satisfy", "must satisfy", "may satisfy"};
	fprintf(out, "- Decided by: %s ", q[k->quant]);
	objects(out, k->probe);
	fprintf(out, " %s `%s`. When there is no such object: %s.\n", must[k->quant], k->pred_src,
		empty_text(k));
}

/* The automated part of a fail-or-ask check: when it fails by itself. */
static void fail_rule(FILE *out, const check *k)
{
	fputs("- Fails by itself when ", out);
	switch (k->quant) {
	case Q_ALL:
		fputs("a ", out);
		objects(out, k->probe);
		fprintf(out, " does not satisfy `%s`", k->pred_src);
		break;
	case Q_ANY:
		fputs("no ", out);
		objects(out, k->probe);
		fprintf(out, " satisfies `%s`", k->pred_src);
		break;
	case Q_NONE:
		fputs("a ", out);
		objects(out, k->probe);
		fprintf(out, " satisfies `%s`", k->pred_src);
		break;
	}
	fprintf(out, " (basis: %s). When there is no such object: %s; otherwise the operator is asked.\n",
		basis_name(k->basis), empty_text(k));
}

static void evidence(FILE *out, const check *k)
{
	if (!k->nevidence)
		return;
	fputs("- Evidence shown:", out);
	for (size_t i = 0; i < k->nevidence; i++) {
		fputs(i ? ";" : "", out);
		fputs(" ", out);
		prose(out, k->evidence[i].label);
		fprintf(out, " (`%s`", k->evidence[i].cls);
		if (k->evidence[i].where_src)
			fprintf(out, " where `%s`", k->evidence[i].where_src);
		fputs(")", out);
	}
	fputs(".\n", out);
}

static void question(FILE *out, const check *k)
{
	fputs("- Why the site cannot decide it: ", out);
	prose(out, reason_text(k->attest_reason));
	fputs("\n- The operator is asked: ", out);
	prose(out, k->attest_question);
	fputs("\n", out);
}

static void one_check(FILE *out, const check *k)
{
	fprintf(out, "### `%s`\n\n", k->id);
	prose(out, k->title);
	fputs("\n\n", out);
	if (k->fail_or_ask) {
		fprintf(out, "- Kind: **fail-or-ask** (automated part %s)\n", basis_name(k->basis));
		applies_if(out, k);
		fail_rule(out, k);
		if (k->basis_note) {
			fputs("- Basis of the automated part: ", out);
			prose(out, k->basis_note);
			fputs("\n", out);
		}
		refs(out, "Cited for the automated part", k->fail_refs, k->nfail_refs);
		question(out, k);
		evidence(out, k);
		refs(out, "References", k->refs, k->nrefs);
	} else if (k->kind == KIND_AUTOMATED) {
		fprintf(out, "- Kind: **automated** (%s)\n", basis_name(k->basis));
		applies_if(out, k);
		automated_rule(out, k);
		if (k->basis_note) {
			fputs("- Basis: ", out);
			prose(out, k->basis_note);
			fputs("\n", out);
		}
		refs(out, "Cited", k->refs, k->nrefs);
		evidence(out, k);
	} else {
		fputs("- Kind: **attestation**\n", out);
		applies_if(out, k);
		question(out, k);
		evidence(out, k);
		refs(out, "References", k->refs, k->nrefs);
	}
	if (k->nfixes) {
		fputs("- Fixes:", out);
		for (size_t i = 0; i < k->nfixes; i++)
			fprintf(out, "%s `%s`", i ? "," : "", k->fixes[i]);
		fputs("\n", out);
	}
	fputs("\n", out);
}

typedef struct tally {
	size_t automated[3]; /* by check_basis */
	size_t fail_or_ask;
	size_t attest_judgment, attest_procedural, attest_unconfirmed;
	size_t total;
} tally;

static void count(tally *t, const check *k)
{
	t->total++;
	if (k->fail_or_ask)
		t->fail_or_ask++;
	else if (k->kind == KIND_AUTOMATED)
		t->automated[k->basis]++;
	else if (k->attest_reason && !strcmp(k->attest_reason, "judgment"))
		t->attest_judgment++;
	else if (k->attest_reason && !strcmp(k->attest_reason, "procedural"))
		t->attest_procedural++;
	else
		t->attest_unconfirmed++;
}

static void tally_row(FILE *out, const char *name, const tally *t)
{
	size_t autom = t->automated[BASIS_DOCUMENTED] + t->automated[BASIS_INFERRED] + t->automated[BASIS_NONE];
	size_t att = t->attest_judgment + t->attest_procedural + t->attest_unconfirmed;
	fprintf(out, "| %s | %zu | %zu (%zu documented, %zu inferred) | %zu | %zu (%zu judgment, %zu procedural, %zu unconfirmed) |\n",
		name, t->total, autom, t->automated[BASIS_DOCUMENTED], t->automated[BASIS_INFERRED], t->fail_or_ask,
		att, t->attest_judgment, t->attest_procedural, t->attest_unconfirmed);
}

void verdicts_doc_write(const catalog *cat, FILE *out)
{
	tally in = {0}, beyond = {0};
	for (size_t s = 0; s < cat->nsections; s++)
		for (size_t i = 0; i < cat->sections[s].n; i++)
			count(cat->sections[s].beyond ? &beyond : &in, &cat->sections[s].checks[i]);

	fputs("# What decides each check\n\n"
	      "<!-- Made by `cmharden content verdicts` from checks/; do not edit by hand. After a\n"
	      "     change to the content, run `make update-verdicts-doc`; tests/cli/doc_verdicts.sh\n"
	      "     fails while this file differs from what the content makes. -->\n\n"
	      "Every check has one of three kinds (doc/content-format.md):\n\n"
	      "- **automated**: an expression over objects read from the site decides pass or fail.\n"
	      "  Only facts Microsoft's documentation states are automated; the basis says whether\n"
	      "  the meaning of the values is stated on the cited pages (documented) or deduced from\n"
	      "  them (inferred, with the deduction written out).\n"
	      "- **fail-or-ask**: an expression finds documented evidence of a violation and fails the\n"
	      "  check by itself; when it finds none, the operator is asked, with the evidence.\n"
	      "- **attestation**: the site cannot decide it; the operator is shown the evidence and\n"
	      "  asked the question, and the answer is recorded with a note.\n\n"
	      "## Counts\n\n"
	      "| Scope | Checks | Automated | Fail-or-ask | Attestation |\n"
	      "|---|---|---|---|---|\n",
	      out);
	tally_row(out, "Microsoft's 2007 checklist", &in);
	tally_row(out, "Beyond the checklist", &beyond);
	fputs("\n", out);

	int num = 0;
	for (size_t s = 0; s < cat->nsections; s++) {
		const section *sec = &cat->sections[s];
		if (sec->beyond)
			fputs("## Beyond the checklist: ", out);
		else
			fprintf(out, "## %d. ", ++num);
		prose(out, sec->title);
		fprintf(out, " (`%s`, %zu check%s)\n\n", sec->id, sec->n, sec->n == 1 ? "" : "s");
		if (!sec->n && sec->note) {
			prose(out, sec->note);
			fputs("\n\n", out);
		}
		for (size_t i = 0; i < sec->n; i++)
			one_check(out, &sec->checks[i]);
	}
}
