#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""make bench: Tern's hot paths in instructions, side by side with plain QEMU (docs/benchmarks.md).

The micro-benchmarks run the bench guest (tests/bench) under `-icount shift=0,sleep=off`, where
each instruction executed, at any exception level, advances virtual time by 1 ns: once as VM 0 of
Tern (configs/qemu_virt_bench_defconfig, one vCPU on one pCPU; the SMP rows with
configs/qemu_virt_bench_smp_defconfig, two vCPUs on one pCPU) and, for the rows that have a
native figure, directly on QEMU virt at EL1; the growth rows the same guest with 8 VMs
(configs/qemu_virt_bench_8vm_defconfig) or 8 vCPUs (configs/qemu_virt_bench_smp8_defconfig) on
one pCPU. The Linux rows boot the guest of scripts/fetch-guest.sh under Tern
(configs/qemu_virt_linux1_defconfig, 1 vCPU; configs/qemu_virt_defconfig, 4 vCPUs on 4 pCPUs as
`make run`; configs/qemu_virt_up_defconfig, 4 vCPUs on 1 pCPU) and on plain QEMU with
virtualization=off: under icount up to a power-off the guest does itself (instructions, from
QMP), and in wall time to the prompt. The storage rows give that Linux a blank 256 MiB
/dev/vda (Tern's RAM disk, Tern's host disk, native QEMU's virtio-blk-device) and time direct dd
reads and writes.

Rows are entries of ROWS: a name, a unit, a Target and a measure(ctx) function returning
(tern, native or None, note). Measurements share runs through Ctx, which runs each distinct
QEMU invocation once. Adding a row is adding an entry (and a run kind to Ctx if it needs one).

Writes <out>/results.json, <out>/results.png and, with --doc, docs/benchmarks.md. --repeat
measures the rows run under icount a second time and reports those differing by more than 1%.
"""

import argparse
import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SRCTREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN_QEMU = os.path.join(SRCTREE, "scripts", "run-qemu")
FETCH_GUEST = os.path.join(SRCTREE, "scripts", "fetch-guest.sh")
QEMU = "qemu-system-aarch64"
ICOUNT = ["-icount", "shift=0,sleep=off"]
INS_PER_TICK = 16           # 62.5 MHz counter, 1 instruction per ns
BENCH_CONFIG = "qemu_virt_bench_defconfig"
BENCH_SMP_CONFIG = "qemu_virt_bench_smp_defconfig"
BENCH_SMP2_CONFIG = "qemu_virt_bench_smp2_defconfig"
BENCH_8VM_CONFIG = "qemu_virt_bench_8vm_defconfig"     # 8 one-vCPU VMs on one pCPU
BENCH_SMP8_CONFIG = "qemu_virt_bench_smp8_defconfig"   # one VM of 8 vCPUs on one pCPU
GROWTH_SETTLE_MS = 20       # VM 0 of the 8-VM run sleeps first: the others boot and sleep
GROWTH_IDLE_MS = 20000      # the other VMs' sleep, longer than VM 0's whole run (~0.1 s)
GROWTH_PARKED = 6           # vCPUs asleep beside the two of the switch row
LINUX_CONFIG = "qemu_virt_defconfig"
LINUX_UP_CONFIG = "qemu_virt_up_defconfig"
LINUX1_CONFIG = "qemu_virt_linux1_defconfig"    # 1 vCPU: the deterministic boot, a wall row
MKINITRAMFS = os.path.join(SRCTREE, "scripts", "mkinitramfs.py")
# The deterministic boot (linux_instructions_row): the guest's first shell, given this bootarg,
# prints the marker and powers off before its first prompt (MARK_PROFILE); QEMU, with
# -no-shutdown, stops there, and QMP's query-replay gives the instructions executed so far.
MARK_BOOTARG = "tern.bench=mark"
MARK = "TERN-BENCH-MARK"
MARK_PROFILE = f"""
# scripts/bench.py's deterministic boot: with {MARK_BOOTARG}, the first shell says so and powers
# off before its first prompt, having never read the console.
read -r c < /proc/cmdline
case " $c " in *" {MARK_BOOTARG} "*) echo {MARK}; /bin/busybox poweroff -f ;; esac
"""
# ... and what QEMU gives the guest from the host is fixed: RNDR and the DTB's random seeds from
# a seeded generator, the PL031 RTC from a fixed date on virtual time.
MARK_QEMU_ARGS = ["-seed", "1", "-rtc", "base=2026-01-01T00:00:00,clock=vm"]
REPRO_TOLERANCE = 0.01      # --repeat: an instruction row differing by more between runs
GUEST_PROMPT = "tern-guest:/# "
NATIVE_MACHINE = ["-M", "virt,gic-version=3", "-cpu", "max,pauth-impdef=on", "-nographic",
                  "-nic", "none"]
GUEST_RUN_TIMEOUT = 120


def native_console(log):
    """Plain QEMU's console set up as run-qemu sets up Tern's: stdio multiplexed with the monitor,
    and a log file. QEMU writes each character the guest sends to both (a write(2) each), so a
    Linux boot's ~16,000 console characters cost the host the same on both sides of a wall-time
    row (with -nographic the native side made 16,000 fewer system calls)."""
    return [a for a in NATIVE_MACHINE if a != "-nographic"] + [
        "-display", "none", "-chardev", f"stdio,id=native-con,mux=on,signal=off,logfile={log}",
        "-serial", "chardev:native-con", "-mon", "chardev=native-con,mode=readline"]


LINUX_TIMEOUT = 300
LINUX_WALL_TIMEOUT = 120    # a wall-time boot that takes longer is reported as hung, not waited for
STORAGE_MIB = 256           # sequential dd size (bs=1M, direct I/O)
STORAGE_PAIRS = 3           # alternated runs of each side
STORAGE_4K_COUNT = 4096     # 4 KiB direct reads under icount
STORAGE_TIMEOUT = 600
# BusyBox's dd prints no time and its date no nanoseconds: the shell reads the kernel's
# monotonic clock around dd (the "now at N nsecs" line of /proc/timer_list), and the time the
# CPUs ran tasks (not idle: the sum of /proc/schedstat's rq_cpu_time, ns).
DD_RE = re.compile(r"DDTIME (\d+) (\d+) (\d+) (\d+) (\d+)\+0 records out")
DUMP_EXITS_RE = re.compile(r"dump: vm0\.\d+ .*? exits (\d+) ")
VBLK_REPORT_RE = re.compile(r"vm0: virtio-blk: (\d+) reads \(\d+ MiB\), (\d+) writes .*?; "
                            r"(\d+) notifications, (\d+) interrupts")

BENCH_LOOP_RE = re.compile(r"^BENCH loop (\S+) n=(\d+) ticks=(\d+) base=(\d+)", re.M)
BENCH_LAT_RE = re.compile(r"^BENCH lat (\S+) n=(\d+) sum=(\d+) min=(\d+) max=(\d+)", re.M)
BENCH_SAMPLES_RE = re.compile(r"^BENCH samples (\S+) n=(\d+) ticks=([\d,]+)", re.M)
COUNTER_HZ = 62500000       # QEMU virt's CNTFRQ_EL0
SUMMARY_RE = re.compile(r"^SUMMARY: (\d+) tests, (\d+) failures", re.M)
EXITS_RE = re.compile(r"\[c\d+\] vm0: exits (\d+): (.*)")
VM_PAGES_RE = re.compile(r"vm(\d+): created: (\d+) pages taken")
READELF = "aarch64-linux-gnu-readelf"
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4


# -- parsing (shared with tests/integration/test_bench.py) --------------------------------------

def parse_bench(log):
    """The bench guest's output -> {"loop": {name: ins/op}, "lat": {name: (mean, min, max)},
    "raw": ..., "summary": (tests, failures) or None}."""
    res = {"loop": {}, "lat": {}, "raw": {}, "samples": {}, "summary": None}
    for name, n, ticks, base in BENCH_LOOP_RE.findall(log):
        n, ticks, base = int(n), int(ticks), int(base)
        res["loop"][name] = (ticks - base) * INS_PER_TICK / n
        res["raw"][name] = {"n": n, "ticks": ticks, "base": base}
    for name, n, s, lo, hi in BENCH_LAT_RE.findall(log):
        n, s = int(n), int(s)
        res["lat"][name] = (s / n if n else 0.0, int(lo), int(hi))
        res["raw"][name] = {"n": n, "sum": s}
    for name, n, ticks in BENCH_SAMPLES_RE.findall(log):
        res["samples"][name] = (int(n), [int(t) for t in ticks.split(",")])
    m = SUMMARY_RE.search(log)
    if m:
        res["summary"] = (int(m.group(1)), int(m.group(2)))
    return res


def parse_exits(log):
    """Tern's "vm0: exits T: hvc 2, smc 0, ..." line -> {"total": T, "hvc": 2, ...}."""
    m = None
    for m in EXITS_RE.finditer(log.replace("\r", "")):
        pass
    if not m:
        return None
    counts = {"total": int(m.group(1))}
    for field in m.group(2).split(","):
        name, value = field.split()
        counts[name] = int(value)
    return counts


def exits_add_up(c):
    """The total counts every reason but maint (a kind of irq exit), and maint <= irq."""
    return (c["total"] == sum(v for k, v in c.items() if k not in ("total", "maint"))
            and c.get("maint", 0) <= c.get("irq", 0))


# -- targets ------------------------------------------------------------------------------------

class AtMost:
    """Tern's figure itself is at most the target."""

    def __init__(self, limit):
        self.limit = limit

    def text(self, unit):
        return f"<= {self.limit:g} {unit}"

    def met(self, tern, native):
        return tern <= self.limit

    def compare(self, tern, native):
        return f"+{tern - native:.1f}" if native is not None else ""


class AboveNative(AtMost):
    """Tern at most limit above native."""

    def text(self, unit):
        return f"<= native + {self.limit:g}"

    def met(self, tern, native):
        return tern - native <= self.limit


class RatioOfNative(AtMost):
    """Tern at most limit times native."""

    def text(self, unit):
        return f"<= {self.limit:g} x native"

    def met(self, tern, native):
        return tern <= self.limit * native

    def compare(self, tern, native):
        return f"{tern / native:.3f} x"


class AtLeastNative(AtMost):
    """Tern at least limit times native (a throughput)."""

    def text(self, unit):
        return f">= {self.limit:g} x native"

    def met(self, tern, native):
        return tern >= self.limit * native

    def compare(self, tern, native):
        return f"{tern / native:.3f} x"


class TimesRow(AtMost):
    """Tern at most factor times the figure of an earlier row (bound by main())."""

    def __init__(self, key, factor):
        self.key, self.factor, self.limit = key, factor, None

    def bind(self, figures):
        if figures.get(self.key) is not None:
            self.limit = self.factor * figures[self.key]

    def text(self, unit):
        return f"<= {self.factor:g} x the {self.key} row"

    def met(self, tern, native):
        return None if self.limit is None else tern <= self.limit


class RatioNoTarget(RatioOfNative):
    """Side by side with native, the ratio shown, no target."""
    limit = None

    def __init__(self):
        pass

    def text(self, unit):
        return "- (reported)"

    def met(self, tern, native):
        return None


class NoTarget:
    """A figure reported for what it is: no target (met is None, shown as "-")."""
    limit = None

    def text(self, unit):
        return "-"

    def met(self, tern, native):
        return None

    def compare(self, tern, native):
        return ""


# -- running things -----------------------------------------------------------------------------

def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, timeout, **kw):
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout,
                       **kw)
    return r.returncode, r.stdout


class Ctx:
    """Builds, the runs the rows share (each done once) and their logs under <out>/logs."""

    def __init__(self, out, quick=False, wall_runs=5, irqs=1000, loops=10000,
                 wall_configs=(LINUX_CONFIG,)):
        self.out = out
        self.quick = quick
        self.wall_runs = wall_runs
        self.wall_configs = wall_configs
        self.irqs = irqs
        self.loops = loops
        self.logdir = os.path.join(out, "logs")
        os.makedirs(self.logdir, exist_ok=True)
        self.cache = {}
        self.notes = {}
        self.log_prefix = ""

    def once(self, key, fn):
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]

    def forget_runs(self, log_prefix):
        """For a second pass (--repeat): keep the builds and prepared files, forget every run;
        the new runs' logs get @log_prefix."""
        setup = ("build", "guest", "linux-guest", "mark-initrd", "linux-cmds")
        self.cache = {k: v for k, v in self.cache.items()
                      if (k[0] if isinstance(k, tuple) else k) in setup}
        self.log_prefix = log_prefix

    def save_log(self, name, text):
        with open(os.path.join(self.logdir, self.log_prefix + name + ".log"), "w") as f:
            f.write(text)

    # builds

    def tern_build(self, config):
        def build():
            d = os.path.join(self.out, "tern-" + config.removesuffix("_defconfig"))
            log(f"building Tern ({config}) in {d}")
            for args in ([config], [f"-j{os.cpu_count() or 2}", "all"]):
                rc, text = run(["make", "-C", SRCTREE, f"O={d}", *args], 900)
                if rc:
                    sys.exit(f"bench: build of {config} failed:\n{text}")
            return d
        return self.once(("build", config), build)

    def guest_build(self):
        def build():
            d = os.path.join(self.out, "guest")
            rc, text = run(["make", "-C", os.path.join(SRCTREE, "tests", "bench"), f"O={d}"],
                           600)
            if rc:
                sys.exit(f"bench: bench guest build failed:\n{text}")
            return d
        return self.once("guest", build)

    # the bench guest

    def bench_tern(self, bootargs, config=BENCH_CONFIG, others=None):
        """The bench guest as VM 0 of Tern under icount: (parsed output, exit counts, log).
        With @others, every other VM of @config runs it too, with those bootargs."""
        def go():
            d = self.tern_build(config)
            nr_vms = int(read_config(os.path.join(d, ".config")).get("CONFIG_NR_VMS", "1"))
            image = os.path.join(self.guest_build(), "bench.bin")
            cmd = [RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
                   os.path.join(d, ".config"), "--smp", "1",
                   "--mem", "1G" if others else "256M", "--icount",
                   "--vm0-kernel", image, "--vm0-bootargs", bootargs]
            for n in range(1, nr_vms if others else 1):
                cmd += [f"--vm{n}-kernel", image, f"--vm{n}-bootargs", others]
            rc, text = run(cmd, GUEST_RUN_TIMEOUT, env=clean_env())
            tag = "" if config == BENCH_CONFIG else config.removesuffix("_defconfig") + "-"
            self.save_log("tern-" + tag + slug(bootargs), f"$ {shlex.join(cmd)}\n{text}")
            # Several VMs: their lines come prefixed "[vmN] "; VM 0's are the measurement.
            return check_guest_run("Tern", cmd, rc, vm_lines(text, 0) if others else text,
                                   want_exits=True)
        return self.once(("tern", config, bootargs, others), go)

    def bench_native(self, bootargs):
        """The bench guest on plain QEMU virt at EL1 under icount: (parsed output, None, log)."""
        def go():
            g = self.guest_build()
            machine = [QEMU, *NATIVE_MACHINE, "-smp", "1", "-m", "128M"]
            with tempfile.TemporaryDirectory(prefix="tern-bench-") as tmp:
                dtb = dtb_with_bootargs(machine, bootargs, tmp)
                # QEMU's loader cannot set x0: dtb-shim does (tests/guests/tools/run-qemu).
                cmd = machine + ICOUNT + [
                    "-kernel", os.path.join(g, "bench.elf"),
                    "-device", f"loader,file={os.path.join(g, 'dtb-shim.bin')},addr=0x43e00000",
                    "-device", f"loader,file={dtb},addr=0x43f00000",
                    "-device", "loader,addr=0x43e00000,cpu-num=0"]
                rc, text = run(cmd, GUEST_RUN_TIMEOUT)
            self.save_log("native-" + slug(bootargs), f"$ {shlex.join(cmd)}\n{text}")
            return check_guest_run("native", cmd, rc, text, want_exits=False)
        return self.once(("native", bootargs), go)

    def micro(self):
        return self.bench_tern(f"n={self.loops} irqs={self.irqs}")

    def micro_native(self):
        return self.bench_native(f"rows=vtimer,sgi irqs={self.irqs}")

    def micro_smp(self):
        """The two-vCPU rows: SGI ping-pong and SGI sends, two vCPUs on one pCPU."""
        return self.bench_tern(f"rows=switch,sgisend n={self.loops}", BENCH_SMP_CONFIG)

    def growth_vms(self, vms):
        """The rows of the growth check, VM 0 of @vms (1 or 8) one-vCPU VMs on one pCPU: with
        8, VM 0 measures once the other seven have booted and gone to sleep in WFI (their
        timers armed GROWTH_IDLE_MS ahead); with 1, the same bootargs alone."""
        args = f"rows=smccc,sysreg_emul,mmio n={self.loops} sleep={GROWTH_SETTLE_MS}"
        if vms == 1:
            return self.bench_tern(args)
        return self.bench_tern(args, BENCH_8VM_CONFIG, others=f"rows=idle sleep={GROWTH_IDLE_MS}")

    def growth_vcpus(self, parked):
        """The switch row in a VM of 8 vCPUs on one pCPU, @parked of them asleep in WFI."""
        return self.bench_tern(f"rows=switch n={self.loops} parked={parked}", BENCH_SMP8_CONFIG)

    def micro_smp_irq(self):
        """SGI round trips with the interrupts taken and the wake-up latency, two vCPUs on one
        pCPU, under icount."""
        return self.bench_tern(f"rows=rtirq,wake n={self.loops} wake={10 if self.quick else 40}",
                               BENCH_SMP_CONFIG)

    def rtwall(self):
        """SGI round trips, two vCPUs on two pCPUs, wall time with multi-threaded TCG (no
        icount): runs of Tern (qemu_virt_bench_smp2_defconfig, -smp 2) and of the same guest on
        plain QEMU -smp 2, alternating; each run prints samples of n round trips.
        Returns {"tern": [[us per round trip of each sample] per run], "native": [...]}."""
        def go():
            runs = 2 if self.quick else 5
            n = 50 if self.quick else 200
            args = f"rows=rtwall n={n} samples={10 if self.quick else 20}"
            out = {"tern": [], "native": []}
            d = self.tern_build(BENCH_SMP2_CONFIG)
            g = self.guest_build()
            for i in range(runs):
                for who in ("tern", "native"):
                    if who == "tern":
                        cmd = [RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
                               os.path.join(d, ".config"), "--smp", "2", "--mem", "256M",
                               "--vm0-kernel", os.path.join(g, "bench.bin"),
                               "--vm0-bootargs", args]
                        rc, text = run(cmd, GUEST_RUN_TIMEOUT, env=clean_env())
                    else:
                        machine = [QEMU, *NATIVE_MACHINE, "-smp", "2", "-m", "128M"]
                        with tempfile.TemporaryDirectory(prefix="tern-bench-") as tmp:
                            dtb = dtb_with_bootargs(machine, args, tmp)
                            cmd = machine + [
                                "-kernel", os.path.join(g, "bench.elf"),
                                "-device", f"loader,file={os.path.join(g, 'dtb-shim.bin')},"
                                "addr=0x43e00000",
                                "-device", f"loader,file={dtb},addr=0x43f00000",
                                "-device", "loader,addr=0x43e00000,cpu-num=0"]
                            rc, text = run(cmd, GUEST_RUN_TIMEOUT)
                    self.save_log(f"rtwall-{who}-{i}", f"$ {shlex.join(cmd)}\n{text}")
                    res, _, _ = check_guest_run(who, cmd, rc, text, want_exits=False)
                    per, ticks = res["samples"]["rtwall"]
                    out[who].append([t * 1e6 / COUNTER_HZ / per for t in ticks])
            return out
        return self.once("rtwall", go)

    # Linux

    def linux_guest(self):
        def fetch():
            rc, text = run([FETCH_GUEST, "--print"], 1800)
            paths = dict(re.findall(r"^(KERNEL|INITRD)=(.+)$", text, re.M))
            if rc or set(paths) != {"KERNEL", "INITRD"}:
                sys.exit(f"bench: scripts/fetch-guest.sh --print failed:\n{text}")
            return paths["KERNEL"], paths["INITRD"]
        return self.once("linux-guest", fetch)

    def mark_initrd(self):
        """The guest's initramfs with a second archive appended (the kernel unpacks both, the
        later file wins) whose /etc/profile adds MARK_PROFILE: the deterministic boot's."""
        def make():
            spec = importlib.util.spec_from_file_location("mkinitramfs", MKINITRAMFS)
            mk = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mk)
            buf = io.BytesIO()
            w = mk.NewcWriter(buf)
            w.file("etc/profile", (mk.PROFILE + MARK_PROFILE).encode(), 0o644)
            w.trailer()
            with open(self.linux_guest()[1], "rb") as f:
                base = f.read()
            path = os.path.join(self.out, "initramfs-mark.cpio.gz")
            with open(path, "wb") as f:
                f.write(base + mk.compress(buf.getvalue()))
            return path
        return self.once("mark-initrd", make)

    def linux_cmds(self, config=LINUX_CONFIG, mark=False):
        """(Tern's QEMU command, native QEMU command, what they share) for the Linux rows;
        @mark: with mark_initrd() and MARK_BOOTARG, for the deterministic boot."""
        def make():
            d = self.tern_build(config)
            conf = read_config(os.path.join(d, ".config"))
            kernel, initrd = self.linux_guest()
            smp = int(conf.get("CONFIG_VM0_NR_VCPUS", "1"))
            ram = int(conf.get("CONFIG_VM0_RAM_MB", "512"))
            pcpus = int(conf.get("CONFIG_NR_PCPUS", "1")) if conf.get("CONFIG_MULTI_PCPU") \
                else 1
            bootargs = conf.get("CONFIG_VM0_BOOTARGS", "console=ttyAMA0")
            if mark:
                initrd, bootargs = self.mark_initrd(), f"{bootargs} {MARK_BOOTARG}"
            dtb = os.path.join(self.out, ("linux-tern" if config == LINUX_CONFIG else
                                          f"linux-tern-{config.removesuffix('_defconfig')}")
                               + ("-mark" if mark else "") + ".dtb")
            rc, text = run([RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
                            os.path.join(d, ".config"), "--smp", str(pcpus), "--mem", "1G",
                            "--vm0-kernel", kernel, "--vm0-initrd", initrd, "--dry-run",
                            "--vm0-bootargs", bootargs, "--dtb-out", dtb,
                            # The dry run's own temporary directory is gone when it returns.
                            "--console-log", dtb.removesuffix(".dtb") + "-console.log"],
                           120, env=clean_env())
            if rc:
                sys.exit(f"bench: run-qemu --dry-run failed:\n{text}")
            tern = shlex.split(text.strip().splitlines()[-1])
            native = [QEMU, *native_console(os.path.join(
                          self.out, f"linux-native-{smp}vcpu{'-mark' if mark else ''}-console.log")),
                      "-M", "virtualization=off", "-smp", str(smp),
                      "-m", f"{ram}M", "-kernel", kernel, "-initrd", initrd,
                      "-append", bootargs]
            return tern, native, {"vcpus": smp, "ram": ram, "pcpus": pcpus,
                                  "bootargs": bootargs}
        return self.once(("linux-cmds", config, mark), make)

    def linux_mark(self, who, i=0, config=LINUX1_CONFIG):
        """The deterministic boot: 1 vCPU (LINUX1_CONFIG, native -smp 1; or @config) under
        icount, from QEMU's start to the guest's power-off at its first shell (MARK_PROFILE), no
        console input: (instructions QEMU executed, Tern's exit counts or None). @i: a run
        index (test_bench runs it twice)."""
        def go():
            tern, native, shared = self.linux_cmds(config, mark=True)
            cmd = tern if who == "tern" else native
            name = f"linux-mark-{who}-{shared['vcpus']}vcpu-{i}"
            log(f"Linux boot to the marker: {name}")
            icount, text = boot_to_mark(cmd, LINUX_TIMEOUT,
                                        lambda full, text: self.save_log(
                                            name, f"$ {shlex.join(full)}\n{text}"))
            return icount, parse_exits(text) if who == "tern" else None
        key_config = tuple(self.linux_cmds(config, mark=True)[1]) if who == "native" else config
        return self.once(("linux-mark", who, i, key_config), go)

    def linux_boot(self, who, i=0, config=LINUX_CONFIG, timeout=LINUX_TIMEOUT):
        """Boot to the prompt in wall time, no icount: host seconds. The native boot is the
        same whatever @config (the machine the guest sees: same kernel, initramfs, -smp and
        -m), so it is run once for all of them."""
        def go():
            tern, native, shared = self.linux_cmds(config)
            cmd = tern if who == "tern" else native
            tag = f"-{shared['vcpus']}vcpu" if who == "native" else \
                "" if config == LINUX_CONFIG else "-" + config.removesuffix("_defconfig")
            name = f"linux-{who}{tag}-wall-{i}"
            log(f"Linux boot: {name}")
            try:
                wall, text = boot_linux(cmd, timeout=timeout)
            except SystemExit as e:
                self.save_log(name, str(e))
                raise
            self.save_log(name, f"$ {shlex.join(cmd)}\n{text}")
            return wall
        return self.once(("linux", who, i, self.linux_key(who, config)), go)

    def linux_key(self, who, config):
        return tuple(self.linux_cmds(config)[1]) if who == "native" else config

    def linux_walls(self):
        """The wall-time boots of every Tern configuration in self.wall_configs and of native,
        alternating (Tern 4 pCPUs, native, Tern 1 pCPU, ...), so that drifts of the host hit
        all alike: {config: ([Tern seconds], [native seconds])}."""
        def go():
            walls = {c: ([], [], []) for c in self.wall_configs}
            for i in range(self.wall_runs):
                for config in self.wall_configs:
                    for who, times in (("tern", walls[config][0]), ("native", walls[config][1])):
                        # Native is booted once per distinct command (the same for every
                        # config). A boot that hangs is reported in the row, not waited for.
                        # A boot that hangs counts as LINUX_WALL_TIMEOUT seconds (a lower
                        # bound) in the median and fails the row.
                        try:
                            wall = self.linux_boot(who, i, config, LINUX_WALL_TIMEOUT)
                        except SystemExit as e:
                            log(f"{who} boot {i} ({config}) failed, see logs/: "
                                + str(e).splitlines()[0])
                            walls[config][2].append(f"{who} boot {i} ({str(e).splitlines()[0]})")
                            self.cache[("linux", who, i, self.linux_key(who, config))] = None
                            wall = None
                        times.append(wall)
            return walls
        return self.once("linux-walls", go)

    # Linux with a disk

    def storage_cmd(self, who, mode, image, icount, config=LINUX_CONFIG):
        """The QEMU command (Tern: run-qemu) of a storage run and the VM's vCPU count."""
        d = self.tern_build(config)
        conf = read_config(os.path.join(d, ".config"))
        kernel, initrd = self.linux_guest()
        smp = int(conf.get("CONFIG_VM0_NR_VCPUS", "1"))
        pcpus = int(conf.get("CONFIG_NR_PCPUS", "1")) if conf.get("CONFIG_MULTI_PCPU") else 1
        if who == "tern":
            # 2 GiB: the VM's RAM and a RAM disk of STORAGE_MIB beside Tern.
            cmd = [RUN_QEMU, "--image", os.path.join(d, "tern.bin"), "--config",
                   os.path.join(d, ".config"), "--smp", str(pcpus), "--mem", "2G",
                   "--vm0-kernel", kernel, "--vm0-initrd", initrd, "--vm0-disk", image,
                   "--vm0-disk-mode", mode] + (["--icount"] if icount else [])
        else:
            # The same disk as Tern's host disk: run-qemu attaches it so.
            cmd = [QEMU, *native_console(os.path.join(self.out, "storage-native-console.log")),
                   "-M", "virtualization=off", "-smp", str(smp),
                   "-m", f"{conf.get('CONFIG_VM0_RAM_MB', '512')}M", "-kernel", kernel,
                   "-initrd", initrd, "-append",
                   conf.get("CONFIG_VM0_BOOTARGS", "console=ttyAMA0"),
                   "-global", "virtio-mmio.force-legacy=false",
                   "-drive", f"file={image},if=none,format=raw,id=d0",
                   "-device", "virtio-blk-device,drive=d0"] + (ICOUNT if icount else [])
        return cmd, smp

    def storage_run(self, who, mode, icount=False, i=0, config=LINUX_CONFIG):
        """Linux with a blank STORAGE_MIB disk as /dev/vda (a fresh image file each run):
        under Tern on a RAM disk (@mode "ram") or on the machine's virtio-blk disk
        ("persistent"), or native on QEMU's virtio-blk-device with that file. Without icount:
        `dd bs=1M` direct writes over the whole disk, then direct reads of it; under icount:
        STORAGE_4K_COUNT direct 4 KiB reads. Returns a dict: dd's seconds by phase (the guest's
        clock: wall time, or instructions under icount), Tern's vm0 exits during each phase
        (the vCPUs' counters, console Ctrl-] d, before and after) and the virtio-blk line of
        its power-off report."""
        def go():
            import pexpect  # noqa: E402 (only the Linux rows need it)

            image = os.path.join(self.out, "storage.img")
            with open(image, "wb") as f:
                f.truncate(STORAGE_MIB << 20)
            cmd, nvcpus = self.storage_cmd(who, mode, image, icount, config)
            name = f"storage-{who}-{mode if who == 'tern' else 'native'}-" \
                f"{'icount' if icount else 'wall'}-{nvcpus}vcpu-{i}"
            log(f"storage run: {name}")
            child, chunks = spawn_logged(cmd, STORAGE_TIMEOUT)
            res = {}

            def exits():
                if who != "tern":
                    return None
                start = len("".join(chunks))
                child.send("\x1dd")
                child.expect(rf"dump: vm0\.{nvcpus - 1} [^\n]*\n")
                return sum(int(x) for x in DUMP_EXITS_RE.findall("".join(chunks)[start:]))

            def dd(phase, args):
                before = exits()
                now = "$(grep -m1 -o 'now at [0-9]*' /proc/timer_list | cut -d' ' -f3)"
                busy = "$(awk '/^cpu/ { s += $8 } END { print s }' /proc/schedstat)"
                child.sendline(f"b={busy}; s={now}; dd {args} 2>/tmp/dd; e={now}; c={busy}; "
                               "echo DDTIME $s $e $b $c $(grep out /tmp/dd)")
                child.expect_exact(GUEST_PROMPT)
                m = DD_RE.search(child.before)
                if not m:
                    raise pexpect.EOF(f"dd {args}: no result in {child.before!r}")
                res[phase] = (int(m.group(2)) - int(m.group(1))) / 1e9
                res["busy_" + phase] = (int(m.group(4)) - int(m.group(3))) / 1e9
                res["records_" + phase] = int(m.group(5))
                after = exits()
                res["exits_" + phase] = None if after is None else after - before

            try:
                child.expect_exact(GUEST_PROMPT)
                if icount:
                    dd("read4k", f"if=/dev/vda of=/dev/null bs=4k count={STORAGE_4K_COUNT} "
                       "iflag=direct")
                else:
                    dd("write", f"if=/dev/zero of=/dev/vda bs=1M count={STORAGE_MIB} "
                       "oflag=direct")
                    dd("read", f"if=/dev/vda of=/dev/null bs=1M count={STORAGE_MIB} "
                       "iflag=direct")
                child.sendline("poweroff -f")
                if who == "tern":
                    child.expect(VBLK_REPORT_RE.pattern, timeout=120)
                child.expect(pexpect.EOF, timeout=120)
            except (pexpect.TIMEOUT, pexpect.EOF) as e:
                text = "".join(chunks).replace("\r", "")
                self.save_log(name, f"$ {shlex.join(cmd)}\n{text}")
                tail = "\n".join(text.splitlines()[-30:])
                sys.exit(f"bench: storage run {name} failed ({type(e).__name__}: {e}):\n"
                         f"$ {shlex.join(cmd)}\n{tail}")
            finally:
                child.close(force=True)
                os.unlink(image)
            text = "".join(chunks).replace("\r", "")
            self.save_log(name, f"$ {shlex.join(cmd)}\n{text}")
            m = VBLK_REPORT_RE.search(text)
            res["blk"] = tuple(int(x) for x in m.groups()) if m else None
            return res
        return self.once(("storage", who, mode, icount, i, config), go)

    def storage_walls(self):
        """STORAGE_PAIRS runs of each side, alternating (Tern RAM disk, native, Tern host
        disk, ...): [(tern ram, native, tern host) result dicts]."""
        def go():
            return [(self.storage_run("tern", "ram", i=i), self.storage_run("native", "", i=i),
                     self.storage_run("tern", "persistent", i=i))
                    for i in range(STORAGE_PAIRS)]
        return self.once("storage-walls", go)


def clean_env():
    """The environment without the VMn_* variables run-qemu takes its unset --vmN-* options
    from (images, bootargs, disks): a run gets only the modules its command names."""
    return {k: v for k, v in os.environ.items()
            if not re.match(r"VM\d+_(KERNEL|INITRD|BOOTARGS|DISK\w*)$", k)}


def spawn_logged(cmd, timeout, cwd=None):
    """@cmd under pexpect (a 250-column terminal, no echo, clean_env()), and the list every
    string it prints is appended to."""
    import pexpect  # noqa: E402 (only the runs that talk to a console need it)

    chunks = []

    class Sink:
        def write(self, s):
            chunks.append(s)

        def flush(self):
            pass

    child = pexpect.spawn(cmd[0], cmd[1:], cwd=cwd, encoding="utf-8", codec_errors="replace",
                          timeout=timeout, echo=False, dimensions=(50, 250), env=clean_env())
    child.logfile_read = Sink()
    return child, chunks


def vm_lines(text, vm, tern=True):
    """Tern's console output of a run with several VMs, reduced to VM @vm's lines (without
    their "[vmN] " tag) and, with @tern, Tern's own. A guest line longer than a row goes on in
    rows tagged "[vmN]+ ", other VMs' rows possibly in between: they are joined again."""
    out = []
    last = None     # index in out of VM @vm's last line
    for line in text.splitlines():
        m = re.match(r"\[vm(\d+)\](\+?) ?", line)
        if not m:
            if tern:
                out.append(line)
        elif int(m.group(1)) != vm:
            pass
        elif m.group(2) and last is not None:
            out[last] += line[m.end():]
        else:
            last = len(out)
            out.append(line[m.end():])
    return "\n".join(out) + "\n"


def slug(s):
    return re.sub(r"[^\w.=-]+", "_", s)


def read_config(path):
    conf = {}
    with open(path) as f:
        for line in f:
            k, sep, v = line.strip().partition("=")
            if sep and k.startswith("CONFIG_"):
                conf[k] = v.strip('"')
    return conf


def dtb_with_bootargs(machine, bootargs, tmp):
    """QEMU's own DTB for @machine with /chosen/bootargs = @bootargs."""
    raw = os.path.join(tmp, "virt.dtb")
    rc, text = run(machine + ["-machine", f"dumpdtb={raw}"], 60)
    if not os.path.isfile(raw):
        sys.exit(f"bench: QEMU dumpdtb failed:\n{text}")
    rc, dts = run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], 60)
    dts += '\n/ { chosen { bootargs = "%s"; }; };\n' % bootargs.replace('"', '\\"')
    src, out = os.path.join(tmp, "bench.dts"), os.path.join(tmp, "bench.dtb")
    with open(src, "w") as f:
        f.write(dts)
    rc, text = run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], 60)
    if rc:
        sys.exit(f"bench: dtc failed:\n{text}")
    return out


def check_guest_run(who, cmd, rc, text, want_exits):
    res = parse_bench(text)
    exits = parse_exits(text) if want_exits else None
    problems = []
    if rc:
        problems.append(f"QEMU exit status {rc}")
    if res["summary"] is None or res["summary"][1] or "FAIL:" in text:
        problems.append("the bench guest reported failures or no SUMMARY")
    if want_exits and (exits is None or not exits_add_up(exits)):
        problems.append(f"exit counters missing or inconsistent: {exits}")
    if problems:
        sys.exit(f"bench: {who} run failed ({'; '.join(problems)}):\n$ {shlex.join(cmd)}\n"
                 + "\n".join(text.splitlines()[-40:]))
    return res, exits, text


class Qmp:
    """A minimal QMP client (one JSON object per line) on QEMU's unix socket."""

    def __init__(self, path, proc, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("QEMU's QMP socket never opened")
                time.sleep(0.1)
        self.file = self.sock.makefile("rw")
        self.read(None)                                  # the greeting
        self.command("qmp_capabilities")

    def read(self, deadline):
        self.sock.settimeout(None if deadline is None else max(deadline - time.monotonic(), 1))
        line = self.file.readline()
        if not line:
            raise RuntimeError("QMP connection closed")
        return json.loads(line)

    def command(self, name):
        self.file.write(json.dumps({"execute": name}) + "\n")
        self.file.flush()
        while True:
            msg = self.read(time.monotonic() + 60)
            if "return" in msg or "error" in msg:
                return msg

    def wait_event(self, name, deadline):
        while True:
            msg = self.read(deadline)
            if msg.get("event") == name:
                return msg


def boot_to_mark(cmd, timeout, save_log):
    """@cmd under icount with -no-shutdown and QMP: the guest prints MARK and powers off,
    QEMU stops, and QMP's query-replay (available without record/replay) gives the number of
    instructions executed since QEMU started, every CPU and exception level, without the idle
    time icount skipped. Returns (instructions, console output); save_log(command, output) is
    called in any case."""
    with tempfile.TemporaryDirectory(prefix="tern-bench-") as tmp:
        sock = os.path.join(tmp, "qmp.sock")
        console = os.path.join(tmp, "console.log")
        full = cmd + ICOUNT + MARK_QEMU_ARGS + ["-no-shutdown", "-qmp",
                                               f"unix:{sock},server=on,wait=off"]
        with open(console, "w") as out:
            proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, env=clean_env())
        try:
            qmp = Qmp(sock, proc, 60)
            qmp.wait_event("SHUTDOWN", time.monotonic() + timeout)
            reply = qmp.command("query-replay")
            qmp.command("quit")
            proc.wait(60)
        except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            proc.kill()
            proc.wait()
            reply = {"error": f"{type(e).__name__}: {e}"}
        with open(console, errors="replace") as f:
            text = f.read().replace("\r", "")
    save_log(full, text)
    icount = reply.get("return", {}).get("icount")
    if not icount or MARK not in text:
        tail = "\n".join(text.splitlines()[-30:])
        sys.exit(f"bench: boot to the marker failed ({reply}, marker "
                 f"{'seen' if MARK in text else 'not seen'}):\n$ {shlex.join(full)}\n{tail}")
    return icount, text


def boot_linux(cmd, timeout=LINUX_TIMEOUT):
    """Host seconds from starting @cmd to the guest's shell prompt, and the console output."""
    import pexpect  # noqa: E402 (only the Linux rows need it)

    t0 = time.monotonic()
    child, chunks = spawn_logged(cmd, timeout)
    try:
        child.expect_exact(GUEST_PROMPT)
        wall = time.monotonic() - t0
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        tail = "\n".join("".join(chunks).replace("\r", "").splitlines()[-30:])
        sys.exit(f"bench: Linux boot failed ({type(e).__name__}):\n$ {shlex.join(cmd)}\n{tail}")
    finally:
        child.close(force=True)
    return wall, "".join(chunks).replace("\r", "")


# -- the rows -----------------------------------------------------------------------------------

def loop_row(name):
    def measure(ctx):
        res, _, _ = ctx.micro()
        return res["loop"][name], None, ""
    return measure


def lat_row(name):
    def measure(ctx):
        res, _, _ = ctx.micro()
        nat, _, _ = ctx.micro_native()
        t, tlo, thi = res["lat"][name]
        n, nlo, nhi = nat["lat"][name]
        return t, n, f"Tern {tlo}..{thi}, native {nlo}..{nhi}"
    return measure


def eoi_row(ctx):
    """Exits per 1000 interrupts other than the ones an interrupt must cause.

    Two Tern runs of the interrupt rows differ only in the number of interrupts (irqs=N vs
    irqs=0, same set-up): the difference of the exit counters is what N vtimer + N self-SGI
    interrupts cost. Not counted: the N SGI-send exits (ICC_SGI1R_EL1, the "sgi" reason), the N
    physical vtimer interrupts themselves (irq exits), and MMIO (only the printed result lines
    differ). Counted: every trapped system register (the handler's only system-register
    accesses are ICC_IAR1/ICC_EOIR1_EL1 and CNTV_CTL_EL0: a trapped EOIR/DIR shows up here),
    maintenance interrupts, irq exits beyond the timer's, and any other exit.
    """
    n = ctx.irqs
    _, a, _ = ctx.bench_tern(f"rows=vtimer,sgi irqs={n}")
    _, b, _ = ctx.bench_tern("rows=vtimer,sgi irqs=0")
    d = {k: a[k] - b[k] for k in a}
    irq_other = d["irq"] - d["maint"] - n
    counted = d["sysreg"] + d["maint"] + max(irq_other, 0) + d["other"] + d["wfi"] + \
        d["wfe"] + d["abort"] + d["smc"] + d["hvc"] + d["fp"]
    note = (f"{2 * n} IRQs: +{d['sgi']} sgi, +{d['irq']} irq ({d['maint']} maint), "
            f"+{d['sysreg']} sysreg, +{d['mmio']} mmio (output)")
    return counted * 1000 / (2 * n), None, note


def linux_instructions_row(config):
    """Millions of instructions from QEMU's start to the guest's power-off at its first shell
    (icount, no console input): reproducible, unlike the guest's uptime at the prompt (the idle
    time sleep=off skips while the guest waits for host-timed input)."""
    def measure(ctx):
        try:
            t, exits = ctx.linux_mark("tern", config=config)
            n, _ = ctx.linux_mark("native", config=config)
        except SystemExit as e:
            return None, None, f"FAILED: {str(e).splitlines()[0]} (see logs/)", True
        shared = ctx.linux_cmds(config, mark=True)[2]
        note = (f"{t:,} vs {n:,} instructions; {shared['vcpus']} vCPU(s) on {shared['pcpus']} "
                f"pCPU(s), {shared['ram']} MiB, bootargs \"{shared['bootargs']}\"; Tern's "
                "exits: " + (", ".join(f"{k} {v}" for k, v in exits.items()) if exits else "?"))
        return t / 1e6, n / 1e6, note
    return measure


def linux_wall_row(config):
    def measure(ctx):
        walls = ctx.linux_walls()
        tern, native, failed = walls[config]
        shared = ctx.linux_cmds(config)[2]

        def show(xs):
            return " ".join("hung" if x is None else f"{x:.2f}" for x in xs)

        def median(xs):
            # A hung boot took at least LINUX_WALL_TIMEOUT: it stays in the median as that.
            return statistics.median(LINUX_WALL_TIMEOUT if x is None else x for x in xs)

        note = f"{shared['vcpus']} vCPUs on {shared['pcpus']} pCPU(s), native -smp " \
            f"{shared['vcpus']}; Tern {show(tern)}; native {show(native)}" + \
            (f"; FAILED: {len(failed)} boot(s) did not reach the prompt within "
             f"{LINUX_WALL_TIMEOUT} s (counted as {LINUX_WALL_TIMEOUT} s): " + "; ".join(failed)
             if failed else "")
        return median(tern), median(native), note, bool(failed)
    return measure


def switch_row(ctx):
    """Half an SGI ping-pong round trip between two vCPUs on one pCPU."""
    res, exits, _ = ctx.micro_smp()
    rt = res["loop"]["pingpong"]
    send = res["loop"]["sgi_send"]
    note = (f"round trip {rt:.1f} instructions = 2 x (SGI send + WFI exit + vCPU switch) + "
            f"10 guest instructions (ICC_IAR1/EOIR1, loop); minus 2 SGI sends to a disabled target "
            f"({send:.1f} each, row below): {(rt - 2 * send) / 2:.1f} per WFI exit + switch")
    return rt / 2, None, note


def rtirq_row(ctx):
    """SGI round trip between two vCPUs on one pCPU with the interrupts taken (icount)."""
    res, exits, _ = ctx.micro_smp_irq()
    rt = res["loop"]["pingirq"]
    note = ("round trip: 2 SGI sends, 2 WFI exits, 2 vCPU switches, and in the guest 2 IRQ "
            "exceptions (entry, handler: IAR, EOIR, count, the answer; ERET) and the idle loop; "
            "Tern's exits of that run: " + ", ".join(f"{k} {v}" for k, v in exits.items()))
    return rt, None, note


def wake_row(ctx):
    """Wake-up latency of a vCPU behind a spinning one on one pCPU (icount: 1 instruction =
    1 ns, so instructions / 1000 = microseconds)."""
    res, _, _ = ctx.micro_smp_irq()
    mean, lo, hi = res["lat"]["wake"]
    return mean / 1000, None, f"{res['raw']['wake']['n']} samples, {lo / 1000:.1f}..{hi / 1000:.1f} us"


def rtwall_row(ctx):
    """SGI round trip on two pCPUs in wall time: medians of every sample, noise as the
    interquartile range and the spread of the per-run medians."""
    runs = ctx.rtwall()

    def stats(per_run):
        flat = sorted(x for r in per_run for x in r)
        q = statistics.quantiles(flat, n=4)
        medians = [statistics.median(r) for r in per_run]
        return statistics.median(flat), q, medians, len(flat)

    t, tq, tm, tn = stats(runs["tern"])
    n, nq, nm, nn = stats(runs["native"])
    note = (f"{len(runs['tern'])} runs each, alternating, {tn} samples each side; "
            f"Tern median {t:.1f} us (IQR {tq[0]:.1f}..{tq[2]:.1f}, run medians "
            + " ".join(f"{x:.1f}" for x in tm) + f"); native median {n:.1f} us (IQR "
            f"{nq[0]:.1f}..{nq[2]:.1f}, run medians " + " ".join(f"{x:.1f}" for x in nm) + ")")
    return t, n, note


def sgi_send_row(ctx):
    res, exits, _ = ctx.micro_smp()
    raw = res["raw"]["sgi_send"]
    note = (f"{raw['n']} sends; Tern's exits of that run: "
            + ", ".join(f"{k} {v}" for k, v in exits.items()))
    return res["loop"]["sgi_send"], None, note


def storage_mibs(phase, side):
    """MiB/s of @phase ("read", "write") on @side (0 Tern RAM disk, 1 native, 2 Tern host
    disk), from the median of the runs' dd seconds; the note lists every run."""
    def measure(ctx):
        runs = ctx.storage_walls()
        secs = [[r[k][phase] for r in runs] for k in (side, 1)]
        t, n = (STORAGE_MIB / statistics.median(x) for x in secs)
        note = (f"dd bs=1M {'oflag' if phase == 'write' else 'iflag'}=direct, {STORAGE_MIB} "
                f"MiB, {STORAGE_PAIRS} alternated runs; seconds: Tern "
                + " ".join(f"{x:.2f}" for x in secs[0]) + "; native "
                + " ".join(f"{x:.2f}" for x in secs[1]))
        return t, n, note
    return measure


def storage_exits_row(ctx):
    """Tern's vm0 exits per MiB moved by dd (reads and writes, RAM disk), median of runs."""
    runs = ctx.storage_walls()
    per = [(r[0]["exits_write"] + r[0]["exits_read"]) / (2 * STORAGE_MIB) for r in runs]
    host = [(r[2]["exits_write"] + r[2]["exits_read"]) / (2 * STORAGE_MIB) for r in runs]
    note = ("all exits of the VM's 4 vCPUs while dd ran (console Ctrl-] d before and after); "
            "RAM disk " + " ".join(f"{x:.1f}" for x in per) + "; host disk "
            + " ".join(f"{x:.1f}" for x in host))
    return statistics.median(per), None, note


def storage_notify_row(ctx):
    """Queue notifications per request (RAM disk, the whole run): dd bs=1M direct has one
    1 MiB request out at a time, so this is notifications per batch, at most 1 with EVENT_IDX
    (batches of many requests: tests/guests/virtio.c, 64 reads on one notification)."""
    runs = ctx.storage_walls()
    per, notes = [], []
    for r in runs:
        reads, writes, notifies, irqs = r[0]["blk"]
        per.append(notifies / (reads + writes))
        notes.append(f"{reads} reads, {writes} writes, {notifies} notifications, "
                     f"{irqs} interrupts")
    return statistics.median(per), None, "whole runs: " + "; ".join(notes)


def storage_4k_row(ctx):
    """Under icount a CPU's busy time is its instructions (1 ns each); the dd's elapsed time
    is not (native QEMU answers in its own thread: idle vCPUs wait, and the clock jumps).
    Only Tern's figure is the row's: native's depends on when QEMU's I/O thread completes each
    request (host time) and differed by 6% between two runs; it is in the note. One vCPU
    (LINUX1_CONFIG): with four, the busy time of the others (what they did while dd ran
    depends on when the command was typed, a host-time moment) moved the row by 3.7% between
    two runs."""
    t = ctx.storage_run("tern", "ram", icount=True, config=LINUX1_CONFIG)
    n = ctx.storage_run("native", "", icount=True, config=LINUX1_CONFIG)
    per = lambda r, k: r[k] * 1e9 / STORAGE_4K_COUNT
    note = (f"{STORAGE_4K_COUNT} x dd bs=4k iflag=direct under -icount shift=0,sleep=off: the "
            f"CPUs' busy time (/proc/schedstat, not idle) per request = instructions of the "
            f"guest and of Tern on its vCPUs; elapsed per request Tern "
            f"{per(t, 'read4k'):.0f}, native {per(n, 'read4k'):.0f} (native's includes waiting "
            f"for QEMU's I/O thread); Tern exits {t['exits_read4k'] / STORAGE_4K_COUNT:.1f} "
            f"per request; native QEMU's virtio-blk-device (not in the row, it does not repeat: "
            f"its I/O thread completes requests on host time) {per(n, 'busy_read4k'):.0f} busy "
            f"instructions per request, {per(t, 'busy_read4k') / per(n, 'busy_read4k'):.3f} x")
    return per(t, "busy_read4k"), None, note


def growth_row(*loops):
    """The worst of @loops' ratios, 8 one-vCPU VMs on one pCPU (7 asleep) against 1 VM."""
    def measure(ctx):
        one, _, _ = ctx.growth_vms(1)
        eight, _, _ = ctx.growth_vms(8)
        ratios = [(eight["loop"][x] / one["loop"][x], x) for x in loops]
        note = "; ".join(f"{x}: {eight['loop'][x]:.1f} instructions with 8 VMs, "
                         f"{one['loop'][x]:.1f} with 1 ({r:.3f} x)" for r, x in ratios)
        return max(ratios)[0], None, note
    return measure


def growth_switch_row(ctx):
    """The vCPU switch with 8 vCPUs of which 6 sleep (parked) against 2 vCPUs; the note also
    gives 8 vCPUs with the 6 never started."""
    two = ctx.micro_smp()[0]["loop"]["pingpong"] / 2
    parked = ctx.growth_vcpus(GROWTH_PARKED)[0]["loop"]["pingpong"] / 2
    off = ctx.growth_vcpus(0)[0]["loop"]["pingpong"] / 2
    note = (f"{parked:.1f} instructions per switch with 8 vCPUs of which {GROWTH_PARKED} "
            f"asleep in WFI, {two:.1f} with 2 vCPUs; 8 vCPUs of which {GROWTH_PARKED} never "
            f"started: {off:.1f} ({off / two:.3f} x)")
    return parked / two, None, note


def elf_sections(path):
    """{name: (type, flags, size)} of the ELF file's sections (readelf -SW)."""
    rc, text = run([READELF, "-SW", path], 60)
    if rc:
        sys.exit(f"bench: readelf -SW {path} failed:\n{text}")
    secs = {}
    for m in re.finditer(r"^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+"
                         r"([0-9a-f]+)\s+[0-9a-f]+\s+([A-Za-z]*)", text, re.M):
        name, typ, size, flags = m.groups()
        bits = (SHF_WRITE if "W" in flags else 0) | (SHF_ALLOC if "A" in flags else 0) | \
            (SHF_EXECINSTR if "X" in flags else 0)
        secs[name] = (typ, bits, int(size, 16))
    return secs


def footprint_row(ctx):
    """Tern's text + rodata + data of the qemu_virt_defconfig build, from tern.elf's sections;
    the relocation table, bss and the pages each VM takes beyond its RAM in the note."""
    d = ctx.tern_build(LINUX_CONFIG)
    secs = elf_sections(os.path.join(d, "tern.elf"))
    part = {"text": 0, "rodata": 0, "rela": 0, "data": 0, "bss": 0}
    for name, (typ, flags, size) in secs.items():
        if not flags & SHF_ALLOC:
            continue
        kind = ("bss" if typ == "NOBITS" else "rela" if typ in ("RELA", "REL") else
                "text" if flags & SHF_EXECINSTR else "data" if flags & SHF_WRITE else "rodata")
        part[kind] += size
    total = part["text"] + part["rodata"] + part["data"]
    _, _, log8 = ctx.growth_vms(8)
    conf8 = read_config(os.path.join(ctx.tern_build(BENCH_8VM_CONFIG), ".config"))
    ram_pages = int(conf8.get("CONFIG_VM0_RAM_MB", "64")) << 8
    per_vm = sorted({int(p) - ram_pages for _, p in VM_PAGES_RE.findall(log8)})
    note = (f"{total:,} bytes: text {part['text']:,} + rodata {part['rodata']:,} + data "
            f"{part['data']:,} (allocated ELF sections of tern.elf); not counted: the dynamic "
            f"relocations applied at boot (.rela.dyn, {part['rela']:,}, in the image) and bss "
            f"{part['bss']:,} (zeroed at boot: per-pCPU stacks and the like); each VM takes "
            f"{'/'.join(str(p) for p in per_vm)} 4 KiB pages beyond its RAM (page tables, vCPUs, "
            f"devices; the allocator's count at creation, qemu_virt_bench_8vm_defconfig: one "
            f"vCPU, {ram_pages >> 8} MiB each)")
    return total / 1024, None, note


class Row:
    def __init__(self, key, name, unit, target, measure, what):
        self.key, self.name, self.unit, self.target = key, name, unit, target
        self.measure, self.what = measure, what


def loop_row_of(key, name, target, per, what, loop=None):
    """A row of the bench guest's loop @loop (default @key): instructions per @per ("call",
    "read", "write") of the loop body, the NOP loop subtracted; @what says what the body does."""
    return Row(key, name, "instructions", target, loop_row(loop or key),
               f"{what}, per {per}, minus the NOP loop")


ROWS = [
    Row("hvc", "null hypercall, vector fast path", "instructions", AtMost(80), loop_row("hvc"),
        "HVC #0 with function ID 0x8600ff01 (an SMCCC owner Tern has no service for), answered "
        "NOT_SUPPORTED (-1) by the exit vector's assembly fast path without the C exit path: "
        "the whole round trip, per call, minus a loop with a NOP in its place"),
    loop_row_of("psci_version", "PSCI_VERSION (HVC, C-handled)", AtMost(120), "call",
                "HVC #0 with PSCI_VERSION (0x84000000): the generic exit path and vpsci"),
    loop_row_of("smccc_arch_features", "SMCCC_ARCH_FEATURES (HVC, C-handled)", AtMost(120),
                "call", "HVC #0 with SMCCC_ARCH_FEATURES (0x80000001) asking about itself"),
    loop_row_of("sysreg", "trapped ID register read, vector fast path (ID_AA64PFR0_EL1)",
                AtMost(100), "read",
                "MRS of ID_AA64PFR0_EL1, trapped by HCR_EL2.TID3 and answered by the exit "
                "vector's assembly fast path for the ID space"),
    loop_row_of("sysreg_cntp_ctl_read", "trapped sysreg read CNTP_CTL_EL0", AtMost(150), "read",
                "MRS of the emulated EL1 physical timer's control register"),
    loop_row_of("sysreg_cntp_ctl_write", "trapped sysreg write CNTP_CTL_EL0", NoTarget(),
                "write",
                "MSR of 0 to CNTP_CTL_EL0 (the timer stays disabled): the emulated timer's "
                "bookkeeping and the scheduler's timer update"),
    loop_row_of("sysreg_oslsr", "trapped sysreg read OSLSR_EL1", AtMost(150), "read",
                "MRS of OSLSR_EL1 (MDCR_EL2.TDOSA, the vCPU's OS lock)"),
    loop_row_of("sysreg_aidr", "trapped sysreg read AIDR_EL1", NoTarget(), "read",
                "MRS of AIDR_EL1 (HCR_EL2.TID1: not in the vector's ID fast path)"),
    loop_row_of("mmio_fr", "MMIO read PL011 FR", AtMost(200), "read",
                "LDR of the emulated PL011's UARTFR (0x09000018): stage-2 fault, decode, vpl011",
                loop="mmio_pl011_fr"),
    loop_row_of("mmio_iidr", "MMIO read GICD_IIDR", AtMost(200), "read",
                "LDR of the vGICv3 distributor's GICD_IIDR (0x08000008)", loop="mmio_gicd_iidr"),
    loop_row_of("mmio_gicr_typer", "MMIO read GICR_TYPER (64-bit)", AtMost(200), "read",
                "LDR X of vCPU 0's redistributor GICR_TYPER (0x080a0008)"),
    loop_row_of("mmio_gicd_typer", "MMIO read GICD_TYPER", NoTarget(), "read",
                "LDR W of GICD_TYPER (0x08000004)"),
    loop_row_of("mmio_fr_post", "MMIO read PL011 FR, post-indexed (ISV=0)", NoTarget(), "read",
                "LDR W, [Xn], #0 of UARTFR: writeback, so the syndrome has no ISV and Tern "
                "decodes the instruction from guest memory", loop="mmio_pl011_fr_post"),
    loop_row_of("mmio_dr_write", "MMIO write PL011 DR (one byte)", AtMost(200), "write",
                "STRB of a NUL character to UARTDR (0x09000000)", loop="mmio_pl011_dr_write"),
    loop_row_of("mmio_isenabler", "MMIO write GICD_ISENABLER", AtMost(250), "write",
                "STR W of one SPI's bit to GICD_ISENABLER1 (enabling an enabled SPI again)",
                loop="mmio_gicd_isenabler_write"),
    loop_row_of("mmio_enable_pair", "MMIO write GICD_ICENABLER + ISENABLER, state-changing",
                AtMost(250), "write",
                "STR W of one SPI's bit to GICD_ICENABLER1 then to GICD_ISENABLER1, as Linux "
                "masks and unmasks an interrupt: every write disables or enables the SPI (its "
                "sources masked, never pending); pairs, against pairs of NOPs",
                loop="mmio_gicd_enable_pair"),
    Row("vtimer", "vtimer IRQ latency", "instructions", AboveNative(100), lat_row("vtimer"),
        "from the CNTV_CVAL_EL0 deadline to the first instruction of the guest's IRQ vector "
        "(tick-edge reads, exact to the instruction), mean of the samples"),
    Row("sgi", "self-SGI latency", "instructions", AtMost(300), lat_row("sgi"),
        "from the ICC_SGI1R_EL1 write (counted) to the first instruction of the guest's IRQ "
        "vector, mean of the samples"),
    Row("eoi", "EOI/deactivate exits per 1000 IRQs", "exits", AtMost(0), eoi_row,
        "exits caused by ending interrupts (trapped ICC_EOIR1/DIR, maintenance interrupts, "
        "anything else beyond the interrupts' own exits) per 1000 vtimer + self-SGI interrupts, "
        "from Tern's exit counters (see below)"),
    Row("switch", "vCPU switch, 2 vCPUs on 1 pCPU", "instructions", AtMost(400), switch_row,
        "SGI ping-pong between two vCPUs of one VM on one pCPU (qemu_virt_bench_smp_defconfig): "
        "instructions per round trip / 2, i.e. one SGI send + one WFI exit + one vCPU switch "
        "+ 5 guest instructions (see below); the note subtracts the send"),
    Row("sgi_send", "SGI send path (ICC_SGI1R_EL1)", "instructions", NoTarget(), sgi_send_row,
        "ICC_SGI1R_EL1 write to the other vCPU, which has the SGI disabled: trap, decode, pend, "
        "back to the next guest instruction, per write, minus the NOP loop (no list-register "
        "insertion and no kick: the SGI is not deliverable)"),
    Row("growth_psci", "growth: PSCI_VERSION, 8 VMs / 1 VM", "x", AtMost(1.1),
        growth_row("psci_version"),
        "the PSCI_VERSION row with 8 one-vCPU VMs on one pCPU (qemu_virt_bench_8vm_defconfig; "
        "VMs 1-7 asleep in WFI, timers armed) over the same bootargs with 1 VM"),
    Row("growth_mmio", "growth: MMIO read, 8 VMs / 1 VM", "x", AtMost(1.1),
        growth_row("mmio_pl011_fr", "mmio_gicd_iidr"),
        "the MMIO read rows (PL011 FR, GICD_IIDR) as the PSCI growth row: the worse ratio"),
    Row("growth_cntp", "growth: CNTP_CTL_EL0 write, 8 VMs / 1 VM", "x", AtMost(1.1),
        growth_row("sysreg_cntp_ctl_write"),
        "the CNTP_CTL_EL0 write row (a timer update: the scheduler's sleeper deadlines) as "
        "the PSCI growth row"),
    Row("growth_switch", "growth: vCPU switch, 8 vCPUs (6 asleep) / 2", "x", AtMost(1.1),
        growth_switch_row,
        "the vCPU switch row in one VM of 8 vCPUs on one pCPU (qemu_virt_bench_smp8_defconfig) "
        "whose vCPUs 2-7 sleep in WFI for good, timers armed an hour ahead (bench parked=6), "
        "over the 2-vCPU switch row"),
    Row("footprint", "footprint: text + rodata + data", "KiB", AtMost(160), footprint_row,
        "Tern's code, read-only data and initialised data in the qemu_virt_defconfig build "
        "(allocated sections of tern.elf); relocations, bss and per-VM pages in the note"),
    Row("rtirq", "SGI round trip, 2 vCPUs on 1 pCPU, IRQs taken", "instructions",
        TimesRow("switch", 2), rtirq_row,
        "SGI ping-pong between two vCPUs of one VM on one pCPU where, unlike the switch row, "
        "both take the SGI as an interrupt and idle in WFI as an OS does; instructions per "
        "round trip (qemu_virt_bench_smp_defconfig, icount)"),
    Row("wake", "wake-up latency behind a spinning vCPU, 1 pCPU", "us", AtMost(1100), wake_row,
        "vCPU 0 spins (never WFI) and sends an SGI to vCPU 1, asleep in WFI on the same pCPU: "
        "virtual time from the send to vCPU 1's handler, mean of the samples; bounded by "
        "SCHED_WAKE_GRANULARITY_US (1000 us) plus the switch, where without wake-up preemption "
        "it would be a whole 10 ms slice"),
    Row("rtwall", "SGI round trip, 2 vCPUs on 2 pCPUs, wall", "us", RatioNoTarget(),
        rtwall_row,
        "the rtirq round trip with each vCPU on its own pCPU (qemu_virt_bench_smp2_defconfig, "
        "-smp 2, multi-threaded TCG, no icount) against the same guest on plain QEMU -smp 2: "
        "median host microseconds per round trip over every sample (200 round trips each), "
        "runs alternating; the noise is in the note"),
    Row("linux_instructions", "Linux boot to the first shell, 1 vCPU", "M instructions",
        RatioOfNative(1.05), linux_instructions_row(LINUX1_CONFIG),
        "instructions QEMU executed (every exception level) from its start until the guest, "
        "its first shell started, prints a marker and powers off (qemu_virt_linux1_defconfig "
        "vs native -smp 1, -icount shift=0,sleep=off, no console input; QMP query-replay)"),
    Row("linux_instructions_4", "Linux boot to the first shell, 4 vCPUs", "M instructions",
        RatioNoTarget(), linux_instructions_row(LINUX_CONFIG),
        "as the 1-vCPU row with qemu_virt_defconfig (4 vCPUs on 4 pCPUs) vs native -smp 4: "
        "icount runs the CPUs round-robin on one host thread, so this one repeats to within "
        "about a thousand instructions, not to the instruction"),
    Row("linux_wall", "Linux boot, wall", "s", RatioOfNative(1.15),
        linux_wall_row(LINUX_CONFIG),
        "4 vCPUs on 4 pCPUs (qemu_virt_defconfig, as make run) vs native -smp 4: host seconds "
        "from starting QEMU to the shell prompt, no icount, median of the alternating runs"),
    Row("linux_wall_1", "Linux boot 1 vCPU, wall", "s", RatioOfNative(1.15),
        linux_wall_row(LINUX1_CONFIG),
        "1 vCPU (qemu_virt_linux1_defconfig, -smp 1) vs native -smp 1: host seconds to the "
        "shell prompt, median of the runs alternated with the other Linux wall rows'"),
    Row("linux_wall_up", "Linux boot 4 vCPUs on 1 pCPU, wall", "s", RatioOfNative(1.15),
        linux_wall_row(LINUX_UP_CONFIG),
        "4 vCPUs time-shared on 1 pCPU (qemu_virt_up_defconfig, -smp 1) vs native -smp 4: "
        "host seconds to the shell prompt, median of the runs alternated with the other "
        "Linux wall row's"),
    Row("disk_read_ram", "Linux disk read, RAM disk", "MiB/s", AtLeastNative(0.8),
        storage_mibs("read", 0),
        "sequential direct reads of the whole 256 MiB /dev/vda (dd bs=1M iflag=direct), "
        "Tern's RAM disk vs native QEMU's virtio-blk-device on an image file, the guest's dd "
        "time, median of 3 alternated runs"),
    Row("disk_write_ram", "Linux disk write, RAM disk", "MiB/s", AtLeastNative(0.8),
        storage_mibs("write", 0),
        "sequential direct writes over the whole 256 MiB /dev/vda (dd bs=1M oflag=direct), "
        "as the read row"),
    Row("disk_read_host", "Linux disk read, host disk", "MiB/s", RatioNoTarget(),
        storage_mibs("read", 2),
        "as the RAM-disk read row, Tern on the machine's virtio-blk-device with the image "
        "file (persistent backend)"),
    Row("disk_write_host", "Linux disk write, host disk", "MiB/s", RatioNoTarget(),
        storage_mibs("write", 2), "as the RAM-disk write row, on the host disk"),
    Row("disk_exits", "Linux disk exits per MiB, RAM disk", "exits", NoTarget(),
        storage_exits_row,
        "every exit of the VM's vCPUs while the two dd runs move 512 MiB, per MiB"),
    Row("disk_notify", "Linux disk notifications per request batch", "exits", AtMost(1),
        storage_notify_row,
        "QueueNotify writes (exits) per virtio-blk request over the RAM-disk runs (boot "
        "included); dd bs=1M direct sends one 1 MiB request at a time, one batch each"),
    Row("disk_4k", "4 KiB direct read, RAM disk", "instructions", NoTarget(),
        storage_4k_row,
        "instructions per 4 KiB request (dd bs=4k iflag=direct, under icount), guest and "
        "Tern together; native QEMU's virtio-blk-device in the note only (it does not repeat)"),
]
LINUX_ROWS = ("linux_instructions", "linux_instructions_4", "linux_wall", "linux_wall_1",
              "linux_wall_up", "disk_read_ram", "disk_write_ram", "disk_read_host",
              "disk_write_host", "disk_exits", "disk_notify", "disk_4k")
# --quick: no Linux boot and no wall-time run (rtwall alternates 10 QEMU runs).
QUICK_ROWS = [r.key for r in ROWS if r.key not in LINUX_ROWS + ("rtwall",)]
WALL_ROWS = {"linux_wall": LINUX_CONFIG, "linux_wall_1": LINUX1_CONFIG,
             "linux_wall_up": LINUX_UP_CONFIG}
# Not measured under icount, so not expected to repeat exactly (--repeat skips them).
NONDETERMINISTIC_ROWS = ("rtwall", "linux_wall", "linux_wall_1", "linux_wall_up",
                         "disk_read_ram", "disk_write_ram", "disk_read_host", "disk_write_host",
                         "disk_exits", "disk_notify")


# -- output -------------------------------------------------------------------------------------

def fmt(v, unit=None):
    if v is None:
        return "-"
    if unit == "x":
        return f"{v:.3f}"
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def result_text(met, missed, failed=False):
    if failed:
        return "FAILED" if missed == "MISSED" else "**FAILED**"
    return "-" if met is None else "met" if met else missed


def table(results):
    head = ["metric", "Tern", "native", "ratio/overhead", "target", "result"]
    rows = [[r["name"] + f" ({r['unit']})", fmt(r["tern"], r["unit"]), fmt(r["native"]),
             r["compare"],
             r["target"], result_text(r["met"], "MISSED", r.get("failed"))] for r in results]
    widths = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def markdown_table(results):
    out = ["| metric | Tern | native | ratio/overhead | target | result |",
           "|---|---:|---:|---:|---|---|"]
    for r in results:
        out.append(f"| {r['name']} ({r['unit']}) | {fmt(r['tern'], r['unit'])} | "
                   f"{fmt(r['native'])} | "
                   f"{r['compare'] or '-'} | {r['target']} | "
                   f"{result_text(r['met'], '**missed**', r.get('failed'))} |")
    return "\n".join(out)


def chart(results, path):
    """One small panel per row: Tern, native (if any) and the target as a dashed line."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("no matplotlib (python3-matplotlib): no chart")
        return False
    n = len(results)
    cols = min(n, 3)
    fig, axes = plt.subplots((n + cols - 1) // cols, cols, figsize=(4 * cols, 3 * ((n + 2) // 3)),
                             squeeze=False)
    for ax, r in zip(axes.flat, results):
        names, vals, colors = ["Tern"], [r["tern"] or 0], \
            ["#2980b9" if r["met"] is None else "#c0392b" if not r["met"] else "#27ae60"]
        if r["native"] is not None:
            names.append("native")
            vals.append(r["native"])
            colors.append("#7f8c8d")
        ax.bar(names, vals, color=colors)
        if r["limit"] is not None:
            ax.axhline(r["limit"], color="black", linestyle="--", linewidth=1)
        ax.set_title(r["name"], fontsize=9)
        ax.set_ylabel(r["unit"], fontsize=8)
        ax.tick_params(labelsize=8)
        for i, v in enumerate(vals):
            ax.annotate(fmt(v), (i, v), ha="center", va="bottom", fontsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle("Tern hot paths (dashed: target; green met, red missed)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


def chart_limit(target, native):
    """The target as a line on the row's chart (None: no target)."""
    if target.limit is None or (native is None and isinstance(
            target, (AboveNative, RatioOfNative, AtLeastNative))):
        return None
    if isinstance(target, AboveNative):
        return native + target.limit
    if isinstance(target, (RatioOfNative, AtLeastNative)):
        return native * target.limit
    return target.limit


def qemu_version():
    rc, text = run([QEMU, "--version"], 30)
    return text.splitlines()[0] if text else "?"


def repeat_rows(ctx, results):
    """Measure the rows of @results again with new runs: [(result, tern again, native again,
    largest relative difference)]."""
    ctx.forget_runs("repeat-")
    rows = {r.key: r for r in ROWS}
    out = []
    for r in results:
        log(f"measuring again: {r['name']}")
        tern, native, *_ = rows[r["key"]].measure(ctx)
        diff = max(rel_diff(a, b) for a, b in ((r["tern"], tern), (r["native"], native)))
        out.append((r, tern, native, diff))
    return out


def rel_diff(a, b):
    if a is None or b is None:
        return 0.0 if a is b else float("inf")
    return abs(a - b) / max(abs(a), abs(b)) if a != b else 0.0


def repro_text(repro, markdown=False):
    """The --repeat verdict: every row within REPRO_TOLERANCE, or the rows that are not."""
    bad = [(r, t, n, d) for r, t, n, d in repro if d > REPRO_TOLERANCE]
    worst = max(repro, key=lambda x: x[3], default=None)
    head = (f"Reproducibility (--repeat): {len(repro)} rows measured twice with new QEMU runs; "
            + (f"every one within {REPRO_TOLERANCE:.0%} (largest difference {worst[3]:.4%}, "
               f"{worst[0]['name']})." if not bad and worst else
               f"{len(bad)} differ by more than {REPRO_TOLERANCE:.0%}:"))
    # The terminal shows every row's two figures, the page the rows that differ.
    shown = bad if markdown else repro
    lines = [head] + [f"{'- ' if markdown else '  '}{r['name']}: Tern {rfmt(r['tern'])} then "
                      f"{rfmt(t)}, native {rfmt(r['native'])} then {rfmt(n)} ({d:.4%})"
                      for r, t, n, d in shown]
    return "\n".join(lines)


def rfmt(v):
    """A figure of the --repeat comparison, to more digits than the table's."""
    return "-" if v is None else f"{v:.6g}" if abs(v) < 1000 else f"{v:,.3f}"


def write_doc(results, args, elapsed, ctx, path, repro=None):
    """Replace the generated part of docs/benchmarks.md (between the markers)."""
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    version = subprocess.run(["git", "-C", SRCTREE, "describe", "--always", "--dirty"],
                             capture_output=True, text=True).stdout.strip()
    notes = "\n".join(f"- {r['name']}: {r['note']}" for r in results if r["note"])
    gen = (f"{begin}\n"
           f"Latest run: `{args.command}` on {time.strftime('%Y-%m-%d')}, Tern {version}, "
           f"{qemu_version()}, {os.cpu_count()} host CPUs, {elapsed:.0f} s.\n\n"
           f"{markdown_table(results)}\n\n"
           + (f"{repro_text(repro, markdown=True)}\n\n" if repro is not None else "")
           + f"Details of that run:\n\n{notes}\n{end}")
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        text = f"# Benchmarks\n\n{begin}\n{end}\n"
    if begin in text and end in text:
        text = text[:text.index(begin)] + gen + text[text.index(end) + len(end):]
    else:
        text += "\n" + gen + "\n"
    with open(path, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default=os.path.join(SRCTREE, "build", "bench"),
                   help="output directory (builds, logs, results.json, results.png)")
    p.add_argument("--rows", help="comma-separated row keys (default: all): "
                   + ",".join(r.key for r in ROWS))
    p.add_argument("--quick", action="store_true",
                   help="no Linux rows, fewer iterations (a smoke test)")
    p.add_argument("--wall-runs", type=int, default=5, help="Linux wall-time boots of each")
    p.add_argument("--doc", help="update this Markdown file's generated section "
                   "(docs/benchmarks.md)")
    p.add_argument("--command", default="make bench", help="the command named in --doc")
    p.add_argument("--repeat", action="store_true",
                   help="measure every row run under icount a second time (new QEMU runs) and "
                   f"report each whose figures differ by more than {REPRO_TOLERANCE:.0%}%")
    args = p.parse_args()

    out = os.path.abspath(args.out)
    keys = args.rows.split(",") if args.rows else QUICK_ROWS if args.quick else \
        [r.key for r in ROWS]
    unknown = set(keys) - {r.key for r in ROWS}
    if unknown:
        p.error(f"unknown rows: {', '.join(sorted(unknown))}")
    for tool in (QEMU, "dtc", "make"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} not found; run scripts/deps.sh")
    ctx = Ctx(out, quick=args.quick, wall_runs=args.wall_runs,
              irqs=100 if args.quick else 1000, loops=1000 if args.quick else 10000,
              wall_configs=tuple(c for k, c in WALL_ROWS.items() if k in keys))
    t0 = time.monotonic()
    results = []
    for row in (r for r in ROWS if r.key in keys):
        log(f"measuring: {row.name}")
        tern, native, note, *failed = row.measure(ctx)
        failed = bool(failed and failed[0])
        if hasattr(row.target, "bind"):
            row.target.bind({r["key"]: r["tern"] for r in results})
        results.append({
            "name": row.name, "unit": row.unit, "tern": tern, "native": native,
            "target": row.target.text(row.unit),
            "met": False if failed or tern is None else row.target.met(tern, native),
            "failed": failed,
            "compare": row.target.compare(tern, native)
            if native is not None and tern is not None else "",
            "limit": chart_limit(row.target, native),
            "note": note, "key": row.key, "what": row.what})
    repro = None
    if args.repeat:
        repro = repeat_rows(ctx, [r for r in results if r["key"] not in NONDETERMINISTIC_ROWS])
    elapsed = time.monotonic() - t0

    print(table(results))
    if repro is not None:
        print(repro_text(repro))
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump([{k: r[k] for k in ("name", "unit", "tern", "native", "target", "met",
                                      "failed")}
                   for r in results], f, indent=1)
        f.write("\n")
    png = os.path.join(out, "results.png")
    chart(results, png)
    if args.doc:
        write_doc(results, args, elapsed, ctx, args.doc, repro)
    log(f"{len(results)} rows in {elapsed:.0f} s: {out}/results.json"
        + (f", {png}" if os.path.isfile(png) else "") + (f", {args.doc}" if args.doc else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
