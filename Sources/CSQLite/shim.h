#ifndef PAYLATER_CSQLITE_SHIM_H
#define PAYLATER_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro, which Swift cannot import: tells SQLite to copy bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

#endif
