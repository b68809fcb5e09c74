#ifndef PAYLATER_CSQLITE_SHIM_H
#define PAYLATER_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro, which Swift cannot import: tells SQLite to copy bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

/// Turns SQLite's memory statistics off, process-wide, before the library initializes (sqlite3_config is variadic,
/// which Swift cannot call). Those statistics take a global mutex on every allocation SQLite makes; nothing here
/// reads them. Returns SQLITE_MISUSE when the library was already initialized.
static inline int csqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

#endif
