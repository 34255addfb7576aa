/* The hardware-image harness of ai8x network tools: runs a generated MAX78000/MAX78002 CNN project's C code on a
 * Linux PC and reports what the accelerator would hold, so that two generators can be compared by their effect.
 *
 *   harness stages|application REPORT_FILE KNOWN_ANSWER_FILE|- SECONDS_PER_STEP
 *
 * The accelerator's address range (0x50000000-0x55ffffff, both devices) and the page of the fast FIFO
 * (0x400c0000) are mapped as ordinary zeroed memory. Nothing computes.
 *
 * "stages": the project's functions run in an application's order and the nonzero words of that memory are
 * reported after each stage:
 *   configured  cnn_init, cnn_load_weights, cnn_load_bias, cnn_configure
 *   input       load_input
 *   started     cnn_start
 * Then the known answer (lines "address mask value", hex) is written into memory, check_output() runs once as is
 * and once for each of a few single-bit changes of checked words, and cnn_unload()'s buffer is reported.
 *
 * "application": the project's own main() runs. Its MSDK calls are logged in order (msdk/standin.c); when it
 * sleeps or waits for an interrupt after starting the accelerator, the known answer is written into memory and the
 * CNN interrupt handler it registered is called, as the hardware would at the end of an inference. Reported: the
 * calls, how many words went to each FIFO (and a hash of them), main's result, the stand-in peripheral registers
 * and the final memory image.
 *
 * Before any of the project's code runs, the process confines itself to the system calls computing and printing
 * need (sandbox.c).
 *
 * The project's sources are prepared before they are compiled with this file: stores to a FIFO data register
 * become calls of ai8x_image_fifo_store() (a FIFO keeps only its last word in memory; the harness logs them all),
 * "wfi" becomes a call of ai8x_image_wait_for_interrupt(), and the main file ends with pointers to load_input,
 * check_output and main, which may be static there.
 *
 * Report lines: "stage NAME" followed by "ADDRESS VALUE" lines; "fifo ADDRESS VALUE"; "returned FUNCTION VALUE";
 * "missing FUNCTION"; "fifo_unlogged ADDRESS VALUE" (a FIFO register holds a word no logged store put there);
 * "check_output VALUE"; "flip ADDRESS BIT VALUE"; "unload COUNT" followed by COUNT values, or "unload missing";
 * "call TEXT"; "fifo_count ADDRESS COUNT HASH"; "peripheral NAME VALUE"; "done" at the end. Addresses, values,
 * bits and hashes are hexadecimal; counts and returned values decimal. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <unistd.h>
#include "mxc.h"

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
/* Pointers the prepared main file defines; weak, so a missing one has address zero. */
extern void (*const ai8x_image_load_input)(void) __attribute__((weak));
extern int (*const ai8x_image_check_output)(void) __attribute__((weak));
extern int (*const ai8x_image_main)(void) __attribute__((weak));
#define DEFINED(pointer) (&(pointer) != NULL && (pointer) != NULL)
/* A RISC-V project's interrupt handler is found by its name, not registered. */
extern void CNN_IRQHandler(void) __attribute__((weak));

static const unsigned long fifo_registers[] = { 0x50000008UL, 0x5000000cUL, 0x50000010UL, 0x50000014UL, 0x400c0410UL };
#define FIFO_REGISTER_COUNT (sizeof fifo_registers / sizeof fifo_registers[0])
static uint32_t fifo_last[FIFO_REGISTER_COUNT];
static unsigned long fifo_count[FIFO_REGISTER_COUNT];
static uint32_t fifo_hash[FIFO_REGISTER_COUNT];
static int application;

static FILE *report;
static const char *volatile current_step = "startup";
static unsigned step_seconds = 30;

/* The step that is running, for the sandbox's message (sandbox.c). */
const char *ai8x_image_step(void)
{
  return current_step;
}

int ai8x_image_confine(void);

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

/* Called by the prepared sources in place of a store to a FIFO data register. Running main(), which may load its
 * input many times (--energy), the words are counted and hashed (FNV-1a) instead of listed. */
void ai8x_image_fifo_store(unsigned long address, unsigned int value)
{
  *(volatile uint32_t *) address = value;
  for (size_t i = 0; i < FIFO_REGISTER_COUNT; i++)
    if (fifo_registers[i] == address) {
      fifo_last[i] = value;
      fifo_count[i]++;
      for (int b = 0; b < 4; b++) fifo_hash[i] = (fifo_hash[i] ^ ((value >> (8 * b)) & 0xffu)) * 16777619u;
    }
  if (!application) fprintf(report, "fifo %08lx %08x\n", address, value);
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
 * the done bit (25). Nothing clears here: memory is still zero, so the request is answered at once. On MAX78000
 * (whose cnn_init writes its first quadrant's control register, 0x50100000, first) those addresses are data
 * memory and are left alone.
 * With --zero-sram, cnn_init of either device starts the memories' self-tests in the same register (bit 0 data,
 * 2 mask, 4 tornado, 6 bias) and waits for their done bits (18-21, and 27 on MAX78000); they are answered as
 * passed (no error bit). The project resets the register afterwards, so the answers leave nothing in the image;
 * they are written only if the register still holds what was read (a compare-and-swap), never over the reset. */
#define CLEAR_REQUEST ((1u << 12) | (1u << 11) | (1u << 7))
#define CLEAR_DONE (1u << 25)
#define BIST_START ((1u << 0) | (1u << 2) | (1u << 4) | (1u << 6))
#define BIST_DONE ((1u << 18) | (1u << 19) | (1u << 20) | (1u << 21) | (1u << 27))
#define MAX78000_CONTROL 0x50100000UL
#define MAX78002_CONTROL 0x51000000UL
static volatile int answering_clears = 1;

static int is_max78000(void)
{
  return *(volatile uint32_t *) MAX78000_CONTROL != 0;
}

static void answer(unsigned long address, int clears)
{
  uint32_t *reg = (uint32_t *) address;
  uint32_t v = __atomic_load_n(reg, __ATOMIC_SEQ_CST);
  uint32_t want = v;
  if (clears && (v & CLEAR_REQUEST) == CLEAR_REQUEST && !(v & CLEAR_DONE)) want |= CLEAR_DONE;
  if ((v & BIST_START) && (v & BIST_DONE) != BIST_DONE) want |= BIST_DONE;
  if (want != v) __atomic_compare_exchange_n(reg, &v, want, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static void *answer_clears(void *unused)
{
  (void) unused;
  while (answering_clears) {
    int max78000 = is_max78000();
    for (unsigned long q = 0; q < 4; q++) {
      if (max78000)
        answer(MAX78000_CONTROL + 0xc + q * 0x400000UL, 0);
      else
        answer(MAX78002_CONTROL + 0xc + q * 0x1000000UL, 1);
    }
    usleep(20);
  }
  return NULL;
}

struct known_word {
  unsigned long address;
  uint32_t mask, value;
};
static struct known_word *known;
static size_t known_count;

static void read_known_answer(const char *file)
{
  FILE *f = fopen(file, "r");
  if (!f) {
    perror(file);
    exit(2);
  }
  size_t capacity = 1024;
  known = malloc(capacity * sizeof *known);
  unsigned long a;
  unsigned m, v;
  while (known && fscanf(f, "%lx %x %x", &a, &m, &v) == 3) {
    if (a < ACCEL_BASE || a >= ACCEL_BASE + ACCEL_SIZE || (a & 3)) {
      fprintf(stderr, "harness: known-answer address 0x%08lx is outside the accelerator's memory\n", a);
      exit(2);
    }
    if (known_count == capacity) known = realloc(known, (capacity *= 2) * sizeof *known);
    if (known) known[known_count++] = (struct known_word) { a, m, v };
  }
  fclose(f);
  if (!known) {
    fprintf(stderr, "harness: out of memory reading the known answer\n");
    exit(2);
  }
}

static void write_known_answer(void)
{
  for (size_t i = 0; i < known_count; i++) {
    volatile uint32_t *w = (volatile uint32_t *) known[i].address;
    *w = (*w & ~known[i].mask) | (known[i].value & known[i].mask);
  }
}

static void check_known_answer(void)
{
  write_known_answer();
  if (!DEFINED(ai8x_image_check_output)) {
    fprintf(report, "missing check_output\n");
    return;
  }
  current_step = "check_output";
  alarm(step_seconds);
  fprintf(report, "check_output %d\n", ai8x_image_check_output());
  /* One checked bit changed at a time, in the first, the middle and the last word: each must be refused. */
  size_t picks[3] = { 0, known_count / 2, known_count - 1 };
  for (size_t k = 0; k < 3; k++) {
    if (k > 0 && picks[k] == picks[k - 1]) continue;
    const struct known_word *kw = &known[picks[k]];
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

static void run_stages(void)
{
  run_step("cnn_init", cnn_init);
  run_step("cnn_load_weights", cnn_load_weights);
  run_step("cnn_load_bias", cnn_load_bias);
  run_step("cnn_configure", cnn_configure);
  report_stage("configured");

  if (DEFINED(ai8x_image_load_input)) {
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

  if (known_count > 0) check_known_answer();
  report_unload();
}

/* --- Running main() --- */

static void (*cnn_vector)(void);

/* The stand-in peripheral registers, and what each held when last looked at: main() writes some directly
 * (MXC_GCR->pclkdiv = …), and each change is logged with the next call, so that a value main() sets and later
 * clears still shows. */
#define PERIPHERAL(name, lvalue) { name, &(lvalue) }
static const struct {
  const char *name;
  volatile uint32_t *value;
} peripherals[] = {
  PERIPHERAL("GCR->sysctrl", ai8x_standin_gcr.sysctrl), PERIPHERAL("GCR->rst0", ai8x_standin_gcr.rst0),
  PERIPHERAL("GCR->clkctrl", ai8x_standin_gcr.clkctrl), PERIPHERAL("GCR->pm", ai8x_standin_gcr.pm),
  PERIPHERAL("GCR->pclkdiv", ai8x_standin_gcr.pclkdiv), PERIPHERAL("GCR->pclkdis0", ai8x_standin_gcr.pclkdis0),
  PERIPHERAL("GCR->pclkdis1", ai8x_standin_gcr.pclkdis1), PERIPHERAL("GCR->rst1", ai8x_standin_gcr.rst1),
  PERIPHERAL("GCR->memctrl", ai8x_standin_gcr.memctrl), PERIPHERAL("GCR->ipll_ctrl", ai8x_standin_gcr.ipll_ctrl),
  PERIPHERAL("GCR->ito_ctrl", ai8x_standin_gcr.ito_ctrl), PERIPHERAL("GCR->clkcn", ai8x_standin_gcr.clkcn),
  PERIPHERAL("GCR->pckdiv", ai8x_standin_gcr.pckdiv), PERIPHERAL("GCR->perckcn", ai8x_standin_gcr.perckcn),
  PERIPHERAL("GCR->perckcn1", ai8x_standin_gcr.perckcn1), PERIPHERAL("GCFR->reg0", ai8x_standin_gcfr.reg0),
  PERIPHERAL("GCFR->reg1", ai8x_standin_gcfr.reg1), PERIPHERAL("GCFR->reg2", ai8x_standin_gcfr.reg2),
  PERIPHERAL("GCFR->reg3", ai8x_standin_gcfr.reg3), PERIPHERAL("GCFR->reg4", ai8x_standin_gcfr.reg4),
  PERIPHERAL("GCFR->reg5", ai8x_standin_gcfr.reg5), PERIPHERAL("SEMA->irq0", ai8x_standin_sema.irq0),
  PERIPHERAL("SEMA->irq1", ai8x_standin_sema.irq1), PERIPHERAL("SEMA->mail0", ai8x_standin_sema.mail0),
  PERIPHERAL("SEMA->mail1", ai8x_standin_sema.mail1), PERIPHERAL("SEMA->irqr0", ai8x_standin_sema.irqr0),
  PERIPHERAL("SEMA->irqr1", ai8x_standin_sema.irqr1), PERIPHERAL("FCR->urvctrl", ai8x_standin_fcr.urvctrl),
  PERIPHERAL("PWRSEQ->lpctrl", ai8x_standin_pwrseq.lpctrl), PERIPHERAL("PWRSEQ->lppwen", ai8x_standin_pwrseq.lppwen),
  PERIPHERAL("PWRSEQ->lpwken", ai8x_standin_pwrseq.lpwken), PERIPHERAL("PWRSEQ->lppwst", ai8x_standin_pwrseq.lppwst),
  PERIPHERAL("PWRSEQ->lpwkst", ai8x_standin_pwrseq.lpwkst), PERIPHERAL("PWRSEQ->lpwkst0", ai8x_standin_pwrseq.lpwkst0),
  PERIPHERAL("PWRSEQ->lpwkst1", ai8x_standin_pwrseq.lpwkst1), PERIPHERAL("PWRSEQ->lpwkst2", ai8x_standin_pwrseq.lpwkst2),
  PERIPHERAL("PWRSEQ->lpwkst3", ai8x_standin_pwrseq.lpwkst3), PERIPHERAL("GPIO0->out", ai8x_standin_gpio[0].out),
  PERIPHERAL("GPIO1->out", ai8x_standin_gpio[1].out), PERIPHERAL("GPIO2->out", ai8x_standin_gpio[2].out),
  PERIPHERAL("GPIO3->out", ai8x_standin_gpio[3].out), PERIPHERAL("GPIO0->outen", ai8x_standin_gpio[0].outen),
  PERIPHERAL("GPIO1->outen", ai8x_standin_gpio[1].outen), PERIPHERAL("GPIO2->outen", ai8x_standin_gpio[2].outen),
  PERIPHERAL("GPIO3->outen", ai8x_standin_gpio[3].outen),
};
#define PERIPHERAL_COUNT (sizeof peripherals / sizeof peripherals[0])
static uint32_t peripheral_seen[PERIPHERAL_COUNT];

static void log_peripheral_changes(void)
{
  for (size_t i = 0; i < PERIPHERAL_COUNT; i++) {
    uint32_t now = *peripherals[i].value;
    if (now != peripheral_seen[i]) fprintf(report, "call MXC_%s = 0x%08x\n", peripherals[i].name, now);
    peripheral_seen[i] = now;
  }
}


void ai8x_image_msdk_call(const char *format, ...)
{
  if (!application) return;
  log_peripheral_changes();
  va_list args;
  va_start(args, format);
  fputs("call ", report);
  vfprintf(report, format, args);
  fputc('\n', report);
  va_end(args);
}

void ai8x_image_set_vector(int irq, void (*handler)(void))
{
  if (irq == CNN_IRQn) cnn_vector = handler;
}

/* The project sleeps or waits for an interrupt. If it started the accelerator, the inference ends now: the output
 * memory receives the known answer, every quadrant flags its interrupt, and the project's handler runs. */
void ai8x_image_wait_for_interrupt(void)
{
  if (!application) return;
  unsigned long control = is_max78000() ? MAX78000_CONTROL : MAX78002_CONTROL;
  unsigned long stride = is_max78000() ? 0x400000UL : 0x1000000UL;
  if (!(*(volatile uint32_t *) control & 1)) return;
  log_peripheral_changes();
  fputs("call (the inference ends)\n", report);
  write_known_answer();
  for (unsigned long q = 0; q < 4; q++) *(volatile uint32_t *) (control + q * stride) |= 1u << 12;
  void (*handler)(void) = cnn_vector ? cnn_vector : CNN_IRQHandler;
  if (!handler) {
    say("harness: the inference ended but main() registered no CNN interrupt handler\n");
    _exit(3);
  }
  handler();
}

static void run_application(void)
{
  if (!DEFINED(ai8x_image_main)) {
    fprintf(report, "missing main\n");
    return;
  }
  for (size_t i = 0; i < PERIPHERAL_COUNT; i++) peripheral_seen[i] = *peripherals[i].value;
  current_step = "main";
  alarm(step_seconds);
  int value = ai8x_image_main();
  alarm(0);
  log_peripheral_changes();
  application = 0;
  fprintf(report, "returned main %d\n", value);
  for (size_t i = 0; i < FIFO_REGISTER_COUNT; i++)
    if (fifo_count[i]) fprintf(report, "fifo_count %08lx %lu %08x\n", fifo_registers[i], fifo_count[i], fifo_hash[i]);
  for (size_t i = 0; i < PERIPHERAL_COUNT; i++)
    if (*peripherals[i].value) fprintf(report, "peripheral %s %08x\n", peripherals[i].name, *peripherals[i].value);
  report_stage("application");
}

/* Runs the harness again with address-space randomisation off (once): the accelerator's ranges must be free at
 * their fixed addresses, and a randomised layout now and then puts something there. Where the system refuses, the
 * harness goes on as it is (the caller tries a run that could not map its ranges again). */
static void fixed_layout(char **argv)
{
  int persona = personality(0xffffffff);
  if (persona == -1 || (persona & ADDR_NO_RANDOMIZE) || getenv("AI8X_HARNESS_FIXED_LAYOUT")) return;
  if (personality((unsigned long) persona | ADDR_NO_RANDOMIZE) == -1) return;
  setenv("AI8X_HARNESS_FIXED_LAYOUT", "1", 1);
  execv("/proc/self/exe", argv);
}

int main(int argc, char **argv)
{
  fixed_layout(argv);
  if (argc != 5 || (strcmp(argv[1], "stages") != 0 && strcmp(argv[1], "application") != 0)) {
    fprintf(stderr, "usage: %s stages|application REPORT_FILE KNOWN_ANSWER_FILE|- SECONDS_PER_STEP\n", argv[0]);
    return 2;
  }
  report = fopen(argv[2], "w");
  if (!report) {
    perror(argv[2]);
    return 2;
  }
  static char buffer[1 << 20];
  setvbuf(report, buffer, _IOFBF, sizeof buffer);
  if (strcmp(argv[3], "-") != 0) read_known_answer(argv[3]);
  if (atoi(argv[4]) > 0) step_seconds = (unsigned) atoi(argv[4]);
  signal(SIGALRM, on_alarm);
  signal(SIGSEGV, on_fault);
  signal(SIGBUS, on_fault);
  signal(SIGFPE, on_fault);
  if (!map_fixed(ACCEL_BASE, ACCEL_SIZE) || !map_fixed(FAST_FIFO_PAGE, PAGE_BYTES)) return 2;
  pthread_t responder;
  if (pthread_create(&responder, NULL, answer_clears, NULL) != 0) {
    fprintf(stderr, "harness: cannot start a thread\n");
    return 2;
  }

  if (!ai8x_image_confine()) say("harness: the project's code runs unconfined (seccomp is not available here)\n");
  application = strcmp(argv[1], "application") == 0;
  if (application)
    run_application();
  else
    run_stages();

  answering_clears = 0;
  pthread_join(responder, NULL);
  fprintf(report, "done\n");
  if (fclose(report) != 0) {
    perror(argv[2]);
    return 2;
  }
  return 0;
}
