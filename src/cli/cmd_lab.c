/* cmd_lab.c — `cmharden lab list|reset|show`. */
#include "config.h"
#include "content/catalog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "content/content_i18n.h"
#include "base/i18n.h"
#include "target/target_lab.h"
#include "base/paths.h"
#include "base/sanitize.h"
#include "target/target.h"


/* Longest site text `lab show` prints before cutting it (with a "[N more bytes]" marker). */
#define SHOW_VALUE_MAX 2000

static int lab_help(void)
{
	puts(_("Usage: cmharden lab list\n"
	       "       cmharden lab reset [NAME|FILE.yaml]\n"
	       "       cmharden [--target lab:NAME] lab show [CLASS]\n"
	       "       cmharden lab score [NAME|FILE.yaml] [--format text|json|csv] [--data-dir DIR]...\n"
	       "Training-lab sites are simulated Configuration Manager 2007 sites. Their state\n"
	       "is kept in $XDG_DATA_HOME/cmharden/labs, so changes persist between runs.\n\n"
	       "  list    the shipped scenarios, with their titles\n"
	       "  reset   start a scenario over from its file (default: the current target)\n"
	       "  show    the site and its objects (or only those of CLASS)\n"
	       "  score   what is left of the scenario's goals (exit 0 when all are met)"));
	return EXIT_PASS;
}

static int lab_list(const char *content)
{
	char *dir = xasprintf("%s/labs", content);
	diags d;
	diags_init(&d);
	size_t n = 0;
	char **files = list_yaml_files(dir, &n, &d);
	diags_print(&d, stderr);
	for (size_t i = 0; i < n; i++) {
		scenario s;
		diags sd;
		diags_init(&sd);
		if (scenario_load(&s, files[i], &sd) == 0) {
			/* A scenario may be a snapshot of a real site: its text is site data. */
			char *title = sanitize_dup(content_text(s.title), SHOW_VALUE_MAX);
			char *code = sanitize_dup(s.site.code, 0);
			printf("%-16s %s (%s, %s %s, %zu objects)\n", s.name, title, code, s.site.version,
			       s.site.mode, s.objects.n);
			free(title);
			free(code);
		} else
			printf("%-16s %s\n", strrchr(files[i], '/') + 1, _("(invalid: run 'cmharden content lint')"));
		scenario_release(&s);
		diags_release(&sd);
		free(files[i]);
	}
	free(files);
	free(dir);
	if (n)
		fputs(_("\nStart a lab in the wizard with 'cmharden --target lab:NAME' (its briefing and goals\n"
			"are on the first screen), or from the command line with 'cmharden --target lab:NAME\n"
			"check'. 'cmharden lab score NAME' shows what is left; 'cmharden lab reset NAME'\n"
			"starts it over. An instructor scores a room with 'cmharden lab score NAME\n"
			"--data-dir DIR...' (each trainee's data directory).\n"),
		      stdout);
	int rc = d.n ? EXIT_ERROR : EXIT_PASS;
	diags_release(&d);
	return rc;
}

static const char *lab_name_of(const char *spec)
{
	if (!spec || !*spec)
		return "default";
	if (!strncmp(spec, "lab:", 4))
		return spec + 4;
	return NULL;
}

static int lab_reset(const char *content, const char *name)
{
	char *spath = lab_scenario_path(content, name), *err = NULL;
	char *ddir = data_dir(&err), *state = NULL;
	int rc = EXIT_ERROR;
	scenario s;
	memset(&s, 0, sizeof s);
	diags d;
	diags_init(&d);
	if (!ddir) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	if (scenario_load(&s, spath, &d) < 0) {
		diags_print(&d, stderr);
		goto out;
	}
	char *labdir = xasprintf("%s/labs", ddir);
	if (access(labdir, F_OK) != 0)
		(void)mkdir(labdir, 0700);
	free(labdir);
	state = lab_state_path(ddir, spath, &s);
	if (lab_state_create(state, &s, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		goto out;
	}
	printf(_("Lab '%s' reset from %s (%zu objects).\n"), s.name, spath, s.objects.n);
	rc = EXIT_PASS;
out:
	free(err);
	scenario_release(&s);
	diags_release(&d);
	free(spath);
	free(ddir);
	free(state);
	return rc;
}

/* Class and property names come from the site as much as keys and values do
 * (the state file or the agent says them): all are shown sanitised and cut. */
static void show_object(const object *o)
{
	char *c = sanitize_dup(o->cls, SHOW_VALUE_MAX), *k = sanitize_dup(o->key, SHOW_VALUE_MAX);
	printf("%s  %s\n", c, k);
	free(c);
	free(k);
	for (size_t i = 0; i < o->n; i++) {
		strbuf raw = STRBUF_INIT, clean = STRBUF_INIT;
		char *name = sanitize_dup(o->props[i].name, SHOW_VALUE_MAX);
		value_format(&o->props[i].v, &raw);
		sanitize_append(&clean, sb_str(&raw), raw.len, SHOW_VALUE_MAX);
		printf("    %-36s %s\n", name, sb_str(&clean));
		free(name);
		sb_release(&raw);
		sb_release(&clean);
	}
}

static char *site_text(const char *s)
{
	return s ? sanitize_dup(s, SHOW_VALUE_MAX) : xstrdup("?");
}

/* The site systems and their roles, as the site control file records them. */
static void print_site_systems(target *t)
{
	objset os;
	objset_init(&os);
	char *err = NULL;
	if (target_query(t, "SMS_SCI_SysResUse", &os, &err) < 0) {
		char *e = sanitize_dup(err, 0);
		fprintf(stderr, "cmharden: %s\n", e);
		free(e);
		free(err);
		return;
	}
	puts(_("Site systems and roles:"));
	for (size_t i = 0; i < os.n; i++) {
		const value *path = object_get(&os.items[i], "NetworkOSPath");
		const value *role = object_get(&os.items[i], "RoleName");
		char *host = path && path->kind == V_STR ? unc_host(path->s) : xstrdup("?");
		char *h = sanitize_dup(host, 64);
		char *r = sanitize_dup(role && role->kind == V_STR ? role->s : "?", 80);
		printf("  %-16s %s\n", h, r);
		free(host);
		free(h);
		free(r);
	}
	putchar('\n');
	objset_release(&os);
}

static int lab_show(const char *content, const char *spec, const char *cls)
{
	target *t = NULL;
	char *err = NULL;
	if (target_open(spec, content, &t, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		return EXIT_ERROR;
	}
	site_info si;
	int rc = EXIT_ERROR;
	if (target_site(t, &si, &err) < 0) {
		fprintf(stderr, "cmharden: %s\n", err);
		free(err);
		target_close(t);
		return rc;
	}
	/* Site information comes from the site: sanitise before it reaches the terminal. */
	char *f[6] = {site_text(si.code), site_text(si.name), site_text(si.server), site_text(si.version),
		      site_text(si.mode), site_text(t->description)};
	printf(_("Site %s - %s on %s (%s, %s mode)\n%s\n\n"), f[0], f[1], f[2], f[3], f[4], f[5]);
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		free(f[i]);
	site_info_release(&si);
	if (!cls) {
		print_site_systems(t);
		/* Without a class, list the classes a lab can hold with their counts. */
		static const char *classes[] = {
			"SMS_Site", "SMS_SCI_SysResUse", "SMS_SCI_ClientComp", "SMS_SCI_Component",
			"SMS_Package", "SMS_Program", "SMS_Advertisement", "SMS_Collection",
			"SMS_CollectionSettings", "SMS_PackageAccessByUsers", "SMS_UpdatesAssignment",
			"SMS_ConfigurationItem", "SMS_AMTCertificate", "SMS_G_System_CollectedFile",
			"SMS_R_System", "LocalGroup", "FileAcl", "Registry", "Win32_Service", "IIsWebServer",
			"IIsWebVirtualDir", "Certificate"};
		for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
			objset os;
			objset_init(&os);
			if (target_query(t, classes[i], &os, &err) == 0)
				printf("  %-28s %zu\n", classes[i], os.n);
			objset_release(&os);
		}
		rc = EXIT_PASS;
	} else {
		objset os;
		objset_init(&os);
		if (target_query(t, cls, &os, &err) < 0) {
			char *e = sanitize_dup(err, 0);
			fprintf(stderr, "cmharden: %s\n", e);
			free(e);
			free(err);
		} else {
			for (size_t i = 0; i < os.n; i++)
				show_object(&os.items[i]);
			if (!os.n)
				printf(_("No object of class %s.\n"), cls);
			rc = EXIT_PASS;
		}
		objset_release(&os);
	}
	target_close(t);
	return rc;
}

int cmd_lab(const cli_opts *g, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return argc < 2 ? cli_usage_error("lab ", _("expected list, reset or show")) : lab_help();
	char *content = session_content_dir(g);
	int rc;
	if (!strcmp(argv[1], "list") && argc == 2) {
		rc = lab_list(content);
	} else if (!strcmp(argv[1], "reset") && argc <= 3) {
		const char *name = argc == 3 ? argv[2] : lab_name_of(g->target);
		if (!name)
			rc = cli_usage_error("lab ", _("the target '%s' is not a lab"), g->target);
		else
			rc = lab_reset(content, name);
	} else if (!strcmp(argv[1], "score")) {
		rc = lab_score_cmd(g, lab_name_of(g->target), argc - 1, argv + 1);
	} else if (!strcmp(argv[1], "show") && argc <= 3) {
		rc = lab_show(content, g->target, argc == 3 ? argv[2] : NULL);
	} else {
		rc = cli_usage_error("lab ", _("expected list, reset [NAME], show [CLASS] or score [NAME]"));
	}
	free(content);
	return rc;
}
