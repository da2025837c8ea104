#include "config.h"
#include "base/object.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
	const char **slots;
	size_t cap, n;
} names;

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Property names repeat across every object of a class (a large site holds
 * hundreds of thousands of objects), so they are interned once per process. */
static const char *intern_name(const char *s)
{
	if (names.n * 2 >= names.cap) {
		size_t nc = names.cap ? names.cap * 2 : 256;
		const char **ns = xcalloc(nc, sizeof *ns);
		for (size_t i = 0; i < names.cap; i++) {
			if (!names.slots[i])
				continue;
			size_t j = name_hash(names.slots[i]) & (nc - 1);
			while (ns[j])
				j = (j + 1) & (nc - 1);
			ns[j] = names.slots[i];
		}
		free(names.slots);
		names.slots = ns;
		names.cap = nc;
	}
	size_t j = name_hash(s) & (names.cap - 1);
	while (names.slots[j]) {
		if (strcmp(names.slots[j], s) == 0)
			return names.slots[j];
		j = (j + 1) & (names.cap - 1);
	}
	names.n++;
	return names.slots[j] = xstrdup(s);
}

void object_init(object *o, const char *cls, const char *key)
{
	memset(o, 0, sizeof *o);
	o->cls = xstrdup(cls);
	o->key = xstrdup(key);
}

void object_release(object *o)
{
	for (size_t i = 0; i < o->n; i++)
		value_clear(&o->props[i].v);
	free(o->props);
	free(o->cls);
	free(o->key);
	memset(o, 0, sizeof *o);
}

void object_put(object *o, const char *name, value *v)
{
	for (size_t i = 0; i < o->n; i++) {
		if (strcasecmp(o->props[i].name, name) == 0) {
			value_clear(&o->props[i].v);
			o->props[i].v = *v;
			*v = value_null();
			return;
		}
	}
	GROW(o->props, o->cap, o->n + 1);
	o->props[o->n].name = intern_name(name);
	o->props[o->n].v = *v;
	o->n++;
	*v = value_null();
}

void object_append(object *o, const char *name, value *v)
{
	GROW(o->props, o->cap, o->n + 1);
	o->props[o->n].name = intern_name(name);
	o->props[o->n].v = *v;
	o->n++;
	*v = value_null();
}

const value *object_get(const object *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcasecmp(o->props[i].name, name) == 0)
			return &o->props[i].v;
	return NULL;
}

void objset_init(objset *s)
{
	memset(s, 0, sizeof *s);
}

void objset_release(objset *s)
{
	for (size_t i = 0; i < s->n; i++)
		object_release(&s->items[i]);
	free(s->items);
	memset(s, 0, sizeof *s);
}

object *objset_add(objset *s, const char *cls, const char *key)
{
	GROW(s->items, s->cap, s->n + 1);
	object *o = &s->items[s->n++];
	object_init(o, cls, key);
	return o;
}

object *objset_find(const objset *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcasecmp(s->items[i].key, key) == 0)
			return &s->items[i];
	return NULL;
}
