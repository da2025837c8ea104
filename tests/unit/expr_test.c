/* expr_test.c — the check expression language: what each operator means, and
 * that missing properties and type mismatches are errors, never verdicts. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "content/expr.h"
#include "base/util.h"

static object obj;
static site_info site = {"CON", "Contoso", "CM01", "2007 SP2", NULL, "mixed"};

static void setup(void)
{
	object_init(&obj, "SMS_Advertisement", "CON20001");
	value v = value_int(0x88);
	object_put(&obj, "RemoteClientFlags", &v);
	v = value_str("Office 2007 Deploy");
	object_put(&obj, "AdvertisementName", &v);
	v = value_bool(true);
	object_put(&obj, "IncludeSubCollection", &v);
	v = value_str("\\\\CM01");
	object_put(&obj, "NetworkOSPath", &v);
	v = value_int(12);
	object_put(&obj, "Props[MIF Collection].Value", &v);
	v = value_null();
	v.kind = V_LIST;
	value_list_push(&v, "CONTOSO\\Helpdesk");
	value_list_push(&v, "Everyone");
	object_put(&obj, "PropLists[PermittedViewers]", &v);
	v = value_null();
	object_put(&obj, "Comment", &v);
}

static void teardown(void)
{
	object_release(&obj);
}

static int sel(void *ud, const char *cls, const char *path, const expr *f, const char *fs, value *out,
	       char **err)
{
	(void)ud; (void)f; (void)fs; (void)err;
	cr_assert_str_eq(cls, "SMS_Package");
	cr_assert_str_eq(path, "PackageID");
	*out = value_null();
	out->kind = V_LIST;
	value_list_push(out, "CON00010");
	value_list_push(out, "CON00011");
	return 0;
}

/* 1 true, 0 false, -1 error */
static int eval(const char *src)
{
	char *err = NULL;
	int col;
	expr *e = expr_parse(src, &err, &col);
	cr_assert(e, "parse of '%s' failed: %s", src, err ? err : "");
	expr_env env = {&site, sel, NULL};
	bool r = false;
	int rc = expr_eval(e, &obj, &env, &r, &err);
	free(err);
	expr_free(e);
	return rc < 0 ? -1 : r;
}

TestSuite(expr, .init = setup, .fini = teardown);

Test(expr, flags)
{
	cr_expect_eq(eval("RemoteClientFlags has_any 0x08"), 1);
	cr_expect_eq(eval("RemoteClientFlags has_none 0x88"), 0);
	cr_expect_eq(eval("RemoteClientFlags has_all 0x88"), 1);
	cr_expect_eq(eval("RemoteClientFlags has_all 0x98"), 0);
	cr_expect_eq(eval("RemoteClientFlags has_none 0x10"), 1);
}

Test(expr, comparisons_and_logic)
{
	cr_expect_eq(eval("RemoteClientFlags = 136"), 1);
	cr_expect_eq(eval("RemoteClientFlags > 0x80 and not (RemoteClientFlags >= 0x100)"), 1);
	cr_expect_eq(eval("RemoteClientFlags < 1 or IncludeSubCollection"), 1);
	cr_expect_eq(eval("IncludeSubCollection = false"), 0);
	cr_expect_eq(eval("Props['MIF Collection'].Value = 12"), 1);
	cr_expect_eq(eval("Props['MIF Collection'].Value != 0"), 1);
}

Test(expr, strings_are_case_insensitive_like_windows)
{
	cr_expect_eq(eval("AdvertisementName = 'office 2007 deploy'"), 1);
	cr_expect_eq(eval("AdvertisementName contains 'DEPLOY'"), 1);
	cr_expect_eq(eval("AdvertisementName starts_with 'off'"), 1);
	cr_expect_eq(eval("AdvertisementName ends_with 'ploy'"), 1);
	cr_expect_eq(eval("AdvertisementName matches 'office*'"), 1);
	cr_expect_eq(eval("AdvertisementName matches 'Visio*'"), 0);
	cr_expect_eq(eval("AdvertisementName = 'it''s'"), 0);
}

Test(expr, lists)
{
	cr_expect_eq(eval("PropLists['PermittedViewers'] contains 'everyone'"), 1);
	cr_expect_eq(eval("PropLists['PermittedViewers'] contains 'Domain Users'"), 0);
	cr_expect_eq(eval("PropLists['PermittedViewers'] is_empty"), 0);
	cr_expect_eq(eval("Comment is_empty"), 1);
	cr_expect_eq(eval("'CON00011' in select(SMS_Package, PackageID, PackageType = 4)"), 1);
	cr_expect_eq(eval("AdvertisementName in ['a', 'OFFICE 2007 deploy']"), 1);
}

Test(expr, site_and_host)
{
	cr_expect_eq(eval("host(NetworkOSPath) = site.server"), 1);
	cr_expect_eq(eval("site.code = 'con'"), 1);
	char *h = unc_host("[\"Display=\\\\CM02\\\"]MSWNET:[\"SMS_SITE=CON\"]\\\\CM02\\");
	cr_expect_str_eq(h, "CM02");
	free(h);
	h = unc_host("\\\\BRANCH7\\SMSPKGD$");
	cr_expect_str_eq(h, "BRANCH7");
	free(h);
}

Test(expr, missing_property_is_an_error_not_a_verdict)
{
	cr_expect_eq(eval("PermissionRequired = 1"), -1);
	cr_expect_eq(eval("not (PermissionRequired = 1)"), -1);
	cr_expect_eq(eval("Props['Permission Required'].Value = 1"), -1);
	cr_expect_eq(eval("PermissionRequired exists"), 0);
	cr_expect_eq(eval("RemoteClientFlags exists"), 1);
}

Test(expr, type_mismatch_is_an_error)
{
	cr_expect_eq(eval("RemoteClientFlags = '136'"), -1);
	cr_expect_eq(eval("AdvertisementName has_any 1"), -1);
	cr_expect_eq(eval("AdvertisementName"), -1);
	cr_expect_eq(eval("IncludeSubCollection < 2"), -1);
}

Test(expr, short_circuit_guards_missing_properties)
{
	cr_expect_eq(eval("PermissionRequired exists and PermissionRequired = 1"), 0);
	cr_expect_eq(eval("IncludeSubCollection or PermissionRequired = 1"), 1);
}

Test(expr, syntax_errors_give_a_column)
{
	static const struct {
		const char *src;
		int col;
	} bad[] = {{"", 1}, {"a =", 4}, {"(a = 1", 7}, {"a = 1 b", 7}, {"a == 1", 4},
		   {"Props[ 'x' = 1", 12}, {"site.nope = 1", 1}, {"a = 99999999999999999999", 5},
		   {"a = 'x", 5}, {"a in [1, b]", 10}};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *err = NULL;
		int col = 0;
		expr *e = expr_parse(bad[i].src, &err, &col);
		cr_expect_null(e, "'%s' should not parse", bad[i].src);
		cr_expect_eq(col, bad[i].col, "'%s': column %d, expected %d (%s)", bad[i].src, col, bad[i].col,
			     err ? err : "");
		expr_free(e);
		free(err);
	}
}
