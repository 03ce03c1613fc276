package io.rustbucket.sensor.shell;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** What the system-information commands print, all computed from the {@link FakeMachine}. */
final class Processes {
    private Processes() {}

    /** pid, user, command of the processes a small Ubuntu server runs. */
    private record Proc(int pid, String user, String tty, String stat, long rssKb, String command) {}

    private static final List<Proc> PROCESSES = List.of(
            new Proc(1, "root", "?", "Ss", 13_120, "/sbin/init"),
            new Proc(2, "root", "?", "S", 0, "[kthreadd]"),
            new Proc(3, "root", "?", "I<", 0, "[rcu_gp]"),
            new Proc(12, "root", "?", "S", 0, "[ksoftirqd/0]"),
            new Proc(164, "root", "?", "S<s", 48_512, "/lib/systemd/systemd-journald"),
            new Proc(201, "root", "?", "Ss", 6_400, "/lib/systemd/systemd-udevd"),
            new Proc(402, "systemd+", "?", "Ss", 8_140, "/lib/systemd/systemd-networkd"),
            new Proc(404, "systemd+", "?", "Ss", 12_580, "/lib/systemd/systemd-resolved"),
            new Proc(517, "root", "?", "Ss", 2_860, "/usr/sbin/cron -f -P"),
            new Proc(518, "message+", "?", "Ss", 4_960, "@dbus-daemon --system --address=systemd: --nofork"),
            new Proc(526, "syslog", "?", "Ssl", 5_120, "/usr/sbin/rsyslogd -n -iNONE"),
            new Proc(531, "root", "?", "Ss", 7_410, "/lib/systemd/systemd-logind"),
            new Proc(
                    602,
                    "root",
                    "ttyS0",
                    "Ss+",
                    2_020,
                    "/sbin/agetty -o -p -- \\u --keep-baud 115200,57600,38400,9600 ttyS0 vt220"),
            new Proc(611, "root", "?", "Ss", 8_920, "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"),
            new Proc(
                    640,
                    "root",
                    "?",
                    "Ss",
                    6_100,
                    "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"),
            new Proc(641, "www-data", "?", "S", 7_900, "nginx: worker process"));

    static String ps(Shell sh, List<String> a) {
        boolean full = a.stream().anyMatch(x -> x.contains("a") || x.contains("e") || x.contains("x"));
        int shellPid = 2000 + Math.abs(sh.sourceIp.hashCode() % 30000);
        StringBuilder s = new StringBuilder();
        if (!full) {
            s.append("    PID TTY          TIME CMD\n");
            s.append(String.format(Locale.ROOT, "%7d pts/0    00:00:00 bash%n", shellPid));
            s.append(String.format(Locale.ROOT, "%7d pts/0    00:00:00 ps%n", shellPid + 37));
            return s.toString();
        }
        s.append("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
        for (Proc p : PROCESSES) {
            s.append(String.format(
                    Locale.ROOT,
                    "%-8s %7d  0.0 %4.1f %6d %5d %-8s %-4s %5s   0:%02d %s%n",
                    p.user(),
                    p.pid(),
                    p.rssKb() * 100.0 / sh.machine.memoryKb(),
                    p.rssKb() * 3 + 4_000,
                    p.rssKb(),
                    p.tty(),
                    p.stat(),
                    startOf(sh),
                    p.pid() % 60,
                    p.command()));
        }
        s.append(String.format(
                Locale.ROOT,
                "%-8s %7d  0.0  0.1  10040  5140 pts/0    Ss   %5s   0:00 -bash%n",
                sh.user,
                shellPid,
                "00:00"));
        s.append(String.format(
                Locale.ROOT,
                "%-8s %7d  0.0  0.0  10072  1580 pts/0    R+   %5s   0:00 ps %s%n",
                sh.user,
                shellPid + 37,
                "00:00",
                String.join(" ", a)));
        return s.toString();
    }

    private static String startOf(Shell sh) {
        return DateTimeFormatter.ofPattern("MMMdd", Locale.ROOT)
                .format(sh.machine.bootedAt().atZone(ZoneOffset.UTC));
    }

    static String uptimeLine(Shell sh) {
        Duration up = sh.machine.uptime();
        String time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
                .format(sh.now().atZone(ZoneOffset.UTC));
        long days = up.toDays();
        String hm = String.format(Locale.ROOT, "%2d:%02d", up.toHoursPart(), up.toMinutesPart());
        return " " + time + " up " + (days > 0 ? days + " day" + (days == 1 ? "" : "s") + ", " : "") + hm
                + ",  1 user,  load average: 0.08, 0.03, 0.01";
    }

    static String w(Shell sh) {
        String login = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
                .format(sh.now().atZone(ZoneOffset.UTC));
        return uptimeLine(sh) + "\nUSER     TTY      FROM             LOGIN@   IDLE   JCPU   PCPU WHAT\n"
                + String.format(
                        Locale.ROOT, "%-8s pts/0    %-16s %s    0.00s  0.02s  0.00s w%n", sh.user, sh.sourceIp, login);
    }

    static String free(Shell sh, List<String> a) {
        long total = sh.machine.memoryKb();
        long used = total * 23 / 100 + sh.machine.uptime().toMinutes() % 2048;
        long cache = total * 33 / 100;
        long free = total - used - cache;
        long div = a.contains("-m") ? 1024 : a.contains("-g") ? 1024 * 1024 : 1;
        if (a.contains("-h")) {
            return String.format(
                    Locale.ROOT,
                    "               total        used        free      shared  buff/cache   available%n"
                            + "Mem:           %4.1fGi       %4dMi       %4.1fGi       1.0Mi       %4.1fGi       %4.1fGi%n"
                            + "Swap:             0B          0B          0B%n",
                    total / 1048576.0,
                    used / 1024,
                    free / 1048576.0,
                    cache / 1048576.0,
                    (total - used) / 1048576.0);
        }
        return String.format(
                Locale.ROOT,
                "               total        used        free      shared  buff/cache   available%n"
                        + "Mem:     %11d %11d %11d %11d %11d %11d%nSwap:    %11d %11d %11d%n",
                total / div,
                used / div,
                free / div,
                1024 / div,
                cache / div,
                (total - used) / div,
                0,
                0,
                0);
    }

    static String df(List<String> a) {
        if (a.contains("-h")) {
            return "Filesystem      Size  Used Avail Use% Mounted on\n/dev/root        49G  6.1G   43G  13% /\n"
                    + "tmpfs           1.9G     0  1.9G   0% /dev/shm\ntmpfs           785M  984K  784M   1% /run\n"
                    + "tmpfs           5.0M     0  5.0M   0% /run/lock\n/dev/nvme0n1p15 105M  6.1M   99M   6% /boot/efi\n";
        }
        return "Filesystem     1K-blocks    Used Available Use% Mounted on\n/dev/root       50620216 6357908  44245924  13% /\n"
                + "tmpfs            2006772       0   2006772   0% /dev/shm\ntmpfs             802712     984    801728   1% /run\n"
                + "tmpfs               5120       0      5120   0% /run/lock\n/dev/nvme0n1p15   106858    6186    100673   6% /boot/efi\n";
    }

    static String ifconfig(FakeMachine m) {
        long rx = 48_000_000L + m.uptime().toSeconds() * 310;
        long tx = 21_000_000L + m.uptime().toSeconds() * 170;
        return "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 9001\n"
                + "        inet " + m.privateIp() + "  netmask 255.255.240.0  broadcast " + broadcast(m) + "\n"
                + "        ether " + m.mac() + "  txqueuelen 1000  (Ethernet)\n"
                + "        RX packets " + rx / 900 + "  bytes " + rx
                + "\n        RX errors 0  dropped 0  overruns 0  frame 0\n"
                + "        TX packets " + tx / 700 + "  bytes " + tx
                + "\n        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n"
                + "lo: flags=73<UP,LOOPBACK,RUNNING>  mtu 65536\n        inet 127.0.0.1  netmask 255.0.0.0\n"
                + "        loop  txqueuelen 1000  (Local Loopback)\n        RX packets 2104  bytes 190224\n"
                + "        TX packets 2104  bytes 190224\n\n";
    }

    private static String broadcast(FakeMachine m) {
        String[] o = m.privateIp().split("\\.");
        return o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) | 15) + ".255";
    }

    static String ip(FakeMachine m, List<String> a) {
        String obj = a.isEmpty() ? "" : a.get(0);
        if (obj.startsWith("r")) {
            String[] o = m.privateIp().split("\\.");
            String net = o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) & ~15) + ".0/20";
            String gw = o[0] + "." + o[1] + "." + (Integer.parseInt(o[2]) & ~15) + ".1";
            return "default via " + gw + " dev eth0 proto dhcp src " + m.privateIp() + " metric 100\n" + net
                    + " dev eth0 proto kernel scope link src " + m.privateIp() + " metric 100\n";
        }
        if (obj.startsWith("a") || obj.startsWith("l")) {
            return "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n"
                    + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n"
                    + "       valid_lft forever preferred_lft forever\n"
                    + "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001 qdisc mq state UP group default qlen 1000\n"
                    + "    link/ether " + m.mac() + " brd ff:ff:ff:ff:ff:ff\n    inet " + m.privateIp()
                    + "/20 metric 100 brd "
                    + broadcast(m) + " scope global dynamic eth0\n       valid_lft 2815sec preferred_lft 2815sec\n";
        }
        return "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\n"
                + "where  OBJECT := { address | link | route | rule | neigh | tunnel | maddress | netns }\n";
    }

    static String lscpu(FakeMachine m) {
        return "Architecture:            x86_64\n  CPU op-mode(s):        32-bit, 64-bit\n  Address sizes:         46 bits physical, 48 bits virtual\n"
                + "  Byte Order:            Little Endian\nCPU(s):                  " + m.cpus()
                + "\n  On-line CPU(s) list:   0-"
                + (m.cpus() - 1) + "\nVendor ID:               GenuineIntel\n  Model name:            " + m.cpuModel()
                + "\n    CPU family:          6\n    Model:               85\n    Thread(s) per core:  2\n    Core(s) per socket:  "
                + m.cpus() / 2
                + "\n    Socket(s):           1\n    Stepping:            7\n    BogoMIPS:            4999.99\n"
                + "Virtualization features: \n  Hypervisor vendor:     KVM\n  Virtualization type:   full\n";
    }

    /** One frame of top, as it prints when run without a terminal it can redraw. */
    static String top(Shell sh) {
        long total = sh.machine.memoryKb() / 1024;
        return "top - " + uptimeLine(sh).strip().replace(" up ", " up ") + "\n"
                + "Tasks: 117 total,   1 running, 116 sleeping,   0 stopped,   0 zombie\n"
                + "%Cpu(s):  0.3 us,  0.2 sy,  0.0 ni, 99.5 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st\n"
                + String.format(
                        Locale.ROOT,
                        "MiB Mem : %8.1f total, %8.1f free, %8.1f used, %8.1f buff/cache%n",
                        (double) total,
                        total * 0.44,
                        total * 0.23,
                        total * 0.33)
                + "MiB Swap:      0.0 total,      0.0 free,      0.0 used. "
                + String.format(Locale.ROOT, "%8.1f avail Mem%n%n", total * 0.72)
                + "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND\n"
                + PROCESSES.stream()
                        .map(p -> String.format(
                                Locale.ROOT,
                                "%7d %-8s  20   0 %7d %6d %6d %s   0.0   0.1   0:%02d.%02d %s%n",
                                p.pid(),
                                p.user().length() > 8 ? p.user().substring(0, 8) : p.user(),
                                p.rssKb() * 3 + 4000,
                                p.rssKb(),
                                p.rssKb() / 2,
                                p.stat().charAt(0),
                                p.pid() % 60,
                                p.pid() % 100,
                                p.command().startsWith("/")
                                        ? p.command().split(" ")[0].replaceAll(".*/", "")
                                        : p.command().split(" ")[0]))
                        .collect(java.util.stream.Collectors.joining());
    }

    /** Listening sockets: what the process list says runs (sshd, nginx, resolved). */
    static String sockets(FakeMachine m, String tool) {
        if (tool.equals("ss")) {
            return "Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
                    + "udp   UNCONN 0      0      127.0.0.53%lo:53         0.0.0.0:*\n"
                    + "udp   UNCONN 0      0      " + m.privateIp() + "%eth0:68  0.0.0.0:*\n"
                    + "tcp   LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*\n"
                    + "tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*\n"
                    + "tcp   LISTEN 0      511          0.0.0.0:80         0.0.0.0:*\n"
                    + "tcp   LISTEN 0      128             [::]:22            [::]:*\n";
        }
        return "Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
                + "tcp        0      0 127.0.0.53:53           0.0.0.0:*               LISTEN\n"
                + "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n"
                + "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN\n"
                + "tcp6       0      0 :::22                   :::*                    LISTEN\n";
    }

    /** The owner's earlier logins, from the same address the MOTD names. */
    static String last(Shell sh) {
        String from = sh.machine.ownerIp();
        java.time.ZonedDateTime t = sh.now().atZone(ZoneOffset.UTC);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("EEE MMM d HH:mm", Locale.ROOT);
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT, "%-8s pts/0        %-16s %s   still logged in%n", sh.user, sh.sourceIp, f.format(t)));
        for (int i = 1; i <= 4; i++) {
            java.time.ZonedDateTime at = t.minusDays(i * 3L).minusMinutes(i * 47L);
            s.append(String.format(
                    Locale.ROOT,
                    "ubuntu   pts/0        %-16s %s - %s  (00:%02d)%n",
                    from,
                    f.format(at),
                    DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).format(at.plusMinutes(12L + i)),
                    12 + i));
        }
        s.append("\nwtmp begins ")
                .append(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT)
                        .format(sh.machine.bootedAt().atZone(ZoneOffset.UTC)))
                .append('\n');
        return s.toString();
    }
}
