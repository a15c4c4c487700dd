# SPDX-License-Identifier: GPL-2.0-only
"""The bare-metal test guests of tests/guests, each run as VM0 of Tern (see manifest.txt).

Tern is built with configs/qemu_virt_guest_tests_defconfig, the guests with
`make -C tests/guests O=<that build dir>`. A program passes when it prints no FAIL: line and a
"SUMMARY: N tests, 0 failures" line with the manifest's N, Tern logs no error, warning, panic or
dump and reports its integrity regions unchanged, and QEMU exits with status 0.
Select one program with `-k <name>`.
"""

import os
import re
import shutil
import subprocess

import pytest

import tern as tern_lib

CONFIG = "qemu_virt_guest_tests_defconfig"
# The same VM 0 with MULTI_PCPU: its vCPUs on their own pCPUs.
CONFIG_SMP = "qemu_virt_guest_smp_defconfig"
SMP_PROGRAMS = ("psci", "gic", "timer", "smp", "soak", "ipi", "suspend", "vtick", "sgiself", "pl011")
# Programs whose checks are about time, run under icount on one pCPU: (bootargs, icount). ipi's
# wake-up latency bound holds in virtual time, which a loaded host cannot stretch: a vCPU woken
# behind a spinning one runs after SCHED_WAKE_GRANULARITY_US (1 ms) plus the switch; without
# wake-up preemption it waits for the spinning vCPU's whole 10 ms slice.
ICOUNT_RUNS = {"ipi": ("lat_limit_us=3000", True)}
# Programs that need longer than a console's default deadline on a loaded host.
SLOW = {"ipi": 10 * tern_lib.RUN_TIMEOUT}
GUESTS_SRC = os.path.join(tern_lib.SRCTREE, "tests", "guests")
MANIFEST = os.path.join(GUESTS_SRC, "manifest.txt")
BUILD_TIMEOUT = tern_lib.BUILD_TIMEOUT
MAKE_RUN_TIMEOUT = tern_lib.BUILD_TIMEOUT + tern_lib.RUN_TIMEOUT

SUMMARY_RE = re.compile(r"^SUMMARY: (\d+) tests, (\d+) failures(?:, (\d+) skipped)?\s*$",
                        re.MULTILINE)
INTEGRITY_OK_RE = re.compile(r"\[c\d+\] integrity: \d+ regions unchanged")
INTEGRITY_BAD_RE = re.compile(r"\[c\d+\] integrity: .* CHANGED")
RESET_RE = r"\[c\d+\] vm0: reset requested by the guest"
MMIO_STORES = "mmio: DR store forms: Tern-OK"
PL011_DR_LINE = "pl011: DR by byte, halfword and word stores: 0123456789"


class Program:
    """One manifest line: name ram_mib vcpus tests bootargs..."""

    def __init__(self, fields):
        self.name = fields[0]
        self.ram_mib, self.vcpus, self.tests = (int(f, 10) for f in fields[1:4])
        bootargs = " ".join(fields[4:])
        self.bootargs = "" if bootargs in ("", "-") else bootargs


def read_manifest(path=MANIFEST):
    progs = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) < 5:
                raise ValueError(f"{path}:{n}: want 'name ram_mib vcpus tests bootargs'")
            progs.append(Program(fields))
    return progs


if not os.path.isfile(MANIFEST):
    pytest.skip(f"no {MANIFEST}", allow_module_level=True)
PROGRAMS = {p.name: p for p in read_manifest()}
# Programs with their own test module (which checks more than the SUMMARY).
OWN_TEST = {"idregs": "test_idregs.py"}
# (program, pCPUs): every program on one pCPU, psci also with its two vCPUs on two pCPUs.
RUNS = [pytest.param(name, 1, id=name) for name in PROGRAMS if name not in OWN_TEST]
if "psci" in PROGRAMS:
    RUNS.append(pytest.param("psci", 2, id="psci-smp2"))


def build_guests(build, config):
    b = build(config)
    cmd = ["make", "-C", GUESTS_SRC, f"O={b.dir}"]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT)
    if r.returncode != 0:
        raise AssertionError(f"guest build failed ({r.returncode}):\n$ {' '.join(cmd)}\n"
                             f"{r.stdout}")
    for name in PROGRAMS:
        if not os.path.isfile(b.path("guests", name + ".bin")):
            raise AssertionError(f"guest build made no guests/{name}.bin:\n{r.stdout}")
    return b


@pytest.fixture(scope="session")
def guests(build):
    """The guest-test build of Tern (MULTI_PCPU off), with the guests in <its dir>/guests."""
    return build_guests(build, CONFIG)


@pytest.fixture(scope="session")
def guests_smp(build):
    """The same with MULTI_PCPU: VM 0's vCPUs spread over 4 pCPUs."""
    return build_guests(build, CONFIG_SMP)


def run_guest(tern, b, prog, smp, extra_bootargs="", icount=False):
    """Boot Tern with @prog as VM0's kernel (under `-icount shift=0,sleep=off` when @icount:
    virtual time is instructions, 1 ns each, whatever the host's speed); returns the console,
    started."""
    kconf = b.kconfig()
    assert int(kconf.get("CONFIG_VM0_RAM_MB", 0)) >= prog.ram_mib, \
        f"{b.config}: VM0 has less RAM than {prog.name} needs ({prog.ram_mib} MiB)"
    assert int(kconf.get("CONFIG_VM0_NR_VCPUS", 0)) >= prog.vcpus, \
        f"{b.config}: VM0 has fewer vCPUs than {prog.name} needs ({prog.vcpus})"
    t = tern(b.config, start=False, smp=smp, mem="512M",
             timeout=SLOW.get(prog.name, tern_lib.RUN_TIMEOUT))
    t.name = f"{prog.name} (smp {smp}{', icount' if icount else ''})"
    t.cmd += ["--vm0-kernel", b.path("guests", prog.name + ".bin")]
    if icount:
        t.cmd += ["--icount"]
    bootargs = " ".join(a for a in (prog.bootargs, extra_bootargs) if a)
    if bootargs:
        t.cmd += ["--vm0-bootargs", bootargs]
    return t.start()


def check_reset(t):
    """reset: one SYSTEM_RESET, then the second boot's checks (stop a reset loop early)."""
    t.expect_line("reset: first boot")
    m = t.expect(r"reset: (first|second) boot")
    if m.group(1) == "first":
        t.close()
        t.fail("'reset: first boot' twice: Tern cleared guest RAM on SYSTEM_RESET "
               "(the guest would reset forever)")
    t.expect(r"SUMMARY: ")


def check_run(t, prog):
    status = t.wait_exit()
    log = t.log
    lines = log.splitlines()
    problems = []
    fails = [ln for ln in lines if "FAIL:" in ln]
    if fails:
        problems.append("FAIL lines:\n  " + "\n  ".join(fails))
    summaries = SUMMARY_RE.findall(log)
    if not summaries:
        problems.append("no 'SUMMARY: N tests, M failures' line")
    elif len(summaries) > 1:
        problems.append(f"{len(summaries)} SUMMARY lines")
    else:
        n, failures, _ = summaries[0]
        if int(n) != prog.tests:
            problems.append(f"SUMMARY says {n} tests, the manifest {prog.tests}")
        if int(failures):
            problems.append(f"SUMMARY reports {failures} failures")
    for name, pattern in tern_lib.BAD_PATTERNS.items():
        bad = [ln for ln in lines if re.search(pattern, ln)]
        if bad:
            problems.append(f"Tern {name} lines:\n  " + "\n  ".join(bad))
    if INTEGRITY_BAD_RE.search(log):
        problems.append("integrity check: a region CHANGED")
    if not INTEGRITY_OK_RE.search(log):
        problems.append("no 'integrity: N regions unchanged' line")
    if len(re.findall(tern_lib.BANNER_RE, log)) != 1:
        problems.append("Tern's banner not seen exactly once (Tern reset?)")
    if status != 0:
        problems.append(f"QEMU exit status {status}")
    if problems:
        t.fail(f"{prog.name}: " + "; ".join(problems))
    return lines


def answer_vtick(t):
    """vtick: its line without a newline must show while only timer interrupts exit."""
    t.expect(r"vtick: held line, waiting for a key", timeout=60)
    t.send("k")


def answer_pl011(t):
    """pl011: a key for its receive checks (FR, RXRIS, DR)."""
    t.expect(r"pl011: waiting for a key", timeout=60)
    t.send("k")


def check_pl011(t, lines):
    """pl011: its line written through DR stores of three widths, whole and in order."""
    if PL011_DR_LINE not in lines:
        t.fail(f"no '{PL011_DR_LINE}' line")


@pytest.mark.parametrize("name, smp", RUNS)
def test_guest(tern, guests, name, smp):
    prog = PROGRAMS[name]
    t = run_guest(tern, guests, prog, smp, *ICOUNT_RUNS.get(name, ("", False)))
    if name == "vtick":
        answer_vtick(t)
    if name == "pl011":
        answer_pl011(t)
    if name == "reset":
        check_reset(t)
    lines = check_run(t, prog)
    if name == "pl011":
        check_pl011(t, lines)
    if name == "mmio" and MMIO_STORES not in lines:
        t.fail(f"no '{MMIO_STORES}' line")
    if name == "reset":
        check_reset_log(t, prog, lines)
    if name == "inject" and any(ln.startswith("SKIP:") for ln in lines):
        t.fail("inject: SKIP lines (the guest-tests configuration has DEBUG_GUEST_HOOKS)")
    if name == "undef" and not re.search(r"\] vm0: exit: [^\n]* 0 aborts and 2 undefs injected", t.log):
        t.fail("Tern did not inject exactly the 2 UNDEFs of the trapped LORegion accesses")
    if name == "ipi":
        check_ipi_log(t, lines, off_pcpu=0)


@pytest.mark.parametrize("name", [n for n in SMP_PROGRAMS if n in PROGRAMS])
def test_guest_multi_pcpu(tern, guests_smp, name):
    prog = PROGRAMS[name]
    # ipi's wake-up latency is reported only: one vCPU per pCPU, it is the host waking QEMU's
    # thread for the other pCPU.
    t = run_guest(tern, guests_smp, prog, 4)
    if name == "vtick":
        answer_vtick(t)
    if name == "pl011":
        answer_pl011(t)
    lines = check_run(t, prog)
    if name == "pl011":
        check_pl011(t, lines)
    online = [ln for ln in lines if re.search(r"\] smp: pCPU \d online", ln)]
    if len(online) != 3:
        t.fail(f"want 3 secondary pCPUs online, saw {len(online)}")
    vcpus = int(guests_smp.kconfig()["CONFIG_VM0_NR_VCPUS"])
    if not re.search(rf"vm0: vCPUs 0-{vcpus - 1} pinned to pCPUs "
                     + " ".join(str(i) for i in range(vcpus)), t.log):
        t.fail(f"vm0's {vcpus} vCPUs not placed one per pCPU")
    if name == "ipi":
        check_ipi_log(t, lines, off_pcpu=3)


def check_ipi_log(t, lines, off_pcpu):
    """ipi: SYSTEM_RESET from vCPU 2 (carried out by whichever pCPU puts a vCPU of the VM
    first) and SYSTEM_OFF from vCPU 3 (stopped by the pCPU that runs vCPU 3), the reset once,
    then both boots' checks in one SUMMARY."""
    for want in ("ipi: first boot", "ipi: SYSTEM_RESET from vCPU 2", "ipi: second boot",
                 "ipi: SYSTEM_OFF from vCPU 3"):
        if lines.count(want) != 1:
            t.fail(f"want one '{want}' line")
    resets = [i for i, ln in enumerate(lines) if re.search(RESET_RE, ln)]
    if len(resets) != 1 or not (lines.index("ipi: SYSTEM_RESET from vCPU 2") < resets[0]
                                < lines.index("ipi: second boot")):
        t.fail(f"want one reset between vCPU 2's call and the second boot: {resets}")
    off = [ln for ln in lines if "vm0: stopped: guest called PSCI SYSTEM_OFF" in ln]
    if off != [f"[c{off_pcpu}] vm0: stopped: guest called PSCI SYSTEM_OFF"]:
        t.fail(f"want one SYSTEM_OFF, seen by pCPU {off_pcpu}: {off}")
    summary = next(i for i, ln in enumerate(lines) if ln.startswith("SUMMARY:"))
    if summary > lines.index("ipi: SYSTEM_OFF from vCPU 3"):
        t.fail("the SUMMARY comes after SYSTEM_OFF")


def check_reset_log(t, prog, lines):
    """One reset logged by Tern, then the second boot's checks (the SUMMARY counts those)."""
    resets = [i for i, ln in enumerate(lines) if re.search(RESET_RE, ln)]
    if len(resets) != 1:
        t.fail(f"want one 'reset requested by the guest' line, Tern logged {len(resets)}")
    for boot in ("first", "second"):
        if lines.count(f"reset: {boot} boot") != 1:
            t.fail(f"want one 'reset: {boot} boot' line")
    second = lines.index("reset: second boot")
    if resets[0] > second:
        t.fail("'reset: second boot' before Tern's reset line")
    passes = [ln for ln in lines[second:] if ln.startswith("PASS: reset: ")]
    skips = [ln for ln in lines[second:] if ln.startswith("SKIP: reset: ")]
    if not passes or len(passes) + len(skips) != prog.tests:
        t.fail(f"second boot: {len(passes)} PASS + {len(skips)} SKIP lines, "
               f"want {prog.tests} checks")


def test_make_run_hello(guests):
    """README: `make run VM0_KERNEL=... O=<fresh dir>` builds Tern and boots the guest.

    The default configuration's VM 0 is a Linux VM, which boots arm64 Images only: hello.img.
    """
    outdir = os.path.join(tern_lib.build_root(), "itest", "make-run")
    shutil.rmtree(outdir, ignore_errors=True)
    hello = guests.path("guests", "hello.img")
    cmd = ["make", "-C", tern_lib.SRCTREE, "run", f"VM0_KERNEL={hello}", f"O={outdir}"]
    env = {k: v for k, v in os.environ.items() if not re.match(r"VM\d_|MAKEFLAGS$|MFLAGS$", k)}
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, env=env,
                           timeout=MAKE_RUN_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout
        pytest.fail(f"$ {' '.join(cmd)}: no exit in {MAKE_RUN_TIMEOUT} s\n{out or ''}")
    out = r.stdout.replace("\r", "")
    log = os.path.join(tern_lib.build_root(), "itest", "logs", "test_make_run_hello.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as f:
        f.write(f"$ {' '.join(cmd)}\n{out}[exit status {r.returncode}]\n")
    context = f"$ {' '.join(cmd)}\n{out}"
    assert "Hello from a Tern guest" in out, context
    bad = [ln for ln in out.splitlines()
           if any(re.search(p, ln) for p in tern_lib.BAD_PATTERNS.values())]
    assert not bad, context
    assert r.returncode == 0, context


@pytest.mark.parametrize("loop", ["vbar", "refault"])
def test_exception_loop_stopped(tern, guests, loop):
    """crash.c: a guest looping through injected exceptions is stopped with one message."""
    t = tern(guests.config, start=False, smp=1, mem="512M", allow=["error"])
    t.name = f"crash loop={loop}"
    t.cmd += ["--vm0-kernel", guests.path("guests", "crash.bin"),
              "--vm0-bootargs", f"loop={loop}"]
    t.start()
    t.expect_line("PASS: crash: 1000 of 1000 aborts at one pc with a skipping handler taken")
    m = t.expect(r"INFO: crash: expect pc (0x[0-9a-f]+) vbar (0x[0-9a-f]+)\r*\n")
    pc, vbar = m.group(1), m.group(2)
    t.expect(r"\[c0\] error: vm0\.0: guest crash: exception loop: [^\r\n]*\(ESR 0x[0-9a-f]+, "
             rf"FAR 0x[0-9a-f]+\) at pc {pc}, VBAR_EL1 {vbar}: ")
    t.expect(r"\[c0\] vm0: stopped: Tern detected a guest crash")
    m = t.expect(r"vm0: exit: Tern detected a guest crash; 0 resets; (\d+) aborts")
    status = t.wait_exit()
    log = t.log
    if len(re.findall(r"guest crash:", log)) != 1:
        t.fail("want exactly one 'guest crash:' message")
    if "SUMMARY:" in log or "still running after the loop" in log:
        t.fail("the guest ran on after its exception loop")
    # 1000 skipped aborts, then the loop: stopped within inject_loop.h's 64 repeats.
    if int(m.group(1)) > 1000 + 70:
        t.fail(f"{m.group(1)} aborts injected: the loop ran on too long")
    if status != 0:
        t.fail(f"QEMU exit status {status}")


def test_pmu(tern, guests):
    """pmu.c under -icount (INST_RETIRED counts only then): counting, EL2 excluded, isolation
    between two vCPUs on one pCPU, the overflow interrupt."""
    t = tern(guests.config, start=False, smp=1, mem="512M", timeout=120)
    t.name = "pmu (icount)"
    t.cmd += ["--icount", "--vm0-kernel", guests.path("guests", "pmu.bin")]
    t.start()
    status = t.wait_exit()
    lines = t.log.splitlines()
    problems = [ln for ln in lines if ln.startswith(("FAIL:", "SKIP:"))]
    if "SUMMARY: 7 tests, 0 failures" not in lines:
        problems.append("no 'SUMMARY: 7 tests, 0 failures'")
    if status != 0:
        problems.append(f"QEMU exit status {status}")
    if problems:
        t.fail("pmu: " + "; ".join(problems))
