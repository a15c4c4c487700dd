# SPDX-License-Identifier: GPL-2.0-only
"""`make menuconfig` (kconfiglib's curses interface) driven through a terminal.

Starting from qemu_virt_defconfig in a fresh O= directory: jump to DEBUG_PANIC_HOOK with the
search ("/"), toggle it with Space, save ("S", Enter), quit ("Q"); then .config, the generated
autoconf.h and the set of objects linked into tern.elf (tern.map) must follow. The same way back
turns it off again. The screen is read as text with escape sequences stripped: curses redraws
only what changed, so each step waits for text that step itself makes appear.
"""

import os
import re
import signal
import subprocess
import time

import pexpect
import pytest

import tern as tern_lib

pytestmark = pytest.mark.build

SYMBOL = "DEBUG_PANIC_HOOK"
PROMPT = "Boot option to trigger a panic"
ROWS, COLS = 40, 120
STEP_TIMEOUT = 20
# Cursor positioning (CUP, VPA, HPA): a new place on the screen, so a line break in the text.
MOVE = re.compile(r"\x1b\[[0-9;]*[HdfG]")
# Everything else: other CSI sequences, charset selection, keypad modes, cursor save/restore.
ESCAPE = re.compile(r"\x1b(?:\[[0-9;?<=>]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78DEHMc])")


def screen_text(raw):
    """What curses drew, as text: escape sequences removed, cursor jumps made line breaks."""
    return ESCAPE.sub("", MOVE.sub("\n", raw)).replace("\r", "\n")


BAD = re.compile(r"Traceback|Error|error:")


def make(outdir, *args):
    r = subprocess.run(["make", "O=" + outdir, *args], cwd=tern_lib.SRCTREE,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"make {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"
    return r


class Menuconfig:
    """One `make menuconfig` session in a ROWS x COLS terminal."""

    def __init__(self, outdir, log):
        env = dict(os.environ, TERM="xterm-256color", LINES=str(ROWS), COLUMNS=str(COLS),
                   ESCDELAY="25")
        self.log = log
        self.child = pexpect.spawn("make", ["O=" + outdir, "menuconfig"], cwd=tern_lib.SRCTREE,
                                   env=env, dimensions=(ROWS, COLS), encoding="utf-8",
                                   codec_errors="replace", timeout=STEP_TIMEOUT)

    def _read(self, wait):
        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return ""
        except pexpect.EOF:
            raise AssertionError("menuconfig exited early; screen so far:\n" + self.log[-1])
        self.log.append(self.log.pop() + data)
        return data

    def send(self, keys, expect, what):
        """Type @keys, then wait until the text drawn since matches the regex @expect."""
        self.log.append("")
        self.child.send(keys)
        text = ""
        end = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < end:
            text += screen_text(self._read(0.2))
            bad = BAD.search(text)
            assert not bad, f"{what}: {bad.group(0)!r} on screen:\n{text}"
            if re.search(expect, text):
                # Let the redraw finish before the next key.
                while more := self._read(0.3):
                    text += screen_text(more)
                return text
        raise AssertionError(f"{what}: no {expect!r} on screen within {STEP_TIMEOUT}s; "
                             f"got:\n{text[-2000:]}")

    def quit(self):
        self.child.send("Q")
        i = self.child.expect([pexpect.EOF, r"Save configuration\?"], timeout=STEP_TIMEOUT)
        assert i == 0, "quitting asked to save: the change was not saved"
        self.child.close()
        assert self.child.exitstatus == 0, "make menuconfig failed"

    def kill(self):
        """make and the kconfiglib process under it: the whole session of the terminal."""
        if self.child.isalive():
            try:
                os.killpg(self.child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.child.close(force=True)


def toggle_with_menuconfig(outdir, want, log, symbol=SYMBOL, prompt=PROMPT):
    mc = Menuconfig(outdir, log)
    try:
        mc.send("", r"Tern hypervisor configuration", "main menu")
        mc.send("/", r"Jump to symbol", "search dialog")
        mc.send(symbol, rf"{symbol}\(=[yn]\)", "search result")
        mc.send("\r", re.escape(prompt), "jump to the symbol's menu")
        mc.send(" ", r".", "toggle")
        # Symbol info: the value as kconfiglib now has it.
        info = mc.send("?", rf"Name: {symbol}(.|\n)*Value: +[yn]\b", "symbol info")
        assert re.search(rf"Value: +{want}", info), f"after Space {symbol} is not {want}:\n{info}"
        mc.send("\x1b", re.escape(prompt), "leave symbol info")
        mc.send("S", r"Filename to save configuration to", "save dialog")
        mc.send("\r", r"Configuration saved to", "save")
        # Any key dismisses the message; the menu under it barely changes, so nothing to wait
        # for: "Q" then quits at once, as there are no unsaved changes left to prompt about.
        mc.child.send("\r")
        mc.quit()
    finally:
        mc.kill()


def config_value(outdir):
    with open(os.path.join(outdir, ".config")) as f:
        text = f.read()
    if re.search(rf"^CONFIG_{SYMBOL}=y$", text, re.M):
        return "y"
    assert re.search(rf"^# CONFIG_{SYMBOL} is not set$", text, re.M), text
    return "n"


def autoconf_has(outdir):
    with open(os.path.join(outdir, "include", "generated", "autoconf.h")) as f:
        return re.search(rf"^#define CONFIG_{SYMBOL} 1$", f.read(), re.M) is not None


def links_debug_hooks(outdir):
    with open(os.path.join(outdir, "tern.map")) as f:
        return "debug_hooks.o" in f.read()


@pytest.fixture
def outdir(tmp_path, request):
    log = [""]
    request.node.menuconfig_log = log
    d = str(tmp_path / "build")
    make(d, "qemu_virt_defconfig")
    yield d, log


def test_menuconfig_toggle_debug_panic_hook(outdir):
    d, log = outdir
    make(d)
    assert config_value(d) == "n"
    assert not autoconf_has(d)
    assert not links_debug_hooks(d)
    before = open(os.path.join(d, ".config")).read()

    try:
        toggle_with_menuconfig(d, "y", log)
    except AssertionError:
        print(screen_text("".join(log))[-4000:])
        raise
    assert config_value(d) == "y"
    after = open(os.path.join(d, ".config")).read()
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == [f"CONFIG_{SYMBOL}=y"], changed
    make(d)
    assert autoconf_has(d)
    assert links_debug_hooks(d)

    # And back: the object leaves the link again.
    toggle_with_menuconfig(d, "n", log)
    assert config_value(d) == "n"
    make(d)
    assert not autoconf_has(d)
    assert not links_debug_hooks(d)


def test_menuconfig_switches_multi_pcpu(outdir, build):
    """Switch MULTI_PCPU off in menuconfig; the result builds and boots on one pCPU."""
    d, log = outdir
    assert re.search(r"^CONFIG_MULTI_PCPU=y$", open(os.path.join(d, ".config")).read(), re.M)
    toggle_with_menuconfig(d, "n", log, symbol="MULTI_PCPU", prompt="Use several physical CPUs")
    config = open(os.path.join(d, ".config")).read()
    assert re.search(r"^# CONFIG_MULTI_PCPU is not set$", config, re.M), config
    make(d)
    t = tern_lib.Tern(os.path.join(d, "tern.bin"), smp=4, mem="512M",
                      config=os.path.join(d, ".config"), name="menuconfig MULTI_PCPU=n")
    try:
        t.start()
        t.expect(r"smp: MULTI_PCPU is off: using 1 of 4 pCPUs")
        assert t.wait_exit() == 0
        assert "pCPU 1 online" not in t.log
    finally:
        t.close()
