/* Confines the hardware-image harness before it calls a project's code. A generated project only computes, reads
 * and writes memory, and prints; so from then on the process may make only the system calls that needs (memory,
 * output to the files already open, signals, time, futexes). Anything else - opening a file, starting a program,
 * a socket - stops the process with a message naming the call. Linux on x86-64 and arm64; elsewhere nothing is
 * confined (and the harness says so on stderr). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

extern const char *ai8x_image_step(void);

static void write_text(const char *text)
{
  ssize_t ignored = write(2, text, strlen(text));
  (void) ignored;
}

static void on_forbidden_call(int sig, siginfo_t *info, void *context)
{
  (void) sig;
  (void) context;
  char number[16];
  int n = info->si_syscall, i = sizeof number - 1;
  number[i] = '\0';
  do {
    number[--i] = (char) ('0' + n % 10);
    n /= 10;
  } while (n > 0 && i > 0);
  write_text("harness: ");
  write_text(ai8x_image_step());
  write_text(" made system call ");
  write_text(number + i);
  write_text(", which a generated project has no reason to make (it may only compute, use memory and print); it was stopped\n");
  _exit(5);
}

#define ALLOW(name) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_##name, 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int ai8x_image_confine(void)
{
#ifndef SANDBOX_ARCH
  write_text("harness: the project's code runs unconfined on this architecture\n");
  return 1;
#else
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = on_forbidden_call;
  action.sa_flags = SA_SIGINFO;
  if (sigaction(SIGSYS, &action, NULL) != 0) return 0;
  struct sock_filter filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    ALLOW(read), ALLOW(write), ALLOW(writev), ALLOW(close), ALLOW(lseek), ALLOW(fstat), ALLOW(newfstatat),
    ALLOW(mmap), ALLOW(munmap), ALLOW(mprotect), ALLOW(mremap), ALLOW(madvise), ALLOW(mincore), ALLOW(brk),
    ALLOW(futex), ALLOW(exit), ALLOW(exit_group), ALLOW(rt_sigreturn), ALLOW(rt_sigaction), ALLOW(rt_sigprocmask),
    ALLOW(sigaltstack), ALLOW(setitimer), ALLOW(getitimer), ALLOW(nanosleep), ALLOW(clock_nanosleep),
    ALLOW(clock_gettime), ALLOW(gettimeofday), ALLOW(getpid), ALLOW(gettid), ALLOW(tgkill), ALLOW(sched_yield),
    ALLOW(restart_syscall), ALLOW(getrandom),
#ifdef SYS_alarm
    ALLOW(alarm),
#endif
#ifdef SYS_fstatat64
    ALLOW(fstatat64),
#endif
    /* isatty() on the output: the terminal query, and only that. */
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 4),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TCGETS, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
  };
  struct sock_fprog program = { .len = (unsigned short) (sizeof filter / sizeof filter[0]), .filter = filter };
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return 0;
  return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
#endif
}
