#ifndef PAYLATER_CPOSTGRES_SHIM_H
#define PAYLATER_CPOSTGRES_SHIM_H
#include <libpq-fe.h>

/* The PG_DIAG_* field codes are character-literal macros ('C'), which Swift does not import. */
static inline int cpostgres_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
/* See cpostgres_diag_sqlstate: the primary human-readable message. */
static inline int cpostgres_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
/* See cpostgres_diag_sqlstate: the optional detail message ("Key (id)=(a) already exists."). */
static inline int cpostgres_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
#endif
