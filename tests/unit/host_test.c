/* host_test.c — the one rule for "the same server" (same_host, host_same()):
 * NetBIOS names, FQDNs, UNC and NAL paths, in any case, as site data holds them.
 * A false "same" hides a distribution point on the site server; a false "not
 * the same" turns a check on the site server into not-applicable. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "content/expr.h"
#include "base/util.h"

Test(host_same, one_server_in_every_form)
{
	const char *forms[] = {"CM01",
			       "cm01",
			       "CM01.contoso.com",
			       "cm01.CONTOSO.COM.",
			       "\\\\CM01",
			       "\\\\cm01.contoso.com\\SMSPKGD$",
			       "[\"Display=\\\\CM01\\\"]MSWNET:[\"SMS_SITE=CON\"]\\\\CM01\\",
			       "[\"Display=\\\\cm01.contoso.com\\\"]MSWNET:[\"SMS_SITE=CON\"]\\\\cm01.contoso.com\\"};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
		for (size_t j = 0; j < sizeof forms / sizeof *forms; j++)
			cr_expect(host_same(forms[i], forms[j]), "'%s' and '%s' name one server", forms[i],
				  forms[j]);
}

Test(host_same, different_servers_stay_different)
{
	cr_expect(!host_same("CM01", "CM011"));
	cr_expect(!host_same("CM01", "CM02.contoso.com"));
	cr_expect(!host_same("cm01.contoso.com", "cm01.fabrikam.com"), "two FQDNs must match whole");
	cr_expect(!host_same("\\\\CM01-DP\\SMSPKGD$", "CM01"));
	cr_expect(!host_same("", ""), "an empty name is no server");
	cr_expect(!host_same("CM01", ""));
	cr_expect(!host_same("10.0.0.1", "10.0.0.10"));
	cr_expect(host_same("10.0.0.1", "\\\\10.0.0.1\\share"));
	cr_expect(!host_same("10.0.0.1", "10"), "an address is compared whole");
}

/* The operator in check expressions: the form dp.remove-from-site-server and
 * the Remote Desktop checks use. */
static bool eval(const char *src, const object *o, const site_info *si)
{
	char *err = NULL;
	int col = 0;
	expr *e = expr_parse(src, &err, &col);
	cr_assert_not_null(e, "%s: %s", src, err ? err : "");
	expr_env env = {si, NULL, NULL};
	bool res = false;
	int rc = expr_eval(e, o, &env, &res, &err);
	cr_assert_eq(rc, 0, "%s: %s", src, err ? err : "");
	expr_free(e);
	return res;
}

Test(host_same, operator_compares_site_server_in_any_form)
{
	site_info fqdn = {"CON", "Contoso", "CM01.contoso.com", "2007 SP2", NULL, "mixed"};
	site_info shortname = {"CON", "Contoso", "CM01", "2007 SP2", NULL, "mixed"};
	object o;
	object_init(&o, "SMS_SCI_SysResUse", "dp");
	value v = value_str("\\\\cm01");
	object_put(&o, "NetworkOSPath", &v);
	v = value_str("cm01.CONTOSO.com");
	object_put(&o, "Server", &v);
	cr_expect(eval("NetworkOSPath same_host site.server", &o, &fqdn));
	cr_expect(eval("NetworkOSPath same_host site.server", &o, &shortname));
	cr_expect(eval("Server same_host site.server", &o, &shortname));
	cr_expect(eval("Server same_host site.server", &o, &fqdn));
	cr_expect(!eval("Server same_host 'CM02'", &o, &fqdn));
	/* The old comparison, which the rule replaces, is wrong for these forms. */
	cr_expect(!eval("host(NetworkOSPath) = site.server", &o, &fqdn));
	object_release(&o);
}

Test(host_same, operator_needs_text)
{
	char *err = NULL;
	int col = 0;
	expr *e = expr_parse("N same_host 'CM01'", &err, &col);
	cr_assert_not_null(e);
	object o;
	object_init(&o, "X", "x");
	value v = value_int(1);
	object_put(&o, "N", &v);
	expr_env env = {NULL, NULL, NULL};
	bool res;
	cr_expect_eq(expr_eval(e, &o, &env, &res, &err), -1, "a number is no host name");
	cr_expect(err && strstr(err, "same_host"));
	free(err);
	expr_free(e);
	object_release(&o);
}
