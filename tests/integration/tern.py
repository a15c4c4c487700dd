# SPDX-License-Identifier: GPL-2.0-only
"""Build Tern configurations and drive its console in QEMU (modelled on U-Boot's test/py).

Builder  builds a defconfig out of tree into $TERN_BUILD/itest/<config>, once per session.
Tern     spawns scripts/run-qemu under pexpect; every expect() also watches a
         list of bad patterns (panic, exception dump, error and warning lines, a second
         banner = unexpected reset) and raises ConsoleError with the console log on a bad
         pattern, a timeout or EOF. wait_exit() returns run-qemu's exit status: Tern's own
         (its "exit: status N token T" line), or run_qemu.NO_STATUS without one.
         With add_vm0_linux(fetch_guest()) VM 0 boots the Linux test guest: wait_linux()
         waits for its shell prompt, shell(cmd) runs a command there. hypcon(cmd, reply) runs a
         command on Tern's hypervisor console.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pexpect

SRCTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN_QEMU = os.path.join(SRCTREE, "scripts", "run-qemu")
# run-qemu's exit status when Tern printed no exit status line with its token.
NO_STATUS = 3

# Every boot ends within this many seconds, whatever a test waits for.
RUN_TIMEOUT = 60
BUILD_TIMEOUT = 600
FETCH_TIMEOUT = 900

FETCH_GUEST = os.path.join(SRCTREE, "scripts", "fetch-guest.sh")
# The Linux test guest's initramfs (scripts/mkinitramfs.py): its banner and shell prompt.
GUEST_UP_RE = r"Tern guest: Linux (\S+) up"
GUEST_PROMPT = "tern-guest:/# "
# A kernel message the guest's console prints on its own ("[   25.930341] hrtimer: interrupt
# took 151327984 ns" on a loaded host), wherever it lands in a command's output.
KMSG_RE = re.compile(r"\[ *\d+\.\d{6}\] [^\n]*\n")


def without_kernel_messages(out):
    """A guest command's output without the kernel messages printed into it."""
    return KMSG_RE.sub("", out)


def shell_ok(t, cmd, timeout=60, kmsg=False):
    """Run @cmd in the guest shell; its output (the test fails on a non-zero exit status),
    without the kernel messages the console printed into it unless @kmsg (the command prints
    the kernel log itself). A console that stops answering marks @t hung before it raises."""
    try:
        status, out = t.shell(cmd, timeout)
    except ConsoleError as e:
        t.hung = str(e).splitlines()[0]
        raise
    if status != 0:
        t.fail(f"guest command {cmd!r} exited with {status}:\n{out}")
    return out if kmsg else without_kernel_messages(out)

BANNER_RE = r"\[c\d+\] Tern (\S+), an AArch64 hypervisor \(board ([\w-]+)\)"

# name -> regex; a test relaxes one with `with tern.allow("name"):` or allow=[...].
BAD_PATTERNS = {
    "panic": r"Tern PANIC",
    "exception": r"exception dump",
    "error": r"\[c\d+\] error: ",
    "warning": r"\[c\d+\] warning: ",
}


def parse_size(text):
    """Bytes in a QEMU-style size ("512M", "1G", "65536")."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = str(text).strip().upper()
    return int(text[:-1]) * units[text[-1]] if text[-1:] in units else int(text)


class ConsoleError(AssertionError):
    """A bad pattern, a timeout or EOF on Tern's console (the message has the log)."""


def build_root():
    """$TERN_BUILD (set by `make integration-test` to O), else <srctree>/build."""
    root = os.environ.get("TERN_BUILD") or "build"
    return os.path.abspath(os.path.join(SRCTREE, root))


def git_version():
    try:
        return subprocess.run(["git", "-C", SRCTREE, "describe", "--always", "--dirty"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


class Build:
    """One built configuration."""

    def __init__(self, config, outdir, versions, log):
        self.config = config
        self.dir = outdir
        self.image = os.path.join(outdir, "tern.bin")
        self.elf = os.path.join(outdir, "tern.elf")
        # `git describe` just before and just after make: other people edit the tree
        # concurrently, so the dirty flag may flip while the build runs.
        self.versions = versions
        self.log = log

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def kconfig(self):
        """The build's .config as a dict (CONFIG_ prefix kept; unset symbols absent)."""
        vals = {}
        with open(self.path(".config")) as f:
            for line in f:
                m = re.match(r"(CONFIG_\w+)=(.*)", line.strip())
                if m:
                    vals[m.group(1)] = m.group(2).strip('"')
        return vals

    def pcpus(self):
        """The pCPUs Tern uses: CONFIG_NR_PCPUS with CONFIG_MULTI_PCPU, else 1."""
        kconf = self.kconfig()
        if kconf.get("CONFIG_MULTI_PCPU") == "y":
            return int(kconf.get("CONFIG_NR_PCPUS", "1"), 0)
        return 1


class LinuxGuest:
    """The Linux test guest of scripts/fetch-guest.sh: kernel, initrd and disk image paths,
    release. The disk image is pristine: tests that write to it use a copy."""

    def __init__(self, kernel, initrd, release, disk=None):
        self.kernel, self.initrd, self.release, self.disk = kernel, initrd, release, disk

    def __repr__(self):
        return f"LinuxGuest({self.release}: {self.kernel}, {self.initrd}, {self.disk})"


def fetch_guest(timeout=FETCH_TIMEOUT):
    """Run scripts/fetch-guest.sh --print (fetching into $TERN_CACHE when needed).

    Returns a LinuxGuest; raises AssertionError with the script's output when it fails
    (e.g. no network for the first fetch).
    """
    cmd = [FETCH_GUEST, "--print"]
    why = None
    try:
        r = subprocess.run(cmd, cwd=SRCTREE, stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
        raise AssertionError(f"$ {' '.join(cmd)}: no exit in {timeout} s\n{err or ''}")
    paths = dict(re.findall(r"^(KERNEL|INITRD|DISK)=(.+)$", r.stdout, re.M))
    if r.returncode != 0:
        why = f"exit status {r.returncode}"
    elif set(paths) != {"KERNEL", "INITRD", "DISK"}:
        why = "no KERNEL=, INITRD= and DISK= lines"
    else:
        missing = [p for p in paths.values() if not os.path.isfile(p)]
        if missing:
            why = f"missing {', '.join(missing)}"
    release = None
    if why is None:
        version = os.path.join(os.path.dirname(paths["KERNEL"]), "kernel.version")
        try:
            with open(version) as f:
                release = f.read().strip()
        except OSError as e:
            why = f"cannot read {version}: {e}"
        if why is None and not release:
            why = f"{version} is empty"
    if why:
        raise AssertionError(
            f"cannot get the Linux test guest: $ {' '.join(cmd)}: {why} (the first fetch needs "
            f"Debian's mirror; cache: {os.environ.get('TERN_CACHE', '~/.cache/tern')})\n"
            f"--- stdout ---\n{r.stdout}--- stderr ---\n{r.stderr}")
    return LinuxGuest(paths["KERNEL"], paths["INITRD"], release, paths["DISK"])


class Builder:
    """Builds each defconfig once per session into <root>/itest/<config>."""

    def __init__(self, root=None, jobs=None):
        self.root = os.path.join(root or build_root(), "itest")
        self.jobs = jobs or os.cpu_count() or 2
        self.cache = {}

    def _make(self, outdir, *targets):
        cmd = ["make", "-C", SRCTREE, f"O={outdir}", *targets]
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT)
        out = f"$ {' '.join(cmd)}\n{r.stdout}"
        if r.returncode != 0:
            raise AssertionError(f"build failed ({r.returncode}):\n{out}")
        return out

    def build(self, config):
        if config in self.cache:
            return self.cache[config]
        if not os.path.isfile(os.path.join(SRCTREE, "configs", config)):
            raise AssertionError(f"no such configuration: configs/{config}")
        outdir = os.path.join(self.root, config)
        os.makedirs(outdir, exist_ok=True)
        before = git_version()
        log = self._make(outdir, config)
        log += self._make(outdir, f"-j{self.jobs}")
        versions = {v for v in (before, git_version()) if v}
        b = Build(config, outdir, versions, log)
        for f in (b.image, b.elf):
            if not os.path.isfile(f):
                raise AssertionError(f"build of {config} made no {f}:\n{log}")
        self.cache[config] = b
        return b


class Monitor:
    """QEMU's human monitor on a unix socket (run-qemu --monitor): Tern seen from outside.

    >>> m = Monitor(path)        # connects (waits for QEMU to create the socket)
    >>> m.cpus()                 # {pCPU: (exception level, x28)} at this instant
    """

    PROMPT = "(qemu) "

    def __init__(self, path, timeout=30):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"QEMU's monitor socket {path} never answered")
                time.sleep(0.2)
        self.sock.settimeout(timeout)
        self._read_until_prompt()

    def _read_until_prompt(self):
        buf = b""
        while not buf.endswith(self.PROMPT.encode()):
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("QEMU's monitor closed the connection")
            buf += chunk
        return buf.decode(errors="replace")

    def command(self, cmd):
        """Run a monitor command; its output."""
        self.sock.sendall(cmd.encode() + b"\n")
        return self._read_until_prompt()

    def cpus(self):
        """{pCPU index: (EL as 0-3, x28)} from `info registers -a` (PSTATE's mode field)."""
        out = self.command("info registers -a")
        cpus = {}
        for m in re.finditer(r"CPU#(\d+)\s+(.*?)(?=CPU#\d+|\Z)", out, re.S):
            el = re.search(r"PSTATE=[0-9a-f]+ \S+ EL(\d)", m.group(2))
            x28 = re.search(r"X28=([0-9a-f]+)", m.group(2))
            if el and x28:
                cpus[int(m.group(1))] = (int(el.group(1)), int(x28.group(1), 16))
        return cpus

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.close()


class Tern:
    """Tern booting in QEMU, with its console under pexpect.

    >>> t = Tern(build.image, smp=4, mem="1G").start()   # waits for the banner
    >>> t.expect(r"smp: (\\d+) pCPUs online").group(1)
    >>> assert t.wait_exit() == 0
    """

    def __init__(self, image, smp=4, mem="1G", append="", config=None,
                 timeout=RUN_TIMEOUT, allow=(), name="tern"):
        self.image, self.smp, self.mem, self.append = image, smp, mem, append
        self.timeout = timeout
        self.name = name
        self.bad = {k: v for k, v in BAD_PATTERNS.items() if k not in allow}
        self.child = None
        self.deadline = None
        self.chunks = []
        self.exitstatus = None
        self.banner = None
        self.version = None
        self.env = None         # QEMU's environment (None: ours)
        self.shell_seq = 0
        self.cmd = [RUN_QEMU, "--image", image, "--smp", str(smp), "--mem", mem]
        if config:
            self.cmd += ["--config", config]
        if append:
            self.cmd += ["--append", append]

    # -- the log ---------------------------------------------------------------------------

    class _Log:
        def __init__(self, owner):
            self.owner = owner

        def write(self, s):
            self.owner.chunks.append(s)

        def flush(self):
            pass

    @property
    def log(self):
        """Everything QEMU printed so far, with \\r\\n turned into \\n."""
        return "".join(self.chunks).replace("\r", "")

    def lines(self):
        return self.log.splitlines()

    def fail(self, why):
        tail = "\n".join(self.lines()[-25:])
        raise ConsoleError(f"{self.name}: {why}\n  command: {' '.join(self.cmd)}\n"
                           f"--- last console lines ---\n{tail}\n--- end ---")

    # -- running -----------------------------------------------------------------------------

    def start(self, banner=True):
        """Spawn QEMU and (unless banner=False) wait for Tern's banner."""
        self.deadline = time.monotonic() + self.timeout
        self.child = pexpect.spawn(self.cmd[0], self.cmd[1:], cwd=SRCTREE,
                                   encoding="utf-8", codec_errors="replace",
                                   timeout=self.timeout, echo=False,
                                   dimensions=(50, 250), env=self.env)
        self.child.logfile_read = self._Log(self)
        if not banner:
            return self
        m = self.expect(BANNER_RE)
        self.banner = m.group(0)
        self.version = m.group(1)
        # From here on a second banner means Tern was reset.
        self.bad["reset"] = BANNER_RE
        return self

    def _remaining(self, timeout):
        left = self.deadline - time.monotonic()
        return max(0.0, min(left, timeout) if timeout is not None else left)

    def expect(self, pattern, timeout=None):
        """Wait for regex pattern; fail on any bad pattern seen first, timeout or EOF.

        Returns the re match object.
        """
        if self.child is None:
            raise RuntimeError("Tern.start() first")
        bad = list(self.bad.items())
        try:
            i = self.child.expect([pattern] + [p for _, p in bad],
                                  timeout=self._remaining(timeout))
        except pexpect.TIMEOUT:
            self.dump_state()
            self.fail(f"timeout waiting for /{pattern}/")
        except pexpect.EOF:
            self._reap()
            self.fail(f"EOF (QEMU exited with {self.exitstatus}) waiting for /{pattern}/")
        if i:
            name = bad[i - 1][0]
            # Let the rest of the line (and the dump) reach the log before reporting.
            self._drain()
            self.fail(f"bad pattern '{name}' (/{bad[i - 1][1]}/) while waiting for "
                      f"/{pattern}/: {self.child.after!r}")
        return self._whole(pattern, self.child.match, timeout)

    def _whole(self, pattern, m, timeout):
        """pexpect matches what has arrived so far: a capture ending where the data ends may be
        cut short (`bare-metal +(\\S+)` took "o" of "off" in a CI run). Wait for the end of
        that line and match again from the same start, so the capture is whole."""
        if not m.lastindex or m.end(m.lastindex) != m.end() or self.child.buffer \
                or m.group(0).endswith("\n"):
            return m
        try:
            self.child.expect(r"\n", timeout=self._remaining(timeout))
        except (pexpect.TIMEOUT, pexpect.EOF):
            return m
        whole = re.compile(pattern, re.DOTALL).match(m.group(0) + self.child.before + "\n")
        return whole or m

    def expect_line(self, text, timeout=None):
        """expect() a literal text fragment."""
        return self.expect(re.escape(text), timeout)

    @contextlib.contextmanager
    def allow(self, *names):
        """Relax bad patterns for a block: `with t.allow("warning"): t.expect(...)`."""
        saved = {n: self.bad.pop(n) for n in names if n in self.bad}
        try:
            yield self
        finally:
            self.bad.update(saved)

    # -- QEMU's monitor --------------------------------------------------------------------

    def add_monitor(self):
        """Give QEMU a monitor socket (call before start()); monitor() connects to it."""
        self.monitor_dir = tempfile.mkdtemp(prefix="tern-mon-")
        self.monitor_path = os.path.join(self.monitor_dir, "monitor.sock")
        self.cmd += ["--monitor", self.monitor_path]
        return self

    def monitor(self):
        return Monitor(self.monitor_path)

    # -- a Linux guest in VM 0 -------------------------------------------------------------

    def add_vm0_linux(self, guest, bootargs=None):
        """Boot @guest (a LinuxGuest) in VM 0; call before start().

        run-qemu takes unset --vmN-* options from VMN_* variables: drop those from QEMU's
        environment so only this guest is loaded.
        """
        self.cmd += ["--vm0-kernel", guest.kernel, "--vm0-initrd", guest.initrd]
        if bootargs is not None:
            self.cmd += ["--vm0-bootargs", bootargs]
        self.env = {k: v for k, v in os.environ.items()
                    if not re.match(r"VM\d+_(KERNEL|INITRD|BOOTARGS|DISK\w*)$", k)}
        return self

    def add_vm_disk(self, vm, path, mode="ram", read_only=False, region=None):
        """Give VM @vm the disk image @path (run-qemu --vmN-disk*); before start()."""
        self.cmd += [f"--vm{vm}-disk", path, f"--vm{vm}-disk-mode", mode]
        if read_only:
            self.cmd.append(f"--vm{vm}-disk-ro")
        if region:
            self.cmd += [f"--vm{vm}-disk-region", f"{region[0]}:{region[1]}"]
        return self

    def expect_prompt(self, timeout=None):
        """Wait for the guest shell's prompt (a literal match: the line editor follows it
        with ESC[6n)."""
        return self.expect_line(GUEST_PROMPT, timeout)

    def wait_linux(self, timeout=None):
        """Wait for the guest's "Tern guest: Linux <release> up" and its shell prompt;
        returns the release."""
        release = self.expect(GUEST_UP_RE, timeout).group(1)
        self.expect_prompt(timeout)
        return release

    def send(self, s):
        return self.child.send(s)

    def sendline(self, s=""):
        return self.child.sendline(s)

    def shell(self, cmd, timeout=30):
        """Run cmd in the guest shell (at its prompt); wait for the prompt again.

        Returns (exit status, output with \\r removed). The output is framed by numbered
        markers whose echo differs from their output (B''EGIN -> BEGIN), so neither the
        echoed command line (the line editor wraps it at 80 columns) nor a previous
        command's output can be mistaken for it.
        """
        self.shell_seq += 1
        n = self.shell_seq
        self.sendline(f"echo @{n}@B''EGIN; {cmd}; echo @{n}@E''ND$?")
        m = self.expect(rf"(?s)@{n}@BEGIN\r*\n(.*?)@{n}@END(\d+)\r*\n", timeout)
        out, status = m.group(1).replace("\r", ""), int(m.group(2))
        self.expect_prompt(timeout)
        return status, out

    def hypcon(self, cmd, reply, timeout=None):
        """Run @cmd on Tern's hypervisor console (Ctrl-] then ':' opens its prompt, Enter runs
        the line) and wait for the regex @reply; returns its match. Guest output may interleave:
        the console shows the prompt and what was typed again when it does."""
        self.send("\x1d:")
        self.expect(r"\[c\d+\] tern> ", timeout)
        self.send(cmd + "\r")
        return self.expect(reply, timeout)

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit (bad patterns still watched); return its exit status."""
        bad = list(self.bad.items())
        try:
            i = self.child.expect([pexpect.EOF] + [p for _, p in bad],
                                  timeout=self._remaining(timeout))
        except pexpect.TIMEOUT:
            self.fail("timeout waiting for QEMU to exit")
        if i:
            self._drain()
            self.fail(f"bad pattern '{bad[i - 1][0]}' (/{bad[i - 1][1]}/) before exit: "
                      f"{self.child.after!r}")
        self._reap()
        return self.exitstatus

    def qemu_pid(self):
        """The PID of the QEMU that run-qemu started for this console."""
        todo = [self.child.pid]
        while todo:
            pid = todo.pop()
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip().startswith("qemu-system"):
                        return pid
                with open(f"/proc/{pid}/task/{pid}/children") as f:
                    todo += [int(c) for c in f.read().split()]
            except FileNotFoundError:
                continue
        raise AssertionError(f"{self.name}: no QEMU process under PID {self.child.pid}")

    def ram_resident_mib(self):
        """How much of the machine's RAM (QEMU -m) the host has backed with pages so far, in MiB:
        the resident size of QEMU's guest-RAM mapping, the one anonymous mapping at least as large
        as -m that is not executable (TCG's code buffer is as large) (/proc/PID/smaps). A page
        nobody wrote since QEMU started is not resident."""
        want = parse_size(self.mem) >> 10
        best = None
        with open(f"/proc/{self.qemu_pid()}/smaps") as f:
            size = None
            for line in f:
                key, _, rest = line.partition(":")
                if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):
                    perms = line.split()[1]
                    size = None
                elif key == "Size" and "x" not in perms:
                    size = int(rest.split()[0])
                elif key == "Rss" and size is not None and size >= want:
                    if best is None or size < best[0]:
                        best = (size, int(rest.split()[0]))
        assert best, f"{self.name}: no mapping of {self.mem} in QEMU's smaps"
        return best[1] >> 10

    def dump_state(self):
        """A hang: have Tern log every vCPU's state (console Ctrl-] d) into the log."""
        if self.child is None or not self.child.isalive():
            return
        with contextlib.suppress(OSError, pexpect.ExceptionPexpect):
            self.child.send("\x1dd")
            self._drain(3.0)

    def _drain(self, seconds=1.0):
        end = time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                self.child.read_nonblocking(4096, timeout=0.2)
        except (pexpect.TIMEOUT, pexpect.EOF, OSError):
            pass

    def _reap(self):
        if self.child is None or self.exitstatus is not None:
            return
        if not self.child.flag_eof:
            try:
                self.child.expect(pexpect.EOF, timeout=5)
            except (pexpect.EOF, pexpect.TIMEOUT):
                pass
        self.child.close()
        st = self.child.exitstatus
        self.exitstatus = st if st is not None else -(self.child.signalstatus or 0)

    def close(self):
        """Stop QEMU if it still runs: kill the process group of the child we spawned."""
        if self.child is None:
            return
        if self.child.isalive():
            # pexpect made run-qemu a session (and process group) leader; QEMU is in it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.child.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.child.close(force=True)
        if getattr(self, "monitor_dir", None):
            shutil.rmtree(self.monitor_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
