/* value_names_test.c — evidence an administrator reads at a glance: values
 * shown with the names the SDK gives them, from the content (checks/00-values.yaml),
 * and quantities with their unit; names that cannot be right are lint errors. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "content/catalog.h"
#include "content/value_names.h"
#include "base/util.h"
#include "testutil.h"

static catalog cat;

static void load_shipped(void)
{
	diags d = {0};
	cr_assert_eq(catalog_load(&cat, tu_content(), &d), 0, "the shipped content loads");
	diags_release(&d);
}

static void unload(void)
{
	catalog_release(&cat);
}

static char *fmt(const char *cls, const char *prop, value v)
{
	strbuf sb = STRBUF_INIT;
	value_format_named(cls, prop, &v, &sb);
	value_clear(&v);
	return sb_detach(&sb);
}

Test(value_names, flags_by_sdk_name_with_the_value, .init = load_shipped, .fini = unload)
{
	char *s = fmt("SMS_Advertisement", "RemoteClientFlags", value_int(136));
	cr_expect_str_eq(s, "136 (0x88: RUN_FROM_LOCAL_DISPPOINT | RUN_FROM_REMOTE_DISPPOINT)");
	free(s);
	s = fmt("sms_advertisement", "RemoteClientFlags", value_int(0x300));
	cr_expect_str_eq(s, "768 (0x300: DOWNLOAD_ON_DEMAND_FROM_LOCAL_DP | DOWNLOAD_ON_DEMAND_FROM_REMOTE_DP)",
			 "class names compare as WMI does");
	free(s);
	/* A bit the content does not name is shown, never dropped. */
	s = fmt("SMS_Advertisement", "RemoteClientFlags", value_int(0x10010));
	cr_expect_str_eq(s, "65552 (0x10010: DOWNLOAD_FROM_LOCAL_DISPPOINT | 0x10000)");
	free(s);
	s = fmt("SMS_Package", "PkgSourceFlag", value_int(1));
	cr_expect_str_eq(s, "1 (STORAGE_NO_SOURCE)");
	free(s);
}

Test(value_names, quantities_with_their_unit, .init = load_shipped, .fini = unload)
{
	const char *p = "Props[SMPStoreDeletionDelayTimeInMinutes].Value";
	char *s = fmt("SMS_SCI_SysResUse", p, value_int(1440));
	cr_expect_str_eq(s, "1440 minutes (1 day)");
	free(s);
	s = fmt("SMS_SCI_SysResUse", p, value_int(0));
	cr_expect_str_eq(s, "0 minutes");
	free(s);
	s = fmt("SMS_SCI_SysResUse", p, value_int(90));
	cr_expect_str_eq(s, "90 minutes", "no rounding: 90 minutes is not 1 hour");
	free(s);
	s = fmt("SMS_SCI_SysResUse", p, value_int(2880));
	cr_expect_str_eq(s, "2880 minutes (2 days)");
	free(s);
}

Test(value_names, other_values_are_formatted_as_before, .init = load_shipped, .fini = unload)
{
	char *s = fmt("SMS_Advertisement", "Priority", value_int(136));
	cr_expect_str_eq(s, "136 (0x88)");
	free(s);
	s = fmt("SMS_Advertisement", "RemoteClientFlags", value_str("136"));
	cr_expect_str_eq(s, "136", "a value of another type is never given names");
	free(s);
	s = fmt(NULL, NULL, value_int(5));
	cr_expect_str_eq(s, "5");
	free(s);
}

Test(value_names, lint_refuses_names_that_cannot_be_right)
{
	const char *bad = "values:\n"
			  "  - class: SMS_Advertisement\n"
			  "    property: RemoteClientFlags\n"
			  "    flags:\n"
			  "      0x18: TWO_BITS\n"
			  "      0x20: 'not a name'\n"
			  "  - class: SMS_Package\n"
			  "    property: PkgSourceFlag\n"
			  "    enum:\n"
			  "      1: STORAGE_NO_SOURCE\n"
			  "    unit: minutes\n";
	catalog c = {0};
	diags d = {0};
	cr_expect_neq(catalog_load_buffer(&c, "values.yaml", bad, strlen(bad), &d), 0);
	strbuf all = STRBUF_INIT;
	for (size_t i = 0; i < d.n; i++)
		sb_addf(&all, "%d: %s\n", d.items[i].line, d.items[i].msg);
	const char *t = sb_str(&all);
	cr_expect(strstr(t, "2: names of values need 'references'"), "%s", t);
	cr_expect(strstr(t, "5: a flag must be a single bit, not 0x18"), "%s", t);
	cr_expect(strstr(t, "6: a name must be an SDK name"), "%s", t);
	cr_expect(strstr(t, "exactly one of 'flags', 'enum' or 'unit'"), "%s", t);
	sb_release(&all);
	diags_release(&d);
	catalog_release(&c);
}
