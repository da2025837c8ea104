/* probe.h — which data sources of a site can be read, per site system, and
 * why not (doc/agent-protocol.md, "probe"). `cmharden doctor` shows it.
 *
 * A data source is one way of reaching a site's state: the SMS Provider's
 * namespace, the site control file, and on every site system the registry,
 * the services, the IIS metabase, local groups, shares and ACLs, certificate
 * stores. Every class the checks read comes from one source (probe_source_of),
 * so a source that cannot be read names the checks that cannot be judged. */
#ifndef CMH_PROBE_H
#define CMH_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/* Why a source could not be read. The wire names are those of the protocol. */
typedef enum {
	PROBE_OK,          /* "ok" */
	PROBE_DENIED,      /* "denied": access denied */
	PROBE_WINRM,       /* "winrm": WinRM not enabled or refused the connection */
	PROBE_UNRESOLVED,  /* "unresolved": the server's name did not resolve */
	PROBE_TIMEOUT,     /* "timeout" */
	PROBE_UNAVAILABLE, /* "unavailable": any other failure (the message says which) */
	PROBE_DROPPED,     /* "dropped": a session that was open broke while in use */
	PROBE_NSTATES
} probe_state;

const char *probe_state_name(probe_state s);
/* The state for a wire name; unknown names are PROBE_UNAVAILABLE (a newer agent's
 * reason is still a failure). */
probe_state probe_state_parse(const char *name);
/* For people: "readable", "access denied", "WinRM not enabled or refused", ... */
const char *probe_state_text(probe_state s);

/* The data sources (wire names) in the order they are shown. "admin" is not
 * read by checks: it says whether the account may change that server
 * (a member of its local Administrators group), which fixes need. */
extern const char *const probe_sources[];
extern const size_t probe_nsources;
/* For people: "SMS Provider namespace", "site control file", ... (translated). */
const char *probe_source_title(const char *source);
/* The source a class is read from, or NULL for a class of no known source. */
const char *probe_source_of(const char *cls);
/* True for the sources read on the SMS Provider's host only. */
bool probe_source_is_provider(const char *source);

typedef struct probe_item {
	char *source;
	char *server;
	probe_state state;
	char *message; /* the agent's words; may be NULL */
} probe_item;

/* A right of the account on a class of the SMS Provider, as the provider
 * answers for the current user (doc/agent-protocol.md, "probe": the `right`
 * lines). Only the classes an agent asked about are present: a class that is
 * not is not known, never granted. */
typedef enum {
	RIGHT_YES,     /* "yes": the provider says the account has it */
	RIGHT_NO,      /* "no": the provider says it has not */
	RIGHT_UNKNOWN, /* "unknown": the question failed (the message says why) */
} right_state;

typedef struct probe_right {
	char *cls;     /* SMS_Advertisement */
	char *right;   /* modify */
	right_state state;
	char *message; /* may be NULL */
} probe_right;

typedef struct probe_result {
	probe_item *items;
	size_t n;
	bool can_change;  /* the target accepts changes */
	char *change_why; /* why not, or a remark; may be NULL */
	probe_right *rights;
	size_t nrights;
} probe_result;

/* The classes whose MODIFY right an agent's probe asks about: the secured
 * object classes the Configuration Manager 2007 SDK names (doc/agent-protocol.md,
 * "probe"). A class that is not one of them is not asked: nothing documented
 * says which right guards it. */
extern const char *const probe_secured_classes[];
extern const size_t probe_nsecured_classes;

const char *right_state_name(right_state s);
/* -1 for a name that is not yes, no or unknown. */
int right_state_parse(const char *name);
/* Adds or replaces the state of (cls, right); message may be NULL. */
void probe_put_right(probe_result *p, const char *cls, const char *right, right_state st, const char *message);
const probe_right *probe_find_right(const probe_result *p, const char *cls, const char *right);

void probe_init(probe_result *p);
void probe_release(probe_result *p);
/* Adds or replaces the state of (source, server); message may be NULL. */
void probe_put(probe_result *p, const char *source, const char *server, probe_state st, const char *message);
const probe_item *probe_find(const probe_result *p, const char *source, const char *server);
/* The servers named in the result, each once, in order of first appearance. */
size_t probe_servers(const probe_result *p, const char ***out);

#endif
