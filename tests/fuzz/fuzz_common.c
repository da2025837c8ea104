/* fuzz_common.c — see fuzz_common.h. */
#include "config.h"
#include "fuzz_common.h"
#include "jsonv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small site with every value type, embedded properties, and site text that
 * holds escape sequences and a right-to-left override. */
static const char site_yaml[] =
	"scenario: {name: fuzz, title: \"Fuzz \\e[2J site\"}\n"
	"site: {code: FZZ, name: \"Fuzz \\u202Egnp.exe\", server: SRV01, version: 2007 SP2,"
	" build: '4.00.6487.2000', mode: native}\n"
	"objects:\n"
	"  - class: SMS_Advertisement\n"
	"    key: FZZ20001\n"
	"    properties:\n"
	"      AdvertisementID: FZZ20001\n"
	"      AdvertisementName: \"\\e]0;owned\\a\"\n"
	"      RemoteClientFlags: 0x88\n"
	"      AdvertFlags: 33554432\n"
	"      PackageID: FZZ00001\n"
	"      ProgramName: Install\n"
	"      Enabled: true\n"
	"      Comment: null\n"
	"      Tags: [a, 'B', '12']\n"
	"  - class: SMS_Advertisement\n"
	"    key: \"FZZ\\e[31m20002\"\n"
	"    properties:\n"
	"      AdvertisementID: FZZ20002\n"
	"      RemoteClientFlags: 16\n"
	"      PackageID: FZZ00002\n"
	"      Enabled: false\n"
	"      Tags: []\n"
	"  - class: SMS_Package\n"
	"    key: FZZ00001\n"
	"    properties:\n"
	"      PackageID: FZZ00001\n"
	"      PkgSourcePath: '\\\\SRV01\\src$\\app'\n"
	"      PkgFlags: -1\n"
	"  - class: SMS_SCI_ClientComp\n"
	"    key: Remote Control\n"
	"    properties:\n"
	"      ItemName: Remote Control\n"
	"      Flags: 1\n"
	"      Props:\n"
	"        Permission Required: {Value: 1, Value1: '', Value2: ''}\n"
	"        Visible Signal: {Value: 0}\n"
	"      PropLists:\n"
	"        PermittedViewers: ['CONTOSO\\Helpdesk', \"\\u202Eevil\"]\n"
	"  - class: Registry\n"
	"    key: 'HKLM\\SOFTWARE\\x|Name'\n"
	"    properties: {Server: SRV01, Key: 'HKLM\\SOFTWARE\\x', Name: Name, Type: REG_DWORD, Value: 0}\n";

const scenario *fuzz_site(void)
{
	static scenario s;
	static int loaded;
	if (!loaded) {
		diags d;
		diags_init(&d);
		if (scenario_load_buffer(&s, "fuzz-site.yaml", site_yaml, sizeof site_yaml - 1, &d) < 0) {
			diags_print(&d, stderr);
			abort();
		}
		diags_release(&d);
		loaded = 1;
	}
	return &s;
}

typedef struct mem_impl {
	const scenario *s;
} mem_impl;

static int mem_site(target *t, site_info *out, char **err)
{
	const site_info *si = &((mem_impl *)t->impl)->s->site;
	(void)err;
	memset(out, 0, sizeof *out);
	out->code = si->code ? xstrdup(si->code) : NULL;
	out->name = si->name ? xstrdup(si->name) : NULL;
	out->server = si->server ? xstrdup(si->server) : NULL;
	out->version = si->version ? xstrdup(si->version) : NULL;
	out->build = si->build ? xstrdup(si->build) : NULL;
	out->mode = si->mode ? xstrdup(si->mode) : NULL;
	return 0;
}

static int mem_query(target *t, const char *cls, objset *out, char **err)
{
	const objset *all = &((mem_impl *)t->impl)->s->objects;
	if (!strcmp(cls, "Certificate")) {
		/* One class is unreadable, as on a site where the agent lacks a right. */
		*err = xstrdup("access denied");
		return -1;
	}
	for (size_t i = 0; i < all->n; i++) {
		const object *o = &all->items[i];
		if (strcasecmp(o->cls, cls) != 0)
			continue;
		object *c = objset_add(out, o->cls, o->key);
		for (size_t p = 0; p < o->n; p++) {
			value v = value_copy(&o->props[p].v);
			object_put(c, o->props[p].name, &v);
		}
	}
	return 0;
}

static int mem_get(target *t, const char *cls, const char *key, const char *prop, value *out, char **err)
{
	(void)t;
	(void)out;
	*err = xasprintf("%s '%s' has no property %s", cls, key, prop);
	return -1;
}

static int mem_set(target *t, const char *cls, const char *key, const char *prop, const value *v,
		   value *prev, char **err)
{
	(void)t;
	(void)cls;
	(void)key;
	(void)prop;
	(void)v;
	(void)prev;
	*err = xstrdup("read-only");
	return -1;
}

static void mem_close(target *t)
{
	free(t->impl);
}

static const target_ops mem_ops = {
	.kind = "mem", .site = mem_site, .query = mem_query, .get = mem_get, .set = mem_set, .close = mem_close};

target *fuzz_target_open(const scenario *s)
{
	target *t = xcalloc(1, sizeof *t);
	mem_impl *m = xcalloc(1, sizeof *m);
	m->s = s ? s : fuzz_site();
	t->ops = &mem_ops;
	t->impl = m;
	t->spec = xstrdup("lab:fuzz");
	t->description = xstrdup("fuzz site");
	return t;
}

static int bidi_or_invisible(unsigned long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C || cp == 0xFEFF || cp == 0x2028 || cp == 0x2029;
}

void fuzz_assert_inert(const char *s, size_t len, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		unsigned long cp;
		size_t n = jsonv_utf8(p + i, len - i, &cp);
		if (!n || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || bidi_or_invisible(cp)) {
			fprintf(stderr, "%s: unsafe byte 0x%02x at offset %zu of %zu\n", what, p[i], i, len);
			abort();
		}
		i += n;
	}
}

void fuzz_assert_json(const char *s, size_t len, const char *what)
{
	size_t at;
	const char *why;
	if (!jsonv_valid(s, len, &at, &why)) {
		fprintf(stderr, "%s: invalid JSON at offset %zu: %s\n", what, at, why);
		abort();
	}
}
