/* fault_vfs.c — SQLite's own way of injecting I/O faults: a VFS registered as
 * the default (sqlite3_vfs_register) in front of the real one, failing the
 * Nth call of one kind on the journal's files. Linked into tests/hostile/
 * cmharden-faults, a cmharden in every other respect (tests/hostile/
 * journal_faults.sh).
 *
 *   CMH_FAULT_FILE  the journal's path (its -wal and -shm files count too)
 *   CMH_FAULT_OP    open, read, write, sync or lock (xLock and xShmLock)
 *   CMH_FAULT_N     fail the Nth call of that kind (1-based); 0 counts only
 *   CMH_FAULT_COUNT a file to which the number of calls seen is written at exit
 * A failed call returns SQLITE_IOERR_* (SQLITE_CANTOPEN for open, SQLITE_BUSY
 * for lock), as a failing disk or a lock held elsewhere would. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_OPEN, OP_READ, OP_WRITE, OP_SYNC, OP_LOCK, OP_N };
static const char *const op_names[OP_N] = {"open", "read", "write", "sync", "lock"};

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;
static const char *fault_file;
static size_t fault_file_len;
static int fault_op = -1;
static long fault_n, calls;

typedef struct ffile {
	sqlite3_file base;
	sqlite3_file *real; /* follows this struct in the same allocation */
	int watched;
} ffile;

/* 1 when this call is the one to fail. */
static int hit(int op, int watched)
{
	if (!watched || op != fault_op)
		return 0;
	return ++calls == fault_n;
}

static sqlite3_file *R(sqlite3_file *f)
{
	return ((ffile *)f)->real;
}

static int W(sqlite3_file *f)
{
	return ((ffile *)f)->watched;
}

static int f_close(sqlite3_file *f)
{
	int rc = R(f)->pMethods ? R(f)->pMethods->xClose(R(f)) : SQLITE_OK;
	return rc;
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (hit(OP_READ, W(f)))
		return SQLITE_IOERR_READ;
	return R(f)->pMethods->xRead(R(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (hit(OP_WRITE, W(f)))
		return SQLITE_IOERR_WRITE;
	return R(f)->pMethods->xWrite(R(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return R(f)->pMethods->xTruncate(R(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (hit(OP_SYNC, W(f)))
		return SQLITE_IOERR_FSYNC;
	return R(f)->pMethods->xSync(R(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return R(f)->pMethods->xFileSize(R(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	if (hit(OP_LOCK, W(f)))
		return SQLITE_BUSY;
	return R(f)->pMethods->xLock(R(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return R(f)->pMethods->xUnlock(R(f), level);
}

static int f_check(sqlite3_file *f, int *out)
{
	return R(f)->pMethods->xCheckReservedLock(R(f), out);
}

static int f_fctl(sqlite3_file *f, int op, void *arg)
{
	return R(f)->pMethods->xFileControl(R(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return R(f)->pMethods->xSectorSize(R(f));
}

static int f_dev(sqlite3_file *f)
{
	return R(f)->pMethods->xDeviceCharacteristics(R(f));
}

static int f_shmmap(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return R(f)->pMethods->xShmMap(R(f), pg, pgsz, extend, pp);
}

static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	/* Only taking a lock fails; releasing one must not. */
	if ((flags & SQLITE_SHM_LOCK) && hit(OP_LOCK, W(f)))
		return SQLITE_BUSY;
	return R(f)->pMethods->xShmLock(R(f), off, n, flags);
}

static void f_shmbarrier(sqlite3_file *f)
{
	R(f)->pMethods->xShmBarrier(R(f));
}

static int f_shmunmap(sqlite3_file *f, int del)
{
	return R(f)->pMethods->xShmUnmap(R(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	*pp = NULL; /* no memory-mapped reads: every read goes through xRead */
	(void)f, (void)off, (void)n;
	return SQLITE_OK;
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f, (void)off, (void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods fault_io = {
	3,	    f_close,	  f_read,	    f_write,	   f_truncate, f_sync,	 f_size,   f_lock,
	f_unlock,   f_check,	  f_fctl,	    f_sector,	   f_dev,      f_shmmap, f_shmlock, f_shmbarrier,
	f_shmunmap, f_fetch,	  f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	ffile *ff = (ffile *)f;
	memset(ff, 0, sizeof *ff);
	ff->real = (sqlite3_file *)(ff + 1);
	ff->watched = name && fault_file && !strncmp(name, fault_file, fault_file_len) &&
		      (name[fault_file_len] == 0 || name[fault_file_len] == '-');
	if (hit(OP_OPEN, ff->watched))
		return SQLITE_CANTOPEN;
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	if (rc == SQLITE_OK)
		f->pMethods = &fault_io;
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *n, int s)
{
	(void)v;
	return real_vfs->xDelete(real_vfs, n, s);
}

static int v_access(sqlite3_vfs *v, const char *n, int fl, int *out)
{
	(void)v;
	return real_vfs->xAccess(real_vfs, n, fl, out);
}

static int v_full(sqlite3_vfs *v, const char *n, int len, char *out)
{
	(void)v;
	return real_vfs->xFullPathname(real_vfs, n, len, out);
}

static int v_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_lasterr(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, n, out) : 0;
}

static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static void write_count(void)
{
	const char *p = getenv("CMH_FAULT_COUNT");
	FILE *f = p ? fopen(p, "w") : NULL;
	if (f) {
		fprintf(f, "%ld\n", calls);
		fclose(f);
	}
}

__attribute__((constructor)) static void fault_vfs_install(void)
{
	const char *op = getenv("CMH_FAULT_OP"), *n = getenv("CMH_FAULT_N");
	fault_file = getenv("CMH_FAULT_FILE");
	if (!op || !n || !fault_file)
		return;
	for (int i = 0; i < OP_N; i++)
		if (!strcmp(op, op_names[i]))
			fault_op = i;
	fault_n = atol(n);
	fault_file_len = strlen(fault_file);
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || fault_op < 0)
		return;
	fault_vfs = *real_vfs;
	fault_vfs.iVersion = 2;
	fault_vfs.szOsFile = (int)sizeof(ffile) + real_vfs->szOsFile;
	fault_vfs.zName = "cmh-fault";
	fault_vfs.pAppData = NULL;
	fault_vfs.xOpen = v_open;
	fault_vfs.xDelete = v_delete;
	fault_vfs.xAccess = v_access;
	fault_vfs.xFullPathname = v_full;
	fault_vfs.xDlOpen = NULL;
	fault_vfs.xDlError = NULL;
	fault_vfs.xDlSym = NULL;
	fault_vfs.xDlClose = NULL;
	fault_vfs.xRandomness = v_random;
	fault_vfs.xSleep = v_sleep;
	fault_vfs.xCurrentTime = v_time;
	fault_vfs.xGetLastError = v_lasterr;
	fault_vfs.xCurrentTimeInt64 = v_time64;
	sqlite3_vfs_register(&fault_vfs, 1);
	atexit(write_count);
}
