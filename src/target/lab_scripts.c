/* lab_scripts.c — the lab's handlers for the shipped fix scripts (see
 * lab_scripts.h). Each handler mirrors one .ps1 file; keep them in step.
 *
 * Invariants: parameters are used as data only (compared, stored, looked
 * up); a handler never writes in capture; apply and undo change only the
 * property their scripts change; names compare without regard to case, as
 * Windows compares them. */
#include "config.h"
#include "target/lab_scripts.h"
#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *param_str(const script_param *p, size_t n, const char *name)
{
	const script_param *sp = script_params_find(p, n, name);
	return sp && sp->v.kind == V_STR ? sp->v.s : NULL;
}

static const value *param_list(const script_param *p, size_t n, const char *name)
{
	const script_param *sp = script_params_find(p, n, name);
	return sp && sp->v.kind == V_LIST ? &sp->v : NULL;
}

/* The object of `cls` whose properties a and b equal va and vb (without
 * regard to case), and the value of its property `prop`, a list. */
static int find_list(lab_io *io, objset *all, const char *cls, const char *a, const char *va, const char *b,
		     const char *vb, const char *prop, object **obj, const value **list, char **err)
{
	objset_init(all);
	if (lab_io_query(io, cls, all, err) < 0)
		return -1;
	for (size_t i = 0; i < all->n; i++) {
		object *o = &all->items[i];
		const value *x = object_get(o, a), *y = object_get(o, b), *l = object_get(o, prop);
		if (!x || !y || x->kind != V_STR || y->kind != V_STR || !str_ieq(x->s, va) || !str_ieq(y->s, vb))
			continue;
		if (!l || l->kind != V_LIST) {
			*err = xasprintf(_("%s '%s' has no list %s"), cls, o->key, prop);
			return -1;
		}
		*obj = o;
		*list = l;
		return 0;
	}
	*err = xasprintf(_("there is no %s with %s '%s' and %s '%s'"), cls, a, va, b, vb);
	return -1;
}

/* ---------- fixes/scripts/localgroup-remove-members ----------
 * The members of a local group (LocalGroup.Members); the .ps1 files bind
 * [ADSI]"WinNT://SERVER/GROUP,group" and read its members as DOMAIN\name. */

typedef int (*list_op)(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
		       const script_param *p, size_t n, value *result, char **err);

static int with_group(lab_io *io, const script_param *p, size_t n, value *result, char **err, list_op op)
{
	const char *server = param_str(p, n, "Server"), *group = param_str(p, n, "Group");
	if (!server || !group) {
		*err = xstrdup(_("localgroup-remove-members needs Server and Group"));
		return -1;
	}
	objset all;
	object *o = NULL;
	const value *members = NULL;
	int rc = find_list(io, &all, "LocalGroup", "Server", server, "Name", group, "Members", &o, &members, err);
	if (rc == 0)
		rc = op(io, o, "LocalGroup", "Members", members, p, n, result, err);
	objset_release(&all);
	return rc;
}

/* capture.ps1: the names of the members. */
static int list_capture(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
			const script_param *p, size_t n, value *result, char **err)
{
	(void)io, (void)o, (void)cls, (void)prop, (void)p, (void)n, (void)err;
	*result = value_copy(cur);
	return 0;
}

/* apply.ps1: removes each member named in Members that is in the group;
 * names that are not members are left alone. */
static int list_remove(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
		       const script_param *p, size_t n, value *result, char **err, const char *param)
{
	(void)result;
	const value *rm = param_list(p, n, param);
	if (!rm) {
		*err = xasprintf(_("the script needs the list %s"), param);
		return -1;
	}
	value next = script_state_remove(cur, rm);
	int rc = lab_io_put(io, cls, o->key, prop, &next, err);
	value_clear(&next);
	return rc;
}

static int members_remove(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
			  const script_param *p, size_t n, value *result, char **err)
{
	return list_remove(io, o, cls, prop, cur, p, n, result, err, "Members");
}

/* undo.ps1: makes the list what State says: adds what is missing and
 * removes what State does not hold. The lab also restores State's order,
 * so an undone lab is identical to the lab before the fix. */
static int list_restore(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
			const script_param *p, size_t n, value *result, char **err)
{
	(void)cur, (void)result;
	const value *state = param_list(p, n, SCRIPT_STATE_PARAM);
	if (!state) {
		*err = xstrdup(_("undo needs the captured State"));
		return -1;
	}
	return lab_io_put(io, cls, o->key, prop, state, err);
}

static int lg_capture(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_group(io, p, n, result, err, list_capture);
}

static int lg_apply(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_group(io, p, n, result, err, members_remove);
}

static int lg_undo(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_group(io, p, n, result, err, list_restore);
}

/* ---------- fixes/scripts/share-acl-set-entries ----------
 * The share permissions of \\SERVER\SHARE (FileAcl.Entries of the object
 * whose Kind is share); the .ps1 files read and write the DACL of the
 * share's Win32_LogicalShareSecuritySetting. */

static int with_share(lab_io *io, const script_param *p, size_t n, value *result, char **err, list_op op)
{
	const char *server = param_str(p, n, "Server"), *path = param_str(p, n, "Path");
	if (!server || !path) {
		*err = xstrdup(_("share-acl-set-entries needs Server and Path"));
		return -1;
	}
	objset all;
	object *o = NULL;
	const value *entries = NULL;
	int rc = find_list(io, &all, "FileAcl", "Server", server, "Path", path, "Entries", &o, &entries, err);
	const value *kind = rc == 0 ? object_get(o, "Kind") : NULL;
	if (rc == 0 && (!kind || kind->kind != V_STR || !str_ieq(kind->s, "share"))) {
		/* The scripts look the name up among the server's shares. */
		*err = xasprintf(_("there is no share %s on %s"), path, server);
		rc = -1;
	}
	if (rc == 0)
		rc = op(io, o, "FileAcl", "Entries", entries, p, n, result, err);
	objset_release(&all);
	return rc;
}

/* apply.ps1: the share gets exactly Entries (refused when empty: a share
 * with no entries lets no one in). */
static int entries_set(lab_io *io, const object *o, const char *cls, const char *prop, const value *cur,
		       const script_param *p, size_t n, value *result, char **err)
{
	(void)cur, (void)result;
	const value *e = param_list(p, n, "Entries");
	if (!e || e->n == 0) {
		*err = xstrdup(_("give at least one entry: a share with no entries lets no one in"));
		return -1;
	}
	return lab_io_put(io, cls, o->key, prop, e, err);
}

static int share_capture(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_share(io, p, n, result, err, list_capture);
}

static int share_apply(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_share(io, p, n, result, err, entries_set);
}

/* undo.ps1: the share gets State back. */
static int share_undo(lab_io *io, const script_param *p, size_t n, value *result, char **err)
{
	return with_share(io, p, n, result, err, list_restore);
}

/* ---------- the table ---------- */

const lab_script lab_scripts[] = {
	{"localgroup-remove-members",
	 {{"Server", ST_HOSTNAME}, {"Group", ST_NAME}, {"Members", ST_PRINCIPAL_LIST}},
	 3,
	 ST_PRINCIPAL_LIST,
	 {lg_capture, lg_apply, lg_undo}},
	{"share-acl-set-entries",
	 {{"Server", ST_HOSTNAME}, {"Path", ST_PATH}, {"Entries", ST_ACL_ENTRY_LIST}},
	 3,
	 ST_ACL_ENTRY_LIST,
	 {share_capture, share_apply, share_undo}},
};
const size_t lab_nscripts = ARRAY_SIZE(lab_scripts);

const lab_script *lab_script_find(const char *name)
{
	for (size_t i = 0; i < lab_nscripts; i++)
		if (!strcmp(lab_scripts[i].name, name))
			return &lab_scripts[i];
	return NULL;
}
