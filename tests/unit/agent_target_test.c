/* agent_target_test.c — the agent and snapshot targets: the wire gives what the
 * lab gives, changes pass through and persist, read-only targets refuse, and a
 * broken agent (dead, stalled, garbled, oversized) gives a clear error within a
 * bounded time, every time after. The agent is the real `cmharden agent` or a
 * small shell script that misbehaves on purpose. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "content/catalog.h"
#include "check/engine.h"
#include "content/lab.h"
#include "target/target.h"
#include "target/target_agent.h"
#include "target/target_snapshot.h"
#include "testutil.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *cmharden(void)
{
	const char *c = getenv("CMHARDEN");
	cr_assert(c && *c, "the harness sets CMHARDEN");
	return c;
}

/* A private copy of a shipped lab, so that changes touch no other test. */
static char *private_lab(const char *dir, const char *name)
{
	char *src = xasprintf("%s/labs/%s.yaml", tu_content(), name), *buf = NULL, *err = NULL;
	size_t len;
	cr_assert_eq(read_file_limited(src, LAB_MAX_BYTES, &buf, &len, &err), 0, "%s", err ? err : "");
	tu_write(dir, "lab.yaml", buf);
	free(buf);
	free(src);
	return xasprintf("%s/lab.yaml", dir);
}

static target *open_ok(const char *spec)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open(spec, tu_content(), &t, &err), 0, "%s: %s", spec, err ? err : "");
	return t;
}

static void assert_same_objects(const objset *a, const objset *b, const char *cls)
{
	cr_assert_eq(a->n, b->n, "%s: %zu objects vs %zu", cls, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const object *x = &a->items[i], *y = &b->items[i];
		cr_assert_str_eq(x->key, y->key, "%s object %zu", cls, i);
		cr_assert_eq(x->n, y->n, "%s '%s': property count", cls, x->key);
		for (size_t p = 0; p < x->n; p++) {
			cr_assert_str_eq(x->props[p].name, y->props[p].name);
			cr_assert(value_equal(&x->props[p].v, &y->props[p].v), "%s '%s' %s differs", cls, x->key,
				  x->props[p].name);
		}
	}
}

/* The same objects and values, properties in any order (the lab state keeps
 * them sorted by name, a scenario file as written). */
static void assert_same_content(const objset *a, const objset *b, const char *cls)
{
	cr_assert_eq(a->n, b->n, "%s: %zu objects vs %zu", cls, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const object *x = &a->items[i], *y = objset_find(b, x->key);
		cr_assert_not_null(y, "%s '%s' is missing", cls, x->key);
		cr_assert_eq(x->n, y->n, "%s '%s': property count", cls, x->key);
		for (size_t p = 0; p < x->n; p++) {
			const value *w = object_get(y, x->props[p].name);
			cr_assert(w && value_equal(&x->props[p].v, w), "%s '%s' %s differs", cls, x->key,
				  x->props[p].name);
		}
	}
}

static void load_catalog_classes(char ***classes, size_t *n)
{
	catalog cat;
	diags d;
	diags_init(&d);
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0);
	*classes = NULL;
	*n = 0;
	engine_catalog_classes(&cat, classes, n);
	cr_assert_gt(*n, 15, "the checklist reads many classes");
	catalog_release(&cat);
	diags_release(&d);
}

static void free_classes(char **classes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(classes[i]);
	free(classes);
}

Test(agent, the_wire_gives_exactly_what_the_lab_gives)
{
	char *dir = tu_tempdir(), *lab = private_lab(dir, "default");
	char *lspec = xasprintf("lab:%s", lab), *aspec = xasprintf("agent:%s agent --lab %s", cmharden(), lab);
	target *l = open_ok(lspec), *a = open_ok(aspec);
	site_info sl, sa;
	char *err = NULL;
	cr_assert_eq(target_site(l, &sl, &err), 0);
	cr_assert_eq(target_site(a, &sa, &err), 0);
	cr_assert_str_eq(sl.code, sa.code);
	cr_assert_str_eq(sl.server, sa.server);
	cr_assert_str_eq(sl.version, sa.version);
	cr_assert_str_eq(sl.mode, sa.mode);
	cr_assert_str_eq(sl.build, sa.build);
	char **classes;
	size_t n;
	load_catalog_classes(&classes, &n);
	for (size_t i = 0; i < n; i++) {
		objset x, y;
		objset_init(&x);
		objset_init(&y);
		cr_assert_eq(target_query(l, classes[i], &x, &err), 0);
		cr_assert_eq(target_query(a, classes[i], &y, &err), 0, "%s", err ? err : "");
		assert_same_objects(&x, &y, classes[i]);
		objset_release(&x);
		objset_release(&y);
	}
	cr_assert_eq(a->round_trips, 1 + n, "hello, then one query per class");
	free_classes(classes, n);
	site_info_release(&sl);
	site_info_release(&sa);
	target_close(l);
	target_close(a);
	free(lspec);
	free(aspec);
	free(lab);
	tu_rmrf(dir);
	free(dir);
}

Test(agent, a_prefetch_costs_one_round_trip_for_all_classes)
{
	char *spec = xasprintf("agent:%s agent --lab default", cmharden());
	target *a = open_ok(spec);
	char **classes;
	size_t n;
	load_catalog_classes(&classes, &n);
	char *err = NULL;
	cr_assert_eq(a->round_trips, 1);
	cr_assert_eq(target_prefetch(a, (const char *const *)classes, n, &err), 0, "%s", err ? err : "");
	cr_assert_eq(a->round_trips, 2);
	size_t objects = 0;
	for (size_t i = 0; i < n; i++) {
		objset x;
		objset_init(&x);
		cr_assert_eq(target_query(a, classes[i], &x, &err), 0);
		objects += x.n;
		objset_release(&x);
	}
	cr_assert_gt(objects, 300);
	cr_assert_eq(a->round_trips, 2, "every query was answered from the batch");
	objset x;
	objset_init(&x);
	cr_assert_eq(target_query(a, classes[0], &x, &err), 0);
	cr_assert_eq(a->round_trips, 3, "a class is handed out once; the next query asks again");
	objset_release(&x);
	free_classes(classes, n);
	target_close(a);
	free(spec);
}

Test(agent, a_change_passes_through_returns_the_previous_value_and_persists)
{
	char *dir = tu_tempdir(), *lab = private_lab(dir, "default");
	char *aspec = xasprintf("agent:%s agent --lab '%s'", cmharden(), lab), *lspec = xasprintf("lab:%s", lab);
	target *a = open_ok(aspec);
	cr_assert_not(a->readonly);
	value before = VALUE_NULL, prev = VALUE_NULL, after = VALUE_NULL, nv = value_int(0x30);
	char *err = NULL;
	cr_assert_eq(target_get(a, "SMS_Advertisement", "CON20001", "RemoteClientFlags", &before, &err), 0, "%s",
		     err ? err : "");
	cr_assert_eq(before.kind, V_INT);
	cr_assert_neq(before.i, 0x30);
	/* Read ahead, change, and the read-ahead must not hide the change. */
	const char *cls = "SMS_Advertisement";
	cr_assert_eq(target_prefetch(a, &cls, 1, &err), 0);
	cr_assert_eq(target_set(a, "SMS_Advertisement", "CON20001", "RemoteClientFlags", &nv, &prev, &err), 0, "%s",
		     err ? err : "");
	cr_assert(value_equal(&prev, &before), "set returns the value before the change");
	objset os;
	objset_init(&os);
	cr_assert_eq(target_query(a, cls, &os, &err), 0);
	const object *o = objset_find(&os, "CON20001");
	cr_assert_not_null(o);
	cr_assert(value_equal(object_get(o, "RemoteClientFlags"), &nv), "the query sees the change");
	objset_release(&os);
	/* An unknown object is refused by the agent, and the session goes on. */
	value x = VALUE_NULL;
	cr_assert_eq(target_get(a, "SMS_Advertisement", "NOPE0001", "RemoteClientFlags", &x, &err), -1);
	cr_assert(strstr(err, "404 not found"), "%s", err);
	free(err);
	err = NULL;
	target_close(a);
	target *l = open_ok(lspec);
	cr_assert_eq(target_get(l, "SMS_Advertisement", "CON20001", "RemoteClientFlags", &after, &err), 0);
	cr_assert(value_equal(&after, &nv), "the change persisted in the lab state");
	target_close(l);
	value_clear(&before);
	value_clear(&prev);
	value_clear(&after);
	free(aspec);
	free(lspec);
	free(lab);
	tu_rmrf(dir);
	free(dir);
}

Test(agent, a_read_only_agent_refuses_changes)
{
	char *spec = xasprintf("agent:%s agent --lab default --read-only", cmharden());
	target *a = open_ok(spec);
	cr_assert(a->readonly);
	value nv = value_int(1), prev = VALUE_NULL;
	char *err = NULL;
	cr_assert_eq(target_set(a, "SMS_Advertisement", "CON20001", "RemoteClientFlags", &nv, &prev, &err), -1);
	cr_assert(strstr(err, "read-only"), "%s", err);
	cr_assert_not(target_set_outcome_unknown(a));
	free(err);
	target_close(a);
	free(spec);
}

Test(snapshot, is_audited_read_only_from_memory)
{
	char *dir = tu_tempdir(), *lab = private_lab(dir, "hardened");
	char *sspec = xasprintf("snapshot:%s", lab), *lspec = xasprintf("lab:%s", lab);
	target *s = open_ok(sspec), *l = open_ok(lspec);
	cr_assert(s->readonly);
	objset x, y;
	objset_init(&x);
	objset_init(&y);
	char *err = NULL;
	cr_assert_eq(target_query(s, "SMS_SCI_ClientComp", &x, &err), 0);
	cr_assert_eq(target_query(l, "SMS_SCI_ClientComp", &y, &err), 0);
	cr_assert_gt(x.n, 3);
	assert_same_content(&x, &y, "SMS_SCI_ClientComp");
	objset_release(&x);
	objset_release(&y);
	value nv = value_int(1), prev = VALUE_NULL;
	cr_assert_eq(target_set(s, "SMS_SCI_ClientComp", "Remote Control", "Flags", &nv, &prev, &err), -1);
	cr_assert(strstr(err, "read-only: a snapshot records a site as it was"), "%s", err);
	free(err);
	target_close(s);
	target_close(l);
	free(sspec);
	free(lspec);
	free(lab);
	tu_rmrf(dir);
	free(dir);
}

Test(snapshot, what_is_written_reads_back_identically)
{
	char *dir = tu_tempdir(), *src = xasprintf("%s/labs/default.yaml", tu_content());
	scenario s, back;
	diags d;
	diags_init(&d);
	cr_assert_eq(scenario_load(&s, src, &d), 0);
	/* Text that YAML would misread if written carelessly. */
	object *o = objset_add(&s.objects, "Registry", "CM01/'quoted' \"and\" \\back\\slashed");
	const char *texts[] = {"123", "true", "null", "~", "", " leading and trailing ", "tab\there",
			       "line\nbreak", "bell\a esc\x1b del\x7f", "caf\xc3\xa9 \xe2\x80\xae bidi \xf0\x9f\x94\x91",
			       "- dash", "# hash", "key: value", "'", "\"", "0x10", "c1 \xc2\x85 \xc2\x9b"};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		char name[16];
		snprintf(name, sizeof name, "P%zu", i);
		value v = value_str(texts[i]);
		object_put(o, name, &v);
	}
	value list = VALUE_NULL;
	list.kind = V_LIST;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		value_list_push(&list, texts[i]);
	object_put(o, "L", &list);
	value empty = VALUE_NULL;
	empty.kind = V_LIST;
	object_put(o, "E", &empty);
	value big = value_int(INT64_MAX), neg = value_int(-42), f = value_bool(false), nul = value_null();
	object_put(o, "Big", &big);
	object_put(o, "Neg", &neg);
	object_put(o, "F", &f);
	object_put(o, "N", &nul);
	value ev = value_int(7), e1 = value_str("it's \"x\""), pl = VALUE_NULL;
	value_list_push(&pl, "a: b");
	object_put(o, "Props[Odd 'name': x].Value", &ev);
	object_put(o, "Props[Odd 'name': x].Value1", &e1);
	object_put(o, "PropLists[List #1]", &pl);
	char *out = xasprintf("%s/snap.yaml", dir);
	FILE *fp = fopen(out, "w");
	cr_assert_not_null(fp);
	snapshot_write(fp, &s);
	fclose(fp);
	diags d2;
	diags_init(&d2);
	int rc = scenario_load(&back, out, &d2);
	if (rc < 0)
		diags_print(&d2, stderr);
	cr_assert_eq(rc, 0, "the snapshot loads");
	cr_assert_str_eq(back.site.code, s.site.code);
	cr_assert_str_eq(back.site.version, s.site.version);
	cr_assert_str_eq(back.name, s.name);
	cr_assert_eq(back.objects.n, s.objects.n);
	for (size_t i = 0; i < s.objects.n; i++) {
		const object *x = &s.objects.items[i], *y = &back.objects.items[i];
		cr_assert_str_eq(x->cls, y->cls);
		cr_assert_str_eq(x->key, y->key);
		cr_assert_eq(x->n, y->n, "%s '%s'", x->cls, x->key);
		for (size_t p = 0; p < x->n; p++) {
			const value *w = object_get(y, x->props[p].name);
			cr_assert_not_null(w, "%s '%s' lost %s", x->cls, x->key, x->props[p].name);
			cr_assert(value_equal(&x->props[p].v, w), "%s '%s' %s changed", x->cls, x->key,
				  x->props[p].name);
		}
	}
	scenario_release(&s);
	scenario_release(&back);
	diags_release(&d);
	diags_release(&d2);
	free(out);
	free(src);
	tu_rmrf(dir);
	free(dir);
}

/* Misbehaving agents. Each says hello properly unless its mode is about hello. */

static const char *fake_prelude = "#!/bin/sh\n"
				  "say_hello() {\n"
				  "  read -r l || exit 0\n"
				  "  set -- $l; id=$2\n"
				  "  printf 'hello %s 1 fake\\ncap %s query batch get set\\nsite %s code s:FAK\\n"
				  "site %s name s:Fake\\nsite %s server s:SRV\\nend %s\\n' $id $id $id $id $id $id\n"
				  "}\n";

static char *fake_agent(const char *dir, const char *name, const char *body)
{
	char *text = xasprintf("%s%s\n", fake_prelude, body);
	tu_write(dir, name, text);
	free(text);
	char *path = xasprintf("%s/%s", dir, name);
	chmod(path, 0755);
	char *spec = xasprintf("agent:%s", path);
	free(path);
	return spec;
}

/* Opens (must work), then queries (must fail with `want`) within `bound` seconds;
 * a second query fails at once with the same message. */
static void query_fails(const char *body, const char *want, double bound)
{
	char *dir = tu_tempdir(), *spec = fake_agent(dir, "agent.sh", body);
	target *t = open_ok(spec);
	objset os;
	objset_init(&os);
	char *err = NULL, *err2 = NULL;
	double t0 = now();
	cr_assert_eq(target_query(t, "SMS_Site", &os, &err), -1, "the query succeeded");
	double took = now() - t0;
	cr_assert(strstr(err, want), "message '%s' lacks '%s'", err, want);
	cr_assert_lt(took, bound, "took %.2f s", took);
	t0 = now();
	cr_assert_eq(target_query(t, "SMS_Site", &os, &err2), -1);
	cr_assert_str_eq(err2, err, "a broken session keeps failing the same way");
	cr_assert_lt(now() - t0, 0.1);
	objset_release(&os);
	t0 = now();
	target_close(t);
	cr_assert_lt(now() - t0, 3.0, "closing a broken session is quick");
	free(err);
	free(err2);
	free(spec);
	tu_rmrf(dir);
	free(dir);
}

static void open_fails(const char *body, const char *want, double bound)
{
	char *dir = tu_tempdir(), *spec = fake_agent(dir, "agent.sh", body);
	target *t = NULL;
	char *err = NULL;
	double t0 = now();
	cr_assert_eq(target_open(spec, tu_content(), &t, &err), -1, "the open succeeded");
	cr_assert_null(t);
	cr_assert(strstr(err, want), "message '%s' lacks '%s'", err, want);
	cr_assert_lt(now() - t0, bound);
	free(err);
	free(spec);
	tu_rmrf(dir);
	free(dir);
}

Test(agent_faults, a_missing_program)
{
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open("agent:/nonexistent/cmh-agent --x", tu_content(), &t, &err), -1);
	cr_assert(strstr(err, "cannot run the agent '/nonexistent/cmh-agent': No such file"), "%s", err);
	free(err);
	cr_assert_eq(target_open("agent:ssh 'host", tu_content(), &t, &err), -1);
	cr_assert(strstr(err, "unclosed single quote"), "%s", err);
	free(err);
	cr_assert_eq(target_open("agent:", tu_content(), &t, &err), -1);
	cr_assert(strstr(err, "empty"), "%s", err);
	free(err);
}

Test(agent_faults, a_bad_timeout_setting)
{
	setenv("CMHARDEN_AGENT_TIMEOUT", "soon", 1);
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open("agent:true", tu_content(), &t, &err), -1);
	cr_assert(strstr(err, "CMHARDEN_AGENT_TIMEOUT='soon'"), "%s", err);
	free(err);
}

Test(agent_faults, an_agent_that_exits_at_once_shows_its_last_words)
{
	open_fails("echo 'cmharden-agent: cannot reach the SMS Provider: access denied' >&2; exit 3",
		   "exited with status 3 before answering hello; its last words on stderr: "
		   "cmharden-agent: cannot reach the SMS Provider: access denied",
		   5);
}

Test(agent_faults, an_agent_that_is_not_one)
{
	open_fails("read -r l; echo 'Microsoft Windows [Version 5.2.3790]'", "broke the protocol answering hello: line 1", 5);
	open_fails("read -r l; set -- $l; printf 'hello %s 1 x\\nend %s\\n' $2 $2", "did not name the site", 5);
	open_fails("read -r l; set -- $l; printf 'hello %s 2 future\\n' $2", "protocol version 2", 5);
}

Test(agent_faults, an_agent_killed_while_waiting)
{
	query_fails("say_hello; read -r l; kill -9 $$", "was killed by signal 9", 5);
}

Test(agent_faults, an_agent_killed_in_the_middle_of_an_answer)
{
	query_fails("say_hello; read -r l; set -- $l; printf 'class %s SMS_Site 3\\nobj %s A\\n' $2 $2; kill -9 $$",
		    "in the middle of answering the query of SMS_Site", 5);
}

Test(agent_faults, a_stalled_agent_times_out)
{
	/* Long enough for the hello even under valgrind, short enough for a test. */
	setenv("CMHARDEN_AGENT_TIMEOUT", "1.5", 1);
	query_fails("say_hello; exec sleep 30", "did not answer the query of SMS_Site for 1.5 s (CMHARDEN_AGENT_TIMEOUT)", 4);
}

Test(agent_faults, an_agent_that_trickles_forever_hits_the_total_limit)
{
	/* The idle time-out must outlast a hello and a `sleep` started under valgrind. */
	setenv("CMHARDEN_AGENT_TIMEOUT", "1.2", 1);
	query_fails("say_hello; read -r l; set -- $l; printf 'x-slow %s' $2; while :; do printf x; sleep 0.1; done",
		    "took more than 12 s to answer the query of SMS_Site", 20);
}

Test(agent_faults, garbage_in_an_answer)
{
	query_fails("say_hello; read -r l; set -- $l; printf 'class %s SMS_Site 1\\nobj %s A N caf\\303\\251\\n' $2 $2; "
		    "exec sleep 30",
		    "line 8, column 14: raw byte 0xC3", 5);
}

Test(agent_faults, an_oversized_line)
{
	query_fails("say_hello; read -r l; head -c 3000000 /dev/zero | tr '\\0' x; exec sleep 30",
		    "line 7: longer than 1048576 bytes", 10);
}

Test(agent_faults, an_agent_that_dies_during_a_change_leaves_its_outcome_unknown)
{
	char *dir = tu_tempdir(), *spec = fake_agent(dir, "agent.sh", "say_hello; read -r l; kill -9 $$");
	target *t = open_ok(spec);
	value nv = value_int(1), prev = VALUE_NULL;
	char *err = NULL;
	cr_assert_eq(target_set(t, "SMS_Site", "FAK", "Type", &nv, &prev, &err), -1);
	cr_assert(strstr(err, "the change may or may not have been made"), "%s", err);
	cr_assert(target_set_outcome_unknown(t), "the journal is told to leave the change planned");
	free(err);
	err = NULL;
	cr_assert_eq(target_set(t, "SMS_Site", "FAK", "Type", &nv, &prev, &err), -1);
	cr_assert_not(target_set_outcome_unknown(t), "a later set is never sent: its outcome is known");
	free(err);
	target_close(t);
	free(spec);
	tu_rmrf(dir);
	free(dir);
}

Test(agent_faults, a_refusal_is_not_a_broken_session)
{
	char *dir = tu_tempdir();
	char *spec = fake_agent(dir, "agent.sh",
				"say_hello\n"
				"read -r l; set -- $l; printf 'error %s 503 WMI%%20is%%20busy\\n' $2\n"
				"read -r l; set -- $l; printf 'class %s SMS_Site 1\\nobj %s FAK Name s:x\\nend %s\\n' $2 $2 $2\n"
				"read -r l; set -- $l; printf 'end %s\\n' $2");
	target *t = open_ok(spec);
	objset os;
	objset_init(&os);
	char *err = NULL;
	cr_assert_eq(target_query(t, "SMS_Site", &os, &err), -1);
	cr_assert(strstr(err, "the agent could not answer the query of SMS_Site: WMI is busy (503 source unavailable)"),
		  "%s", err);
	free(err);
	cr_assert_eq(target_query(t, "SMS_Site", &os, &err), 0, "%s", err ? err : "");
	cr_assert_eq(os.n, 1);
	objset_release(&os);
	double t0 = now();
	target_close(t); /* says bye; the agent answers and exits */
	cr_assert_lt(now() - t0, 1.0);
	free(spec);
	tu_rmrf(dir);
	free(dir);
}
