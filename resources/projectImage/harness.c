/* The hardware-image harness of ai8x network tools: runs a generated MAX78000/MAX78002 CNN project's C code on a
 * Linux PC and reports what the accelerator would hold, so that two generators can be compared by their effect.
 *
 *   harness REPORT_FILE [KNOWN_ANSWER_FILE|-] [SECONDS_PER_STEP]
 *
 * The accelerator's address range (0x50000000-0x55ffffff, both devices) and the page of the fast FIFO
 * (0x400c0000) are mapped as ordinary zeroed memory. Nothing computes. The project's functions run in an
 * application's order and the nonzero words of that memory are reported after each stage:
 *   configured  cnn_init, cnn_load_weights, cnn_load_bias, cnn_configure
 *   input       load_input
 *   started     cnn_start
 * Then the known answer (lines "address mask value", hex) is written into memory, check_output() runs once as is
 * and once for each of a few single-bit changes of checked words, and cnn_unload()'s buffer is reported.
 *
 * The project's sources are prepared before they are compiled with this file: stores to a FIFO data register
 * become calls of ai8x_image_fifo_store() (a FIFO keeps only its last word in memory; the harness logs them all),
 * and the main file ends with pointers to load_input and check_output, which may be static there.
 *
 * Report lines: "stage NAME" followed by "ADDRESS VALUE" lines; "fifo ADDRESS VALUE"; "returned FUNCTION VALUE";
 * "missing FUNCTION"; "fifo_unlogged ADDRESS VALUE" (a FIFO register holds a word no logged store put there);
 * "check_output VALUE"; "flip ADDRESS BIT VALUE"; "unload COUNT" followed by COUNT values, or "unload missing";
 * "done" at the end. All numbers are hexadecimal except COUNT and the returned values. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0
#endif

#define ACCEL_BASE 0x50000000UL
#define ACCEL_SIZE 0x06000000UL
#define FAST_FIFO_PAGE 0x400c0000UL
#define PAGE_BYTES 0x1000UL
#define UNLOAD_WORDS (4UL << 20)

/* The project's entry points. Weak, so that a missing one is reported in words instead of failing the link. */
extern int cnn_init(void) __attribute__((weak));
extern int cnn_load_weights(void) __attribute__((weak));
extern int cnn_load_bias(void) __attribute__((weak));
extern int cnn_configure(void) __attribute__((weak));
extern int cnn_start(void) __attribute__((weak));
extern int cnn_unload(uint32_t *out_buf) __attribute__((weak));
extern void (*const ai8x_image_load_input)(void) __attribute__((weak));
extern int (*const ai8x_image_check_output)(void) __attribute__((weak));

static const unsigned long fifo_registers[] = { 0x50000008UL, 0x5000000cUL, 0x50000010UL, 0x50000014UL, 0x400c0410UL };
#define FIFO_REGISTER_COUNT (sizeof fifo_registers / sizeof fifo_registers[0])
static uint32_t fifo_last[FIFO_REGISTER_COUNT];

static FILE *report;
static const char *volatile current_step = "startup";
static unsigned step_seconds = 30;

static void say(const char *text)
{
  ssize_t ignored = write(2, text, strlen(text));
  (void) ignored;
}

static void on_alarm(int sig)
{
  (void) sig;
  say("harness: ");
  say(current_step);
  say(" did not return within the time allowed (does it wait on a status bit that nothing sets here?)\n");
  _exit(3);
}

static void on_fault(int sig)
{
  say("harness: ");
  say(current_step);
  say(sig == SIGSEGV ? " touched memory outside the accelerator's address range (segmentation fault)\n"
                     : " stopped with a bus error or an arithmetic fault\n");
  _exit(4);
}

static int map_fixed(unsigned long address, unsigned long size)
{
  void *p = mmap((void *) address, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == (void *) address) {
    madvise(p, size, MADV_NOHUGEPAGE);
    return 1;
  }
  fprintf(stderr, "harness: cannot map 0x%08lx-0x%08lx as memory (%s)\n", address, address + size - 1,
          p == MAP_FAILED ? strerror(errno) : "the system placed it elsewhere");
  return 0;
}

/* Called by the prepared sources in place of a store to a FIFO data register. */
void ai8x_image_fifo_store(unsigned long address, unsigned int value)
{
  *(volatile uint32_t *) address = value;
  for (size_t i = 0; i < FIFO_REGISTER_COUNT; i++)
    if (fifo_registers[i] == address) fifo_last[i] = value;
  fprintf(report, "fifo %08lx %08x\n", address, value);
}

/* A FIFO register that holds something other than the last logged store was written in a way the preparation of
 * the sources did not recognise: the sequence of FIFO words would be incomplete. */
static void check_fifo_log(void)
{
  for (size_t i = 0; i < FIFO_REGISTER_COUNT; i++) {
    uint32_t held = *(volatile uint32_t *) fifo_registers[i];
    if (held != fifo_last[i]) {
      fprintf(report, "fifo_unlogged %08lx %08x\n", fifo_registers[i], held);
      fifo_last[i] = held;
    }
  }
}

/* Reports the nonzero words of a region, visiting only the pages that were ever touched. */
static void report_region(unsigned long base, unsigned long size)
{
  static unsigned char resident[ACCEL_SIZE / PAGE_BYTES];
  unsigned long pages = size / PAGE_BYTES;
  if (mincore((void *) base, size, resident) != 0) memset(resident, 1, pages);
  for (unsigned long p = 0; p < pages; p++) {
    if (!(resident[p] & 1)) continue;
    const volatile uint32_t *word = (const volatile uint32_t *) (base + p * PAGE_BYTES);
    for (unsigned long i = 0; i < PAGE_BYTES / 4; i++)
      if (word[i] != 0) fprintf(report, "%08lx %08x\n", base + p * PAGE_BYTES + 4 * i, word[i]);
  }
}

static void report_stage(const char *name)
{
  check_fifo_log();
  fprintf(report, "stage %s\n", name);
  report_region(FAST_FIFO_PAGE, PAGE_BYTES);
  report_region(ACCEL_BASE, ACCEL_SIZE);
}

static void run_step(const char *name, int (*function)(void))
{
  if (!function) {
    fprintf(report, "missing %s\n", name);
    return;
  }
  current_step = name;
  alarm(step_seconds);
  int value = function();
  alarm(0);
  fprintf(report, "returned %s %d\n", name, value);
}

/* MAX78002's cnn_init asks each quadrant to clear its memories (bits 7, 11 and 12 of register 3) and waits for
 * the done bit (25). Nothing clears here: memory is still zero, so the request is answered at once. */
#define CLEAR_REQUEST ((1u << 12) | (1u << 11) | (1u << 7))
#define CLEAR_DONE (1u << 25)
static volatile int answering_clears;

static void *answer_clears(void *unused)
{
  (void) unused;
  while (answering_clears) {
    for (unsigned long q = 1; q <= 4; q++) {
      volatile uint32_t *reg = (volatile uint32_t *) (0x5000000cUL + q * 0x1000000UL);
      uint32_t v = *reg;
      if ((v & CLEAR_REQUEST) == CLEAR_REQUEST && !(v & CLEAR_DONE)) *reg = v | CLEAR_DONE;
    }
    usleep(20);
  }
  return NULL;
}

struct known_word {
  unsigned long address;
  uint32_t mask, value;
};

static struct known_word *read_known_answer(const char *file, size_t *count)
{
  FILE *f = fopen(file, "r");
  if (!f) {
    perror(file);
    exit(2);
  }
  size_t n = 0, capacity = 1024;
  struct known_word *words = malloc(capacity * sizeof *words);
  unsigned long a;
  unsigned m, v;
  while (fscanf(f, "%lx %x %x", &a, &m, &v) == 3) {
    if (a < ACCEL_BASE || a >= ACCEL_BASE + ACCEL_SIZE || (a & 3)) {
      fprintf(stderr, "harness: known-answer address 0x%08lx is outside the accelerator's memory\n", a);
      exit(2);
    }
    if (n == capacity) words = realloc(words, (capacity *= 2) * sizeof *words);
    words[n++] = (struct known_word) { a, m, v };
  }
  fclose(f);
  *count = n;
  return words;
}

static void check_known_answer(const struct known_word *words, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    volatile uint32_t *w = (volatile uint32_t *) words[i].address;
    *w = (*w & ~words[i].mask) | (words[i].value & words[i].mask);
  }
  if (!ai8x_image_check_output) {
    fprintf(report, "missing check_output\n");
    return;
  }
  current_step = "check_output";
  alarm(step_seconds);
  fprintf(report, "check_output %d\n", ai8x_image_check_output());
  /* One checked bit changed at a time, in the first, the middle and the last word: each must be refused. */
  size_t picks[3] = { 0, n / 2, n - 1 };
  for (size_t k = 0; k < 3; k++) {
    if (k > 0 && picks[k] == picks[k - 1]) continue;
    const struct known_word *kw = &words[picks[k]];
    uint32_t bit = kw->mask & (~kw->mask + 1);
    if (!bit) continue;
    volatile uint32_t *w = (volatile uint32_t *) kw->address;
    *w ^= bit;
    int verdict = ai8x_image_check_output();
    *w ^= bit;
    fprintf(report, "flip %08lx %08x %d\n", kw->address, bit, verdict);
  }
  alarm(0);
}

static void report_unload(void)
{
  if (!cnn_unload) {
    fprintf(report, "unload missing\n");
    return;
  }
  /* A guard page after the buffer turns an overlong unload into a fault with a message. */
  size_t bytes = UNLOAD_WORDS * 4;
  uint8_t *area = mmap(NULL, bytes + PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) {
    perror("harness: unload buffer");
    exit(2);
  }
  mprotect(area + bytes, PAGE_BYTES, PROT_NONE);
  uint32_t *buffer = (uint32_t *) area;
  const uint32_t untouched = 0xa5a5a5a5u;
  for (size_t i = 0; i < UNLOAD_WORDS; i++) buffer[i] = untouched;
  current_step = "cnn_unload";
  alarm(step_seconds);
  cnn_unload(buffer);
  alarm(0);
  size_t length = UNLOAD_WORDS;
  while (length > 0 && buffer[length - 1] == untouched) length--;
  fprintf(report, "unload %zu\n", length);
  for (size_t i = 0; i < length; i++) fprintf(report, "%08x\n", buffer[i]);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s REPORT_FILE [KNOWN_ANSWER_FILE|-] [SECONDS_PER_STEP]\n", argv[0]);
    return 2;
  }
  report = fopen(argv[1], "w");
  if (!report) {
    perror(argv[1]);
    return 2;
  }
  if (argc > 3 && atoi(argv[3]) > 0) step_seconds = (unsigned) atoi(argv[3]);
  static char buffer[1 << 20];
  setvbuf(report, buffer, _IOFBF, sizeof buffer);
  signal(SIGALRM, on_alarm);
  signal(SIGSEGV, on_fault);
  signal(SIGBUS, on_fault);
  signal(SIGFPE, on_fault);
  if (!map_fixed(ACCEL_BASE, ACCEL_SIZE) || !map_fixed(FAST_FIFO_PAGE, PAGE_BYTES)) return 2;

  answering_clears = 1;
  pthread_t responder;
  if (pthread_create(&responder, NULL, answer_clears, NULL) != 0) {
    fprintf(stderr, "harness: cannot start a thread\n");
    return 2;
  }
  run_step("cnn_init", cnn_init);
  run_step("cnn_load_weights", cnn_load_weights);
  run_step("cnn_load_bias", cnn_load_bias);
  run_step("cnn_configure", cnn_configure);
  answering_clears = 0;
  pthread_join(responder, NULL);
  report_stage("configured");

  if (ai8x_image_load_input) {
    current_step = "load_input";
    alarm(step_seconds);
    ai8x_image_load_input();
    alarm(0);
  } else {
    fprintf(report, "missing load_input\n");
  }
  report_stage("input");

  run_step("cnn_start", cnn_start);
  report_stage("started");

  if (argc > 2 && strcmp(argv[2], "-") != 0) {
    size_t n = 0;
    struct known_word *words = read_known_answer(argv[2], &n);
    if (n > 0) check_known_answer(words, n);
    free(words);
  }
  report_unload();
  fprintf(report, "done\n");
  if (fclose(report) != 0) {
    perror(argv[1]);
    return 2;
  }
  return 0;
}
