/*
 * The C ABI from C: compiled with -Wall -Wextra -Werror against include/exchange_auth_tools.h
 * and linked to the cdylib by tests/ffi_c.rs (and run under valgrind by .ci/run).
 *
 * Usage: abi_test SIGNIN_FILE [ROUNDS]
 *   SIGNIN_FILE: a sign-in log with several records (e.g. NDJSON); ROUNDS (default 1): how many
 *   times to run every check, so a leak per call grows with ROUNDS under valgrind.
 * Prints failed checks and "N passed, N failed"; exits 1 when a check failed.
 */
#include "exchange_auth_tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond, what)                                                   \
  do {                                                                      \
    if (cond) {                                                             \
      passed++;                                                             \
    } else {                                                                \
      failed++;                                                             \
      fprintf(stderr, "FAILED %s:%d: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
    }                                                                       \
  } while (0)

/* Does the buffer's JSON text contain `needle`? (The buffer is not NUL-terminated.) */
static int buffer_has(const eat_buffer *b, const char *needle) {
  size_t len = eat_buffer_len(b), n = strlen(needle);
  const uint8_t *data = eat_buffer_data(b);
  if (data == NULL || n > len) return 0;
  for (size_t i = 0; i + n <= len; i++) {
    if (memcmp(data + i, needle, n) == 0) return 1;
  }
  return 0;
}

/* Count occurrences of `needle` in the buffer. */
static size_t buffer_count(const eat_buffer *b, const char *needle) {
  size_t len = eat_buffer_len(b), n = strlen(needle), count = 0;
  const uint8_t *data = eat_buffer_data(b);
  for (size_t i = 0; data != NULL && i + n <= len; i++) {
    if (memcmp(data + i, needle, n) == 0) count++;
  }
  return count;
}

static eat_status call(const char *request, eat_buffer **out) {
  return eat_call((const uint8_t *)request, strlen(request), out);
}

/* A scan request for `path` (JSON-escaped) in `lang`. */
static char *scan_request(const char *path, const char *lang) {
  size_t cap = strlen(path) * 2 + 128;
  char *req = malloc(cap), *p;
  if (req == NULL) return NULL;
  p = req + sprintf(req, "{\"op\":\"scan\",\"lang\":\"%s\",\"params\":{\"includeModern\":true,\"paths\":[\"", lang);
  for (const char *s = path; *s; s++) {
    if (*s == '"' || *s == '\\') *p++ = '\\';
    *p++ = *s;
  }
  strcpy(p, "\"]}}");
  return req;
}

static void one_shot(void) {
  eat_buffer *out = NULL;
  CHECK(eat_abi_version() == EAT_ABI_VERSION, "eat_abi_version() == EAT_ABI_VERSION");

  CHECK(call("{\"op\":\"version\"}", &out) == EAT_OK, "version call");
  CHECK(buffer_has(out, "\"abiVersion\":"), "version result has abiVersion");
  eat_buffer_free(out);

  out = NULL;
  CHECK(call("{\"op\":\"catalogue\",\"lang\":\"ja-JP\"}", &out) == EAT_OK, "catalogue call");
  CHECK(buffer_has(out, "Authenticated SMTP"), "catalogue lists SMTP AUTH");
  eat_buffer_free(out);

  out = NULL;
  CHECK(call("{\"op\":\"nope\",\"lang\":\"ja-JP\"}", &out) == EAT_INVALID_REQUEST, "unknown op");
  CHECK(buffer_has(out, "\"code\":\"unknown_operation\""), "unknown op code");
  CHECK(buffer_has(out, "不明な操作"), "unknown op message in Japanese");
  CHECK(buffer_has(out, "\"category\":\"NotImplemented\""), "unknown op category");
  eat_buffer_free(out);

  out = NULL;
  CHECK(call("{\"op\":", &out) == EAT_INVALID_REQUEST, "invalid JSON");
  CHECK(buffer_has(out, "\"code\":\"invalid_json\"") && buffer_has(out, "\"line\":1"), "invalid JSON body");
  eat_buffer_free(out);

  out = NULL;
  CHECK(call("{\"op\":\"\xff\"}", &out) == EAT_INVALID_UTF8, "invalid UTF-8");
  eat_buffer_free(out);

  out = NULL;
  CHECK(eat_call(NULL, 10, &out) == EAT_NULL_ARGUMENT, "NULL request with a length");
  CHECK(out != NULL && buffer_has(out, "null_argument"), "NULL request body");
  eat_buffer_free(out);
  CHECK(eat_call((const uint8_t *)"{}", 2, NULL) == EAT_NULL_ARGUMENT, "NULL out");

  CHECK(eat_buffer_data(NULL) == NULL && eat_buffer_len(NULL) == 0, "NULL-safe buffer accessors");
  eat_buffer_free(NULL);
  eat_job_free(NULL);
  CHECK(eat_job_cancel(NULL) == EAT_NULL_ARGUMENT, "cancel NULL");
}

static void streaming(const char *path) {
  char *req = scan_request(path, "en-US");
  eat_job *job = NULL;
  eat_buffer *err = NULL, *out = NULL;
  size_t items = 0, batches = 0;
  eat_status st;
  if (req == NULL) {
    CHECK(0, "allocate the request");
    return;
  }

  CHECK(eat_job_start((const uint8_t *)req, strlen(req), &job, &err) == EAT_OK, "job start");
  CHECK(job != NULL && err == NULL, "job start outputs");
  while ((st = eat_job_next(job, 2, &out)) == EAT_OK) {
    size_t n = buffer_count(out, "\"kind\":");
    CHECK(n >= 1 && n <= 2, "a batch holds 1..=max_items items");
    items += n;
    batches++;
    eat_buffer_free(out);
    out = NULL;
  }
  CHECK(st == EAT_JOB_DONE, "the stream ends with EAT_JOB_DONE");
  CHECK(eat_buffer_len(out) == 2 && buffer_has(out, "[]"), "EAT_JOB_DONE gives an empty array");
  eat_buffer_free(out);
  CHECK(items >= 3 && batches >= 2, "several items in several batches");

  out = NULL;
  CHECK(eat_job_progress(job, &out) == EAT_OK && buffer_has(out, "\"done\":true"), "progress when done");
  eat_buffer_free(out);
  out = NULL;
  CHECK(eat_job_summary(job, &out) == EAT_OK && buffer_has(out, "\"stats\":{"), "summary when done");
  eat_buffer_free(out);
  eat_job_free(job);

  /* Cancel after the first batch; errors in Japanese. */
  free(req);
  req = scan_request(path, "ja-JP");
  job = NULL;
  CHECK(eat_job_start((const uint8_t *)req, strlen(req), &job, &err) == EAT_OK, "second job start");
  out = NULL;
  CHECK(eat_job_next(job, 1, &out) == EAT_OK, "first batch");
  eat_buffer_free(out);
  CHECK(eat_job_cancel(job) == EAT_OK && eat_job_cancel(job) == EAT_OK, "cancel (twice is harmless)");
  out = NULL;
  CHECK(eat_job_next(job, 1, &out) == EAT_CANCELLED, "next after cancel");
  CHECK(buffer_has(out, "操作は取り消されました"), "cancelled message in Japanese");
  eat_buffer_free(out);
  out = NULL;
  CHECK(eat_job_summary(job, &out) == EAT_OK && buffer_has(out, "\"cancelled\":true"), "summary after cancel");
  eat_buffer_free(out);
  eat_job_free(job);

  /* Free a job that is still running. */
  job = NULL;
  CHECK(eat_job_start((const uint8_t *)req, strlen(req), &job, &err) == EAT_OK, "third job start");
  eat_job_free(job);

  /* A one-shot op cannot be started as a job. */
  job = NULL;
  err = NULL;
  CHECK(eat_job_start((const uint8_t *)"{\"op\":\"version\"}", 16, &job, &err) == EAT_INVALID_REQUEST,
        "version is not a streaming op");
  CHECK(job == NULL && err != NULL && buffer_has(err, "invalid_request"), "job start error outputs");
  eat_buffer_free(err);
  free(req);
}

int main(int argc, char **argv) {
  int rounds = argc == 3 ? atoi(argv[2]) : 1;
  if (argc < 2 || argc > 3 || rounds < 1) {
    fprintf(stderr, "usage: %s SIGNIN_FILE [ROUNDS]\n", argv[0]);
    return 2;
  }
  for (int i = 0; i < rounds; i++) {
    one_shot();
    streaming(argv[1]);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
