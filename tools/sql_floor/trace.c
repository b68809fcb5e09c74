/*
 * An LD_PRELOAD shim that records every statement the single writer connection of `paylater serve` runs, with
 * the values bound to it, for replay.c. Not part of the product: a measuring tool for docs/BENCHMARKS.md ("the
 * SQL floor"). The writer is recognised as the connection that runs BEGIN IMMEDIATE; statements of other
 * connections (readers, the checkpointer) and those before its first BEGIN IMMEDIATE are not recorded.
 *
 * Record format (SQL_TRACE_OUT): "S <parameter count> <sql bytes>\n<sql>\n", then per parameter one of
 * "N\n", "I <int64>\n", "D <double as %a>\n", "T <bytes>\n<text>\n", "B <bytes>\n<bytes>\n".
 *
 * Build: gcc -O2 -shared -fPIC -o trace.so trace.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 1024
#define MAX_STATEMENTS 4096

typedef struct {
    int type; /* 0 unset, 'N', 'I', 'D', 'T', 'B' */
    sqlite3_int64 integer;
    double real;
    char *bytes;
    int length;
} Value;

typedef struct {
    sqlite3_stmt *statement;
    Value values[MAX_PARAMS];
} Bindings;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static sqlite3 *writer;
static Bindings *bindings[MAX_STATEMENTS];
static int bindingCount;

static Bindings *find(sqlite3_stmt *statement, int create) {
    for (int i = 0; i < bindingCount; i++) if (bindings[i]->statement == statement) return bindings[i];
    if (!create || bindingCount == MAX_STATEMENTS) return NULL;
    Bindings *b = calloc(1, sizeof(Bindings));
    b->statement = statement;
    bindings[bindingCount++] = b;
    return b;
}

static void set(sqlite3_stmt *statement, int index, Value value) {
    if (index < 1 || index > MAX_PARAMS) return;
    pthread_mutex_lock(&lock);
    if (writer == NULL || sqlite3_db_handle(statement) == writer) {
        Bindings *b = find(statement, 1);
        if (b) {
            free(b->values[index - 1].bytes);
            b->values[index - 1] = value;
        } else {
            free(value.bytes);
        }
    } else {
        free(value.bytes);
    }
    pthread_mutex_unlock(&lock);
}

static Value copied(int type, const void *bytes, int length) {
    Value value = {.type = type, .length = length};
    value.bytes = malloc(length > 0 ? length : 1);
    if (length > 0) memcpy(value.bytes, bytes, length);
    return value;
}

#define REAL(name, signature, ...) \
    static int (*real)signature; \
    if (!real) real = dlsym(RTLD_NEXT, name);

int sqlite3_bind_null(sqlite3_stmt *s, int i) {
    REAL("sqlite3_bind_null", (sqlite3_stmt *, int))
    set(s, i, (Value){.type = 'N'});
    return real(s, i);
}

int sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 v) {
    REAL("sqlite3_bind_int64", (sqlite3_stmt *, int, sqlite3_int64))
    set(s, i, (Value){.type = 'I', .integer = v});
    return real(s, i, v);
}

int sqlite3_bind_int(sqlite3_stmt *s, int i, int v) {
    REAL("sqlite3_bind_int", (sqlite3_stmt *, int, int))
    set(s, i, (Value){.type = 'I', .integer = v});
    return real(s, i, v);
}

int sqlite3_bind_double(sqlite3_stmt *s, int i, double v) {
    REAL("sqlite3_bind_double", (sqlite3_stmt *, int, double))
    set(s, i, (Value){.type = 'D', .real = v});
    return real(s, i, v);
}

int sqlite3_bind_text(sqlite3_stmt *s, int i, const char *v, int n, void (*d)(void *)) {
    REAL("sqlite3_bind_text", (sqlite3_stmt *, int, const char *, int, void (*)(void *)))
    set(s, i, v ? copied('T', v, n >= 0 ? n : (int)strlen(v)) : (Value){.type = 'N'});
    return real(s, i, v, n, d);
}

int sqlite3_bind_blob(sqlite3_stmt *s, int i, const void *v, int n, void (*d)(void *)) {
    REAL("sqlite3_bind_blob", (sqlite3_stmt *, int, const void *, int, void (*)(void *)))
    set(s, i, v ? copied('B', v, n) : (Value){.type = 'N'});
    return real(s, i, v, n, d);
}

static void record(sqlite3_stmt *statement) {
    const char *sql = sqlite3_sql(statement);
    int count = sqlite3_bind_parameter_count(statement);
    if (!sql) return;
    if (writer == NULL) {
        if (strncmp(sql, "BEGIN IMMEDIATE", 15) != 0) return;
        writer = sqlite3_db_handle(statement);
    } else if (sqlite3_db_handle(statement) != writer) {
        return;
    }
    if (!out) {
        const char *path = getenv("SQL_TRACE_OUT");
        out = fopen(path ? path : "sql.trace", "w");
        if (!out) abort();
    }
    fprintf(out, "S %d %zu\n%s\n", count, strlen(sql), sql);
    Bindings *b = find(statement, 0);
    for (int i = 0; i < count; i++) {
        Value *v = b && i < MAX_PARAMS ? &b->values[i] : NULL;
        switch (v ? v->type : 'N') {
        case 'I': fprintf(out, "I %lld\n", (long long)v->integer); break;
        case 'D': fprintf(out, "D %a\n", v->real); break;
        case 'T': case 'B':
            fprintf(out, "%c %d\n", v->type, v->length);
            fwrite(v->bytes, 1, v->length, out);
            fputc('\n', out);
            break;
        default: fputs("N\n", out);
        }
    }
}

int sqlite3_step(sqlite3_stmt *statement) {
    REAL("sqlite3_step", (sqlite3_stmt *))
    if (!sqlite3_stmt_busy(statement)) {  /* a new execution, not the next row of one */
        pthread_mutex_lock(&lock);
        record(statement);
        pthread_mutex_unlock(&lock);
    }
    return real(statement);
}

int sqlite3_clear_bindings(sqlite3_stmt *statement) {
    REAL("sqlite3_clear_bindings", (sqlite3_stmt *))
    pthread_mutex_lock(&lock);
    Bindings *b = find(statement, 0);
    if (b) for (int i = 0; i < MAX_PARAMS; i++) { free(b->values[i].bytes); b->values[i] = (Value){0}; }
    pthread_mutex_unlock(&lock);
    return real(statement);
}

int sqlite3_finalize(sqlite3_stmt *statement) {
    REAL("sqlite3_finalize", (sqlite3_stmt *))
    pthread_mutex_lock(&lock);
    for (int i = 0; i < bindingCount; i++) {
        if (bindings[i]->statement != statement) continue;
        for (int j = 0; j < MAX_PARAMS; j++) free(bindings[i]->values[j].bytes);
        free(bindings[i]);
        bindings[i] = bindings[--bindingCount];
        break;
    }
    if (out) fflush(out);
    pthread_mutex_unlock(&lock);
    return real(statement);
}

__attribute__((destructor)) static void flushAtExit(void) {
    if (out) fflush(out);
}
