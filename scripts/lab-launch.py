#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot the two lab UMLs (issue 14) on one socketpair and watch them.

The "wire" is socketpair(AF_UNIX, SOCK_SEQPACKET): each end is inherited by
one UML as vec0 (vector driver, transport=fd, arch/um/drivers/vector_user.c
reads and writes it with recvmmsg/sendmmsg, one Ethernet frame a datagram).
No host interface or address is used.  Each UML runs in its own session, is
watched by its PID and stopped by it; every guest step has a time limit
(scripts/lab-guest.sh writes BEGIN/END lines), and so has the whole run.
Optionally samples the host CPU time of the client UML's process tree.

Exit 0 when both guests finished every step, 3 when both finished but a
step failed; otherwise (a step over its limit, a UML that died, the
whole run too long) prints the step, the guest and the console log, and
exits 1.  Nothing is left running.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

p = argparse.ArgumentParser()
p.add_argument("--kernel", required=True)
p.add_argument("--run", required=True, help="run directory (host)")
p.add_argument("--guest", required=True, help="init script")
p.add_argument("--limit", type=int, default=600, help="whole run, seconds")
p.add_argument("--boot-limit", type=int, default=120)
p.add_argument("--mem", default="1200M")
p.add_argument("--server-mem", default="2000M")
p.add_argument("--cpu-samples", help="file for client CPU samples")
p.add_argument("--env", action="append", default=[], help="KEY=VAL for both")
a = p.parse_args()

run = os.path.abspath(a.run)
a.kernel = os.path.abspath(a.kernel)
a.guest = os.path.abspath(a.guest)
ROLES = ("server", "client")
procs = {}
logs = {r: os.path.join(run, f"console-{r}.log") for r in ROLES}
t_start = time.time()


def say(msg):
    print(f"lab: {msg}", flush=True)


def session_pids(sid):
    """Every process of the session the UML was started in."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read().rsplit(")", 1)[1].split()
            if int(st[3]) == sid:
                out.append(int(d))
        except (OSError, IndexError, ValueError):
            pass
    return out


def stop_all():
    for r, pr in procs.items():
        if pr.poll() is None:
            try:
                os.killpg(pr.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.time() + 10
    for r, pr in procs.items():
        try:
            pr.wait(max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            pass
    for r, pr in procs.items():
        # The UML and whatever it forked (its userspace processes).
        for pid in [pr.pid] + session_pids(pr.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            pr.wait(10)
        except subprocess.TimeoutExpired:
            say(f"{r} (pid {pr.pid}) did not exit after SIGKILL")
    for r, pr in procs.items():
        left = session_pids(pr.pid)
        if left:
            say(f"{r}: processes left: {left}")


def die_with_parent():
    """In the child before exec: SIGKILL when the launcher dies, even by
    SIGKILL (prctl PR_SET_PDEATHSIG), so a UML never outlives it."""
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def on_signal(sig, frame):
    raise KeyboardInterrupt(f"signal {sig}")


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGHUP, on_signal)


def tree_ticks(root):
    """utime+stime of every live process under root (all its threads),
    plus the time of the children each has reaped (cutime+cstime), in
    clock ticks.  The tree from the ppid of every process in /proc (the
    host may lack /proc/PID/task/TID/children)."""
    stats, kids = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(d)
        stats[pid] = sum(int(x) for x in st[11:15])
        kids.setdefault(int(st[1]), []).append(pid)
    total, todo, n = 0, [root], 0
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0)
        n += 1
        todo += kids.get(pid, [])
    return total, n


class Steps:
    def __init__(self, role):
        self.path = os.path.join(run, f"{role}.steps")
        self.pos = 0
        self.open = {}      # step -> (begin, limit)
        self.done = None
        self.failed = []
        self.fatal = None
        self.last = None

    def poll(self):
        try:
            with open(self.path) as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return
        cut = data.rfind("\n") + 1
        self.pos += len(data[:cut].encode())
        for line in data[:cut].splitlines():
            w = line.split()
            if not w:
                continue
            if w[0] == "BEGIN":
                self.open[w[1]] = (time.time(), int(w[2]))
                self.last = w[1]
            elif w[0] == "END":
                self.open.pop(w[1], None)
                if w[2] != "ok":
                    self.failed.append(w[1])
            elif w[0] == "FATAL":
                self.fatal = " ".join(w[1:])
            elif w[0] == "DONE":
                self.done = line


def main():
    os.makedirs(run, exist_ok=True)
    s, c = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    for sk in (s, c):
        for opt in (socket.SO_SNDBUF, socket.SO_RCVBUF):
            sk.setsockopt(socket.SOL_SOCKET, opt, 4 << 20)
    fds = {"server": s, "client": c}
    steps = {r: Steps(r) for r in ROLES}
    for r in ROLES:
        fd = fds[r].fileno()
        os.set_inheritable(fd, True)
        mem = a.server_mem if r == "server" else a.mem
        cmd = [a.kernel, f"mem={mem}", f"umid=lab-{r}-{os.getpid()}",
               f"uml_dir={run}/uml", "kunit.enable=0",
               "con=null", "con0=fd:0,fd:1",
               "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "ro",
               f"init={a.guest}", f"vec0:transport=fd,fd={fd}",
               f"LAB_ROLE={r}", f"LAB_RUN={run}"] + a.env
        with open(os.path.join(run, f"cmdline-{r}"), "w") as f:
            f.write(" ".join(cmd) + "\n")
        out = open(logs[r], "w")
        procs[r] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, pass_fds=[fd],
                                    start_new_session=True, cwd=run,
                                    preexec_fn=die_with_parent)
        out.close()
        say(f"{r}: pid {procs[r].pid}, console {logs[r]}")
    s.close()
    c.close()

    samples = open(a.cpu_samples, "w") if a.cpu_samples else None
    next_sample = 0
    while True:
        now = time.time()
        if samples and now >= next_sample:
            ticks, n = tree_ticks(procs["client"].pid)
            samples.write(f"{now:.3f} {ticks} {n}\n")
            samples.flush()
            next_sample = now + 0.2
        for r in ROLES:
            st = steps[r]
            st.poll()
            if st.fatal:
                return fail(r, st.last, f"fatal: {st.fatal}")
            for name, (t0, lim) in st.open.items():
                # The guest enforces the limit itself; this is for a guest
                # too stuck to do so.
                if now - t0 > lim + 30:
                    return fail(r, name, f"no end after {lim + 30}s")
            if st.last is None and now - t_start > a.boot_limit:
                return fail(r, "boot", f"no step after {a.boot_limit}s")
            rc = procs[r].poll()
            if rc is not None and not st.done:
                st.poll()
                if not st.done:
                    where = st.last or "boot"
                    if st.last and st.last not in st.open:
                        where = f"after {st.last}"
                    return fail(r, where,
                                f"UML exited (status {rc}) before finishing")
        if all(steps[r].done for r in ROLES) and \
                all(procs[r].poll() is not None for r in ROLES):
            break
        if all(steps[r].done for r in ROLES) and \
                any(procs[r].poll() is None for r in ROLES):
            # DONE is written just before poweroff; give it a moment.
            if not hasattr(main, "t_done"):
                main.t_done = now
            elif now - main.t_done > 30:
                return fail("both", "poweroff", "UML still running 30s after DONE")
        if now - t_start > a.limit:
            opened = {r: list(steps[r].open) for r in ROLES}
            return fail("both", f"whole run {opened}", f"over {a.limit}s")
        time.sleep(0.05 if samples else 0.2)
    bad = [f"{r}:{n}" for r in ROLES for n in steps[r].failed]
    say(f"both guests done in {time.time() - t_start:.0f}s")
    for r in ROLES:
        say(f"{r}: {steps[r].done}")
    if bad:
        say(f"failed guest steps: {' '.join(bad)}")
        for r in ROLES:
            say(f"console log: {logs[r]}")
        return 3
    return 0


def fail(role, step, why):
    say(f"FAILED at step '{step}' ({role}): {why}")
    for r in ROLES if role == "both" else (role,) + tuple(x for x in ROLES if x != role):
        say(f"console log ({r}): {logs[r]}")
        try:
            with open(logs[r], errors="replace") as f:
                tail = f.readlines()[-8:]
            for line in tail:
                print(f"    {r}| {line.rstrip()}")
        except OSError:
            pass
    return 1


rc = 1
try:
    rc = main()
except KeyboardInterrupt as e:
    say(f"interrupted ({e})")
    rc = 1
finally:
    stop_all()
    say(f"stopped ({time.time() - t_start:.0f}s)")
sys.exit(rc)
