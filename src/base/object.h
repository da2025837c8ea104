/* object.h — site objects: a class, a key unique within the class, and named
 * properties. Targets return them; the engine evaluates checks on them. */
#ifndef CMH_OBJECT_H
#define CMH_OBJECT_H

#include "base/value.h"

typedef struct property {
	const char *name; /* interned canonical path, e.g. "Props[MIF Collection].Value" */
	value v;
} property;

typedef struct object {
	char *cls;
	char *key;
	property *props;
	size_t n, cap;
} object;

typedef struct objset {
	object *items;
	size_t n, cap;
} objset;

void object_init(object *o, const char *cls, const char *key);
void object_release(object *o);
/* Sets (replacing) a property; takes ownership of *v. */
void object_put(object *o, const char *name, value *v);
/* Adds a property the caller knows the object lacks (compared case-insensitively),
 * skipping object_put's linear search: for loaders of large input that check
 * uniqueness with a hash. Takes ownership of *v. */
void object_append(object *o, const char *name, value *v);
/* Case-insensitive lookup, as WMI property names are. */
const value *object_get(const object *o, const char *name);

void objset_init(objset *s);
void objset_release(objset *s);
object *objset_add(objset *s, const char *cls, const char *key);
object *objset_find(const objset *s, const char *key);

#endif
