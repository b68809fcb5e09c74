/*
 * Replays the writer's statements recorded by trace.c against a copy of the database as it was when the trace
 * began, and reports the time SQLite alone takes for them: the floor under the single writer's time per
 * authorization, with the same statements, values, transactions and group commits, but none of Paylater's own
 * work (decisions, JSON, Swift). Not part of the product: a measuring tool for docs/BENCHMARKS.md.
 *
 * Settings as the product's writer: WAL, synchronous = NORMAL (the product syncs the WAL itself, outside the
 * writer), 64 MiB page cache, foreign keys on, temp_store in memory. The product copies the WAL into the database
 * in the background; here a RESTART checkpoint runs, untimed (the log then starts over in place, as in the product), every 400 commits, and SQLite's own is off.
 *
 * Usage: replay DATABASE TRACE AUTHORIZATIONS (with BY_STATEMENT=1 in the environment, also the time per statement;
 * with SKIP=text1|text2, statements whose SQL contains one of the texts are left out: what the rest costs without
 * them, for instance without the velocity events' table, `SKIP=application_events`)
 * Build: gcc -O2 -o replay replay.c -lsqlite3
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { int type; sqlite3_int64 integer; double real; char *bytes; int length; } Value;
typedef struct { int statement; int count; Value *values; } Execution;

static char **texts; static sqlite3_stmt **prepared; static double *spent; static long *runs;
static int textCount, textCapacity;

/* Whether `sql` contains one of the |-separated texts of SKIP. */
static int skipped(const char *sql) {
    const char *skip = getenv("SKIP");
    if (!skip || !*skip) return 0;
    char *list = strdup(skip), *save = NULL;
    int found = 0;
    for (char *text = strtok_r(list, "|", &save); text && !found; text = strtok_r(NULL, "|", &save)) found = strstr(sql, text) != NULL;
    free(list);
    return found;
}

static char *skipFlags;  /* per interned statement: 1 when SKIP leaves it out */

static int intern(const char *sql) {  /* statements are few: a linear search is enough */
    for (int i = 0; i < textCount; i++) if (strcmp(texts[i], sql) == 0) return i;
    if (textCount == textCapacity) {
        textCapacity = textCapacity ? 2 * textCapacity : 256;
        texts = realloc(texts, textCapacity * sizeof *texts);
        prepared = realloc(prepared, textCapacity * sizeof *prepared);
        spent = realloc(spent, textCapacity * sizeof *spent);
        runs = realloc(runs, textCapacity * sizeof *runs);
        skipFlags = realloc(skipFlags, textCapacity);
    }
    skipFlags[textCount] = (char)skipped(sql);
    spent[textCount] = 0;
    runs[textCount] = 0;
    texts[textCount] = strdup(sql);
    prepared[textCount] = NULL;
    return textCount++;
}

static char *readBytes(FILE *in, int length) {
    char *bytes = malloc(length + 1);
    if (fread(bytes, 1, length, in) != (size_t)length || fgetc(in) != '\n') { fprintf(stderr, "truncated trace\n"); exit(2); }
    bytes[length] = 0;
    return bytes;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void run(sqlite3 *db, const char *sql) {
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) { fprintf(stderr, "%s: %s\n", sql, message); exit(2); }
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: replay DATABASE TRACE AUTHORIZATIONS\n"); return 2; }
    FILE *in = fopen(argv[2], "r");
    if (!in) { perror(argv[2]); return 2; }
    Execution *executions = NULL; long count = 0, capacity = 0;
    int parameters; size_t length;
    while (fscanf(in, "S %d %zu", &parameters, &length) == 2) {
        fgetc(in);
        char *sql = readBytes(in, (int)length);
        if (count == capacity) { capacity = capacity ? 2 * capacity : 1 << 16; executions = realloc(executions, capacity * sizeof *executions); }
        Execution *e = &executions[count++];
        e->statement = intern(sql); e->count = parameters;
        e->values = calloc(parameters > 0 ? parameters : 1, sizeof(Value));
        free(sql);
        for (int i = 0; i < parameters; i++) {
            char type; if (fscanf(in, "%c", &type) != 1) { fprintf(stderr, "truncated trace\n"); return 2; }
            Value *v = &e->values[i]; v->type = type;
            int n = 0;
            switch (type) {
            case 'N': break;
            case 'I': n = fscanf(in, " %lld", (long long *)&v->integer); break;
            case 'D': n = fscanf(in, " %la", &v->real); break;
            case 'T': case 'B': n = fscanf(in, " %d", &v->length); fgetc(in); v->bytes = readBytes(in, v->length); continue;
            default: fprintf(stderr, "bad value type %c\n", type); return 2;
            }
            (void)n;
            fgetc(in);
        }
    }
    fclose(in);

    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  /* as the product configures its process */
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) { fprintf(stderr, "cannot open %s\n", argv[1]); return 2; }
    run(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;"
            " PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0");
    long commits = 0, failures = 0, rows = 0;
    double timed = 0, started = seconds();
    for (long k = 0; k < count; k++) {
        Execution *e = &executions[k];
        if (skipFlags[e->statement]) continue;
        sqlite3_stmt **s = &prepared[e->statement];
        if (!*s && sqlite3_prepare_v3(db, texts[e->statement], -1, SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK) {
            fprintf(stderr, "prepare failed: %s\n%s\n", sqlite3_errmsg(db), texts[e->statement]); return 2;
        }
        for (int i = 0; i < e->count; i++) {
            Value *v = &e->values[i];
            switch (v->type) {
            case 'N': sqlite3_bind_null(*s, i + 1); break;
            case 'I': sqlite3_bind_int64(*s, i + 1, v->integer); break;
            case 'D': sqlite3_bind_double(*s, i + 1, v->real); break;
            case 'T': sqlite3_bind_text(*s, i + 1, v->bytes, v->length, SQLITE_STATIC); break;
            case 'B': sqlite3_bind_blob(*s, i + 1, v->bytes, v->length, SQLITE_STATIC); break;
            }
        }
        int status;
        double before = seconds();
        while ((status = sqlite3_step(*s)) == SQLITE_ROW) rows++;
        if (status != SQLITE_DONE) failures++;  /* the product met the same: it retried or rolled back */
        sqlite3_reset(*s);
        sqlite3_clear_bindings(*s);
        spent[e->statement] += seconds() - before;
        runs[e->statement]++;
        if (strcmp(texts[e->statement], "COMMIT") == 0 && ++commits % 400 == 0) {
            timed += seconds() - started;
            run(db, "PRAGMA wal_checkpoint(RESTART)");
            started = seconds();
        }
    }
    timed += seconds() - started;
    long authorizations = atol(argv[3]);
    printf("replayed %ld statements (%d distinct) in %ld commits, %ld rows read, %ld failed as traced;"
           " SQLite alone: %.3f s, %.0f us per authorization (%ld)\n",
           count, textCount, commits, rows, failures, timed, authorizations ? 1e6 * timed / authorizations : 0.0, authorizations);
    if (getenv("BY_STATEMENT")) {
        for (int done = 0; done < textCount; done++) {  /* largest first */
            int top = -1;
            for (int i = 0; i < textCount; i++) if (runs[i] >= 0 && (top < 0 || spent[i] > spent[top])) top = i;
            printf("%7.1f us/authorization %7.2f runs/authorization  %.150s\n", authorizations ? 1e6 * spent[top] / authorizations : 0.0,
                   authorizations ? (double)runs[top] / authorizations : 0.0, texts[top]);
            runs[top] = -1;
        }
    }
    return 0;
}
