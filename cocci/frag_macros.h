// SPDX-License-Identifier: GPL-2.0-only
// Macros for spatch --macro-file, so that the code under them is parsed.
// Pass it to every rule of cocci/:
//   spatch --macro-file cocci/frag_macros.h ...
//   make coccicheck SPFLAGS="--macro-file /path/to/cocci/frag_macros.h" ...
// Only the shape matters: a loop around the guarded statement, as in
// include/linux/cleanup.h, with a condition so that the code after it is
// still reachable.

#define scoped_guard(_name, args...) for (; __scoped_guard_once;)
#define scoped_cond_guard(_name, _fail, args...) for (; __scoped_guard_once;)
