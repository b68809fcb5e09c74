#ifndef PAYLATER_CSQLITE_SHIM_H
#define PAYLATER_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a cast macro, which Swift cannot import: tells SQLite to copy bound text and blobs.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }

/// Turns SQLite's memory statistics off, process-wide, before the library initializes (sqlite3_config is variadic,
/// which Swift cannot call). Those statistics take a global mutex on every allocation SQLite makes; nothing here
/// reads them. Returns SQLITE_MISUSE when the library was already initialized.
static inline int csqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

/// Starts the kernel writing a file's dirty pages to disk without waiting for them (Linux `sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`, over the whole file). Declared here because glibc declares it only under _GNU_SOURCE,
/// which Swift's Glibc module does not define; it makes nothing durable (only fsync does). Returns 0, or -1 with
/// errno set.
#if defined(__linux__)
#include <stdint.h>
int sync_file_range(int fd, int64_t offset, int64_t count, unsigned int flags);
static inline int csqlite_start_writeback(int fd) { return sync_file_range(fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */); }
#else
static inline int csqlite_start_writeback(int fd) { (void)fd; return 0; }
#endif

#endif
