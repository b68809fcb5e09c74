#ifndef PAYLATER_CPOSTGRES_SHIM_H
#define PAYLATER_CPOSTGRES_SHIM_H
#include <libpq-fe.h>
#endif
