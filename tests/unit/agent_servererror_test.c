/* agent_servererror_test.c — how cmharden's agent client reads `servererror`
 * lines (doc/agent-protocol.md, "query" and "batch"): one site system a class
 * could not be read on, after that class's objects. The class keeps the other
 * servers' objects and carries the reasons (ap_class.partial, then
 * target_partial()), so that no check passes on what was not read; a
 * servererror anywhere else, or malformed, breaks the answer with its line. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "target/agent_proto.h"
#include "target/target.h"
#include "testutil.h"

static const char *asked[] = {"LocalGroup", "Registry", "SMS_Site"};

static const ap_class *find(const ap_response *r, const char *cls)
{
	for (size_t i = 0; i < r->nclasses; i++)
		if (!strcmp(r->classes[i].cls, cls))
			return &r->classes[i];
	return NULL;
}

Test(servererror, a_class_keeps_its_objects_and_every_server_it_could_not_read)
{
	const char *lines[] = {"class 2 LocalGroup 1",
			       "obj 2 CM01/Administrators Name s:Administrators",
			       "servererror 2 LocalGroup DP01 503 The%20RPC%20server%20is%20unavailable.",
			       "servererror 2 localgroup NPS01 503 Access%20is%20denied.",
			       "class 2 Registry 2",
			       "obj 2 CM01/a Name s:a",
			       "obj 2 CM01/b Name s:b",
			       "class 2 SMS_Site 0",
			       "end 2",
			       NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, asked, 3);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	const ap_class *g = find(&r, "LocalGroup"), *reg = find(&r, "Registry"), *site = find(&r, "SMS_Site");
	cr_assert(g && reg && site);
	cr_assert_eq(g->code, 0, "a class with servererror lines is answered, not an error");
	cr_assert_eq(g->objs.n, 1, "the objects of the servers that were read are kept");
	cr_assert_str_eq(g->partial, "DP01: The RPC server is unavailable. (503 source unavailable); "
				     "NPS01: Access is denied. (503 source unavailable)",
			 "every server is named with its reason, in the agent's order (class name matched without case)");
	cr_assert_null(reg->partial, "the next class is complete: the reasons stay with their class");
	cr_assert_eq(reg->objs.n, 2);
	cr_assert_null(site->partial);
	ap_response_release(&r);
}

Test(servererror, a_class_of_no_objects_can_still_be_partial)
{
	/* Every server but one failed and that one had no objects: not "nothing to
	 * check" but a class read on part of the site only. */
	const char *one[] = {"LocalGroup"};
	const char *lines[] = {"class 2 LocalGroup 0", "servererror 2 LocalGroup DP01 503 down", "end 2", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, one, 1);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_eq(r.classes[0].objs.n, 0);
	cr_assert_str_eq(r.classes[0].partial, "DP01: down (503 source unavailable)");
	ap_response_release(&r);
}

Test(servererror, any_server_name_and_code_the_agent_gives_is_kept_as_its_word)
{
	/* The client does not know the site systems: a server the site does not
	 * list is still named, and a code it does not know is named "error". */
	const char *one[] = {"Registry"};
	const char *lines[] = {"class 2 Registry 0", "servererror 2 Registry NOT-A-SITE-SYSTEM%1B[2J 599 odd",
			       "end 2", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, one, 1);
	ap_error e;
	cr_assert_eq(tu_feed_lines(&r, lines, &e), 1, "%s", e.msg);
	cr_assert_str_eq(r.classes[0].partial, "NOT-A-SITE-SYSTEM\x1b[2J: odd (599 error)");
	ap_response_release(&r);
}

static void refused(const char *const *lines, const char *what, unsigned long line)
{
	ap_response r;
	ap_response_init(&r, AP_REQ_QUERY, 2, asked, 3);
	ap_error e;
	int rc = tu_feed_lines(&r, lines, &e);
	cr_assert_lt(rc, 0, "accepted (%d) where '%s' was expected", rc, what);
	cr_assert(strstr(e.msg, what), "message '%s' lacks '%s'", e.msg, what);
	cr_assert_eq(e.line, line, "'%s' reported at line %lu, not %lu", what, e.line, line);
	ap_response_release(&r);
}

Test(servererror, malformed_or_misplaced_lines_break_the_answer_at_their_line)
{
	const char *before[] = {"servererror 2 LocalGroup DP01 503 down", NULL};
	refused(before, "which was not answered with 'class'", 1);
	const char *after_error[] = {"classerror 2 LocalGroup 503 no%20server", "servererror 2 LocalGroup DP01 503 down",
				     NULL};
	refused(after_error, "which was not answered with 'class'", 2);
	const char *unknown[] = {"class 2 LocalGroup 0", "servererror 2 Certificate DP01 503 down", NULL};
	refused(unknown, "class 'Certificate', which was not answered", 2);
	const char *due[] = {"class 2 LocalGroup 1", "servererror 2 LocalGroup DP01 503 down", NULL};
	refused(due, "more 'obj' line(s) of class LocalGroup were due", 2);
	const char *few[] = {"class 2 LocalGroup 0", "servererror 2 LocalGroup DP01 503", NULL};
	refused(few, "'servererror' line with 3 field(s) after the id (4)", 2);
	const char *many[] = {"class 2 LocalGroup 0", "servererror 2 LocalGroup DP01 503 down again", NULL};
	refused(many, "'servererror' line with 5 field(s) after the id (4)", 2);
	static const char *const codes[] = {"5", "099", "1000", "abc", "-503", "50x"};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		char *l = xasprintf("servererror 2 LocalGroup DP01 %s down", codes[i]);
		const char *bad[] = {"class 2 LocalGroup 0", l, NULL};
		refused(bad, "the error code is not a three-digit number", 2);
		free(l);
	}
	const char *other_id[] = {"class 2 LocalGroup 0", "servererror 3 LocalGroup DP01 503 down", NULL};
	refused(other_id, "request 3 while request 2", 2);
}

Test(servererror, is_no_answer_to_anything_but_a_query)
{
	const char *lines[] = {"servererror 2 LocalGroup DP01 503 down", NULL};
	ap_response r;
	ap_response_init(&r, AP_REQ_GET, 2, NULL, 0);
	ap_error e;
	cr_assert_lt(tu_feed_lines(&r, lines, &e), 0, "a servererror line in the answer to a get was accepted");
	cr_assert(strstr(e.msg, "servererror"), "%s", e.msg);
	ap_response_release(&r);
}

/* Through the agent target: the reasons reach target_partial() sanitised and
 * cut, for the class just read only; a malformed line breaks the session. */
static char *fake_agent(const char *dir, const char *body)
{
	char *text = xasprintf("#!/bin/sh\n"
			       "read -r l; set -- $l\n"
			       "printf 'hello %%s 1 fake\\ncap %%s query batch get\\nsite %%s code s:FAK\\n"
			       "site %%s name s:Fake\\nsite %%s server s:CM01\\nend %%s\\n' $2 $2 $2 $2 $2 $2\n"
			       "%s\n",
			       body);
	tu_write(dir, "agent.sh", text);
	free(text);
	char *path = xasprintf("%s/agent.sh", dir);
	chmod(path, 0755);
	char *spec = xasprintf("agent:%s", path);
	free(path);
	return spec;
}

Test(servererror, the_target_keeps_the_reasons_with_the_class_sanitised)
{
	char *dir = tu_tempdir();
	char *spec = fake_agent(dir, "read -r l; set -- $l\n"
				     "printf 'class %s LocalGroup 1\\nobj %s CM01/Users Name s:Users\\n' $2 $2\n"
				     "printf 'servererror %s LocalGroup DP01%%1B]0;pwned%%07 503 The%%20RPC%%20server%%1B[2J\\n' $2\n"
				     "printf 'end %s\\n' $2\n"
				     "read -r l; set -- $l; printf 'class %s Registry 0\\nend %s\\n' $2 $2\n"
				     "read -r l; set -- $l; printf 'end %s\\n' $2");
	target *t = NULL;
	char *err = NULL;
	cr_assert_eq(target_open(spec, tu_content(), &t, &err), 0, "%s", err ? err : "");
	objset os;
	objset_init(&os);
	cr_assert_eq(target_query(t, "LocalGroup", &os, &err), 0, "%s", err ? err : "");
	cr_assert_eq(os.n, 1, "the objects that were read arrive");
	const char *p = target_partial(t, "LocalGroup");
	cr_assert_not_null(p, "the class is marked as read on part of the site");
	cr_assert(strstr(p, "DP01"), "%s", p);
	for (const char *c = p; *c; c++)
		cr_assert((unsigned char)*c >= 0x20 && *c != 0x7f, "a raw control character reaches the screen: %s", p);
	objset_release(&os);
	objset_init(&os);
	cr_assert_eq(target_query(t, "Registry", &os, &err), 0, "%s", err ? err : "");
	cr_assert_null(target_partial(t, "Registry"), "a complete class is not partial");
	cr_assert_null(target_partial(t, "LocalGroup"), "the reasons belong to the last read of their class");
	objset_release(&os);
	target_close(t);
	free(spec);
	tu_rmrf(dir);
	free(dir);
}
