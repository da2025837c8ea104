/* content_i18n.c — catalog locations and content translations (content_i18n.h). */
#include "config.h"
#include "content/content_i18n.h"
#include "content/fix.h"
#include "base/i18n.h"
#include "content/lab.h"
#include "base/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* The directory bindtextdomain() is given. Caller frees. */
static char *i18n_locale_dir(void)
{
	const char *env = getenv("CMHARDEN_LOCALEDIR");
	if (env && *env)
		return xstrdup(env);
	/* Run from its build tree, the binary uses the catalogs that tree built, as
	 * content_dir() uses the content next to it. */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (strcmp(exe, ABS_TOP_BUILDDIR) == 0 && access(ABS_TOP_BUILDDIR "/locale", R_OK | X_OK) == 0)
				return xstrdup(ABS_TOP_BUILDDIR "/locale");
		}
	}
	return xstrdup(LOCALEDIR);
}

void i18n_bind(void)
{
	char *dir = i18n_locale_dir();
	bindtextdomain(PACKAGE, dir);
	bindtextdomain(CONTENT_DOMAIN, dir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	bind_textdomain_codeset(CONTENT_DOMAIN, "UTF-8");
	free(dir);
}

/* Words the library returns untranslated (catalog.c, engine.c), marked here so
 * xgettext puts them in the catalog; callers show them with _(). */
static const char *const library_words[] __attribute__((unused)) = {
	N_("low"), N_("medium"), N_("high"), N_("documented"), N_("inferred"),
	/* status_name(): `check` prints the machine names, translated */
	N_("pass"), N_("fail"), N_("error"), N_("not_applicable"), N_("needs_attestation"),
	N_("attested"), N_("waived"),
};

const char *site_mode_text(const char *mode)
{
	if (mode && !strcmp(mode, "mixed"))
		return _("mixed mode");
	if (mode && !strcmp(mode, "native"))
		return _("native mode");
	return mode ? mode : "?";
}

const char *content_text(const char *msgid)
{
	if (!msgid || !*msgid)
		return msgid;
	return dgettext(CONTENT_DOMAIN, msgid);
}

/* ---------- extraction: cmharden content pot ---------- */

typedef struct pot_entry {
	char *msgid;
	char **refs;
	size_t nrefs;
} pot_entry;

typedef struct pot {
	const char *dir;
	pot_entry *items;
	size_t n, cap;
} pot;

static void pot_add(pot *p, const char *s, const char *file, int line)
{
	if (!s || !*s)
		return;
	size_t dl = strlen(p->dir);
	if (file && !strncmp(file, p->dir, dl) && file[dl] == '/')
		file += dl + 1;
	char *ref = line > 0 ? xasprintf("%s:%d", file ? file : "?", line) : xstrdup(file ? file : "?");
	pot_entry *e = NULL;
	for (size_t i = 0; i < p->n && !e; i++)
		if (!strcmp(p->items[i].msgid, s))
			e = &p->items[i];
	if (!e) {
		GROW(p->items, p->cap, p->n + 1);
		e = &p->items[p->n++];
		memset(e, 0, sizeof *e);
		e->msgid = xstrdup(s);
	}
	for (size_t i = 0; i < e->nrefs; i++)
		if (!strcmp(e->refs[i], ref)) {
			free(ref);
			return;
		}
	e->refs = xrealloc(e->refs, (e->nrefs + 1) * sizeof *e->refs);
	e->refs[e->nrefs++] = ref;
}

static void po_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const char *c = s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

static void add_catalog(pot *p, const catalog *cat)
{
	char *top = xasprintf("%s/checks/00-checklist.yaml", p->dir);
	pot_add(p, cat->title, top, 0);
	pot_add(p, cat->warning, top, 0);
	pot_add(p, cat->intro, top, 0);
	free(top);
	for (size_t s = 0; s < cat->nsections; s++) {
		const section *sec = &cat->sections[s];
		pot_add(p, sec->title, sec->file, 0);
		pot_add(p, sec->heading, sec->file, 0);
		pot_add(p, sec->note, sec->file, 0);
		for (size_t i = 0; i < sec->n; i++) {
			const check *k = &sec->checks[i];
			pot_add(p, k->title, k->file, k->line);
			pot_add(p, k->why, k->file, k->line);
			pot_add(p, k->compliant, k->file, k->line);
			pot_add(p, k->console, k->file, k->line);
			pot_add(p, k->attest_question, k->file, k->line);
			pot_add(p, k->basis_note, k->file, k->line);
			pot_add(p, k->duplicate_note, k->file, k->line);
			if (k->applies_if)
				pot_add(p, k->applies_if->reason, k->file, k->line);
			for (size_t e = 0; e < k->nevidence; e++)
				pot_add(p, k->evidence[e].label, k->file, k->line);
		}
	}
	for (size_t t = 0; t < cat->ntechniques; t++)
		pot_add(p, cat->techniques[t].title, cat->techniques[t].file, cat->techniques[t].line);
}

static void add_fixes(pot *p, const fixset *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		const fix *f = &fs->items[i];
		pot_add(p, f->title, f->file, f->line);
		pot_add(p, f->note, f->file, f->line);
		for (size_t s = 0; s < f->nsteps; s++) {
			const fix_step *st = &f->steps[s];
			pot_add(p, st->unmet, f->file, st->line);
			pot_add(p, st->console, f->file, st->line);
			pot_add(p, st->instructions, f->file, st->line);
			for (size_t b = 0; b < st->nbinds; b++)
				pot_add(p, st->binds[b].ask, f->file, st->line);
		}
	}
	for (size_t i = 0; i < fs->nscripts; i++)
		pot_add(p, fs->scripts[i].title, fs->scripts[i].file, fs->scripts[i].line);
}

static void add_labs(pot *p, diags *d)
{
	char *ldir = xasprintf("%s/labs", p->dir);
	size_t n = 0;
	char **files = list_yaml_files(ldir, &n, d);
	for (size_t i = 0; i < n; i++) {
		scenario s;
		if (scenario_load(&s, files[i], d) == 0) {
			pot_add(p, s.title, files[i], 0);
			pot_add(p, s.briefing, files[i], 0);
			for (size_t g = 0; g < s.ngoals; g++)
				pot_add(p, s.goals[g].note, files[i], s.goals[g].line);
		}
		scenario_release(&s);
		free(files[i]);
	}
	free(files);
	free(ldir);
}

size_t content_pot_write(const char *dir, FILE *out, diags *d)
{
	pot p = {.dir = dir};
	catalog cat;
	fixset fs;
	memset(&fs, 0, sizeof fs);
	if (catalog_load(&cat, dir, d) == 0) {
		add_catalog(&p, &cat);
		if (fixes_load(&fs, dir, &cat, d) == 0)
			add_fixes(&p, &fs);
		fixes_release(&fs);
	}
	catalog_release(&cat);
	add_labs(&p, d);
	/* No creation date: the template changes only when the content does. */
	fprintf(out, "# Translatable text of the cmharden content (checks/, fixes/, labs/).\n"
		     "# Made by 'cmharden content pot'; see doc/translating.md.\n"
		     "#, fuzzy\n"
		     "msgid \"\"\n"
		     "msgstr \"\"\n"
		     "\"Project-Id-Version: %s\\n\"\n"
		     "\"Report-Msgid-Bugs-To: %s\\n\"\n"
		     "\"Language: \\n\"\n"
		     "\"MIME-Version: 1.0\\n\"\n"
		     "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		     "\"Content-Transfer-Encoding: 8bit\\n\"\n",
		PACKAGE_STRING, PACKAGE_BUGREPORT);
	for (size_t i = 0; i < p.n; i++) {
		pot_entry *e = &p.items[i];
		fputs("\n#:", out);
		for (size_t r = 0; r < e->nrefs; r++) {
			fprintf(out, " %s", e->refs[r]);
			free(e->refs[r]);
		}
		fputs("\nmsgid ", out);
		po_string(out, e->msgid);
		fputs("\nmsgstr \"\"\n", out);
		free(e->refs);
		free(e->msgid);
	}
	size_t n = p.n;
	free(p.items);
	return n;
}
