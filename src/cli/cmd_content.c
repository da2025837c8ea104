/* cmd_content.c — `cmharden content lint [DIR]` and `cmharden list`. */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "content/catalog.h"
#include "cli/cli.h"
#include "content/content_i18n.h"
#include "content/fix.h"
#include "base/i18n.h"
#include "base/json.h"
#include "content/lab.h"
#include "content/verdicts_doc.h"

static int lint_help(void)
{
	puts(_("Usage: cmharden content lint [DIR]\n"
	       "Validate the checks, fixes and lab scenarios under DIR (default: the content\n"
	       "cmharden runs with). Every problem is printed as FILE:LINE:COL: MESSAGE.\n"
	       "Exit status: 0 if the content is valid, 1 if it has problems."));
	puts(_("\nUsage: cmharden content verdicts [DIR]\n"
	       "Write, as Markdown, what decides each check of the content under DIR: the\n"
	       "expression and cited pages of automated parts, and for attestations why the\n"
	       "site cannot decide and what the operator is shown (doc/verdicts.md)."));
	return EXIT_PASS;
}

static int content_lint(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h')
			return lint_help();
		return cli_usage_error("content lint ", _("unknown option '%s'"), argv[optind - 1]);
	}
	if (argc - optind > 1)
		return cli_usage_error("content lint ", _("only one directory may be given"));
	const char *dir_arg = optind < argc ? argv[optind] : NULL;
	char *dir = dir_arg ? xstrdup(dir_arg) : session_content_dir(g);
	diags d;
	diags_init(&d);
	catalog cat;
	catalog_load(&cat, dir, &d);
	int nfixes = fixes_lint(dir, &cat, &d);
	size_t nlabs = lab_lint_dir(dir, &cat, &d);
	diags_print(&d, stdout);
	int rc = d.n ? EXIT_FINDINGS : EXIT_PASS;
	if (d.n)
		fprintf(stderr, _("%zu problem(s) found in %s\n"), d.n, dir);
	else {
		size_t ns, nc;
		catalog_checklist_counts(&cat, &ns, &nc);
		fprintf(stderr,
			_("%s: %zu sections, %zu checks in the checklist, %zu beyond it, %zu attack techniques,"
			  " %d fixes, %zu lab scenarios: no problems\n"),
			dir, ns, nc, cat.nchecks - nc, cat.ntechniques, nfixes, nlabs);
	}
	catalog_release(&cat);
	diags_release(&d);
	free(dir);
	return rc;
}

/* `cmharden content pot [DIR]`: the template of the content's translatable text
 * (the cmharden-content gettext domain, doc/translating.md). */
static int content_pot(const cli_opts *g, int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	if (getopt_long(argc, argv, "", none, NULL) != -1)
		return cli_usage_error("content pot ", _("unknown option '%s'"), argv[optind - 1]);
	if (argc - optind > 1)
		return cli_usage_error("content pot ", _("expected at most one directory"));
	char *dir = optind < argc ? xstrdup(argv[optind]) : session_content_dir(g);
	diags d;
	diags_init(&d);
	content_pot_write(dir, stdout, &d);
	diags_print(&d, stderr);
	int rc = d.n ? EXIT_ERROR : EXIT_PASS;
	diags_release(&d);
	free(dir);
	return rc;
}

/* `cmharden content verdicts [DIR]`: doc/verdicts.md, what decides each check. */
static int content_verdicts(const cli_opts *g, int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	if (getopt_long(argc, argv, "", none, NULL) != -1)
		return cli_usage_error("content verdicts ", _("unknown option '%s'"), argv[optind - 1]);
	if (argc - optind > 1)
		return cli_usage_error("content verdicts ", _("expected at most one directory"));
	char *dir = optind < argc ? xstrdup(argv[optind]) : session_content_dir(g);
	diags d;
	diags_init(&d);
	catalog cat;
	if (catalog_load(&cat, dir, &d) == 0)
		verdicts_doc_write(&cat, stdout);
	diags_print(&d, stderr);
	int rc = d.n ? EXIT_ERROR : EXIT_PASS;
	catalog_release(&cat);
	diags_release(&d);
	free(dir);
	return rc;
}

int cmd_content(const cli_opts *g, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "verdicts"))
		return content_verdicts(g, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "pot"))
		return content_pot(g, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "lint"))
		return content_lint(g, argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return lint_help();
	return cli_usage_error("content ", _("expected 'lint', 'pot' or 'verdicts'"));
}

static void list_json(const catalog *cat)
{
	strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{\"sections\":[");
	for (size_t s = 0; s < cat->nsections; s++) {
		const section *sec = &cat->sections[s];
		sb_adds(&sb, s ? ",{\"id\":" : "{\"id\":");
		json_str(&sb, sec->id);
		sb_adds(&sb, ",\"title\":");
		json_str(&sb, sec->title);
		sb_adds(&sb, ",\"heading\":");
		json_str(&sb, sec->heading);
		sb_addf(&sb, ",\"scope\":\"%s\"", sec->beyond ? "beyond" : "checklist");
		sb_adds(&sb, ",\"checks\":[");
		for (size_t i = 0; i < sec->n; i++) {
			const check *k = &sec->checks[i];
			sb_adds(&sb, i ? ",{\"id\":" : "{\"id\":");
			json_str(&sb, k->id);
			sb_adds(&sb, ",\"title\":");
			json_str(&sb, k->title);
			sb_addf(&sb, ",\"kind\":\"%s\",\"severity\":\"%s\"", check_kind_label(k),
				severity_name(k->sev));
			/* A fail-or-ask check's automated part has a basis like an automated check's. */
			if (k->kind == KIND_AUTOMATED || k->fail_or_ask)
				sb_addf(&sb, ",\"basis\":\"%s\"", basis_name(k->basis));
			sb_addc(&sb, '}');
		}
		sb_adds(&sb, "]}");
	}
	sb_adds(&sb, "]}\n");
	fputs(sb_str(&sb), stdout);
	sb_release(&sb);
}

static void list_text(const catalog *cat)
{
	printf("%s\n\n", content_text(cat->title));
	printf(_("Warning from the checklist: %s\n\n"), content_text(cat->warning));
	for (size_t s = 0; s < cat->nsections; s++) {
		const section *sec = &cat->sections[s];
		if (sec->beyond && (s == 0 || !cat->sections[s - 1].beyond))
			printf("%s\n\n", _("Beyond the 2007 checklist (not part of Microsoft's checklist; scored apart):"));
		printf("%2zu. %s  [%s]\n", s + 1, content_text(sec->title), sec->id);
		if (sec->n == 0)
			printf("    %s\n", _("(the checklist publishes no practice for this section)"));
		for (size_t i = 0; i < sec->n; i++) {
			const check *k = &sec->checks[i];
			printf("    %-12s %-7s %s\n",
			       k->kind == KIND_AUTOMATED ? _("automated") : k->fail_or_ask ? _("fail-or-ask") : _("attest"),
			       severity_label(k->sev), content_text(k->title));
			printf("    %-12s %-7s   %s\n", "", "", k->id);
		}
		putchar('\n');
	}
	size_t ns, nc;
	catalog_checklist_counts(cat, &ns, &nc);
	printf(_("%zu sections, %zu checks\n"), ns, nc);
	if (ns != cat->nsections)
		printf(ngettext("Beyond the checklist: %zu check\n", "Beyond the checklist: %zu checks\n", cat->nchecks - nc), cat->nchecks - nc);
}

int cmd_list(const cli_opts *g, int argc, char **argv)
{
	static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	const char *format = "text";
	int c;
	optind = 0; /* glibc: start afresh, not in main's stop-at-the-command order */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'h') {
			puts(_("Usage: cmharden list [--format text|json]\n"
			       "List the sections of the checklist and their checks, in checklist order."));
			return EXIT_PASS;
		} else
			return cli_usage_error("list ", _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return cli_usage_error("list ", _("unknown format '%s' (text or json)"), format);
	catalog cat;
	if (session_load_catalog(g, &cat) < 0)
		return EXIT_ERROR;
	if (!strcmp(format, "json"))
		list_json(&cat);
	else
		list_text(&cat);
	catalog_release(&cat);
	return EXIT_PASS;
}
