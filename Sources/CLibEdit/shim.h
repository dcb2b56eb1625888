#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
// libedit's readline emulation. Always <editline/readline.h>: GNU readline's headers are also
// installed on Debian, and compiling against them while linking -ledit would mix two libraries.
#include <stdio.h>
#include <editline/readline.h>
#endif
