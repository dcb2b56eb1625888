#ifndef CEDITLINESHIM_H
#define CEDITLINESHIM_H

#include <signal.h>

// The process-wide SIGINT latch behind LineEditing's InterruptFlag and EditLineReader.
//
// The handler only stores 1 into a lock-free C11 atomic, which is async-signal-safe and
// visible to every thread (a signal may be delivered to any thread that does not block it).
// Nothing else in the process runs inside the signal handler.

/// Installs the latch handler for SIGINT. With restart_syscalls != 0 the action has
/// SA_RESTART (interrupted reads and writes resume; use while a command runs); with 0 it has
/// not (a blocking read() fails with EINTR; use while waiting for a line).
/// The action in force before the call is stored in *previous when previous is not NULL.
/// Returns 0 on success, otherwise the errno of sigaction().
int lineedit_sigint_install(int restart_syscalls, struct sigaction *previous);

/// Puts back a SIGINT action saved by lineedit_sigint_install. Returns 0 or errno.
int lineedit_sigint_restore(const struct sigaction *previous);

/// Installs SIG_DFL for SIGINT. Returns 0 or errno.
int lineedit_sigint_default(void);

/// 1 when the latch handler is the current SIGINT action, otherwise 0.
int lineedit_sigint_latch_is_installed(void);

/// 1 when a SIGINT has arrived since the latch was last cleared, otherwise 0.
int lineedit_sigint_is_set(void);

/// Clears the latch.
void lineedit_sigint_clear(void);

/// Clears the latch and returns its value before clearing (1 or 0), atomically.
int lineedit_sigint_take(void);

#endif
