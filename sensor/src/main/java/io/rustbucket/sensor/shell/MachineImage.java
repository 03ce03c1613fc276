package io.rustbucket.sensor.shell;

import io.rustbucket.sensor.shell.FakeFileSystem.Dir;
import io.rustbucket.sensor.shell.FakeFileSystem.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Builds the file tree of a {@link FakeMachine}: a small Ubuntu server (the directories and files recon scripts
 * read), with {@code /proc} files computed on each read so uptime and load move like a live system's.
 */
public final class MachineImage {
    private MachineImage() {}

    /** ELF64 little-endian x86-64 header: what {@code cat /bin/echo} shows a bot probing the architecture. */
    static byte[] elfHeader() {
        byte[] h = new byte[64];
        byte[] ident = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(ident, 0, h, 0, ident.length);
        h[16] = 3; // ET_DYN (position-independent executable)
        h[18] = 0x3e; // EM_X86_64
        h[20] = 1; // EV_CURRENT
        h[52] = 64; // e_ehsize
        h[54] = 56; // e_phentsize
        h[56] = 13; // e_phnum
        h[58] = 64; // e_shentsize
        h[60] = 31; // e_shnum
        h[62] = 30; // e_shstrndx
        return h;
    }

    public static FakeFileSystem build(FakeMachine m) {
        Instant installed = m.bootedAt().minus(Duration.ofDays(200));
        Instant booted = m.bootedAt();
        Dir root = new Dir("root", "drwxr-xr-x", installed);
        byte[] elf = elfHeader();
        String[] bin = {
            "bash",
            "sh",
            "dash",
            "ls",
            "cat",
            "echo",
            "cp",
            "mv",
            "rm",
            "mkdir",
            "chmod",
            "chown",
            "ps",
            "uname",
            "hostname",
            "df",
            "grep",
            "sed",
            "tar",
            "gzip",
            "sleep",
            "kill",
            "mount",
            "busybox",
            "su",
            "date",
            "touch"
        };
        String[] usrBin = {
            "wget", "curl", "python3", "perl", "id", "whoami", "w", "uptime", "free", "nproc", "lscpu", "which", "head",
            "tail", "wc", "sort", "uniq", "awk", "env", "nohup", "sudo", "crontab", "scp", "ssh", "tftp"
        };
        String[] sbin = {"ifconfig", "ip", "iptables", "reboot", "shutdown", "init", "sshd"};
        for (String b : bin) {
            put(root, "/bin/" + b, binary(elf, 35_000 + Math.abs(b.hashCode() % 1_200_000), installed));
        }
        for (String b : usrBin) {
            put(root, "/usr/bin/" + b, binary(elf, 30_000 + Math.abs(b.hashCode() % 900_000), installed));
        }
        for (String b : sbin) {
            put(root, "/sbin/" + b, binary(elf, 60_000 + Math.abs(b.hashCode() % 700_000), installed));
        }
        for (String d : new String[] {
            "/boot",
            "/dev/shm",
            "/lib",
            "/lib64",
            "/media",
            "/mnt",
            "/opt",
            "/srv",
            "/sys",
            "/usr/local/bin",
            "/usr/sbin",
            "/usr/lib",
            "/var/log",
            "/var/tmp",
            "/var/run",
            "/var/cache",
            "/var/lib",
            "/var/www/html",
            "/run",
            "/home/ubuntu/.ssh",
            "/root/.ssh",
            "/etc/ssh",
            "/etc/cron.d",
            "/etc/init.d"
        }) {
            mkdirs(root, d, installed);
        }
        mkdirs(root, "/tmp", booted);

        StringBuilder passwd = new StringBuilder()
                .append("root:x:0:0:root:/root:/bin/bash\n")
                .append("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
                .append("bin:x:2:2:bin:/bin:/usr/sbin/nologin\n")
                .append("sys:x:3:3:sys:/dev:/usr/sbin/nologin\n")
                .append("sync:x:4:65534:sync:/bin:/bin/sync\n")
                .append("www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n")
                .append("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
                .append("systemd-network:x:100:102:systemd Network Management,,,:/run/systemd:/usr/sbin/nologin\n")
                .append("messagebus:x:103:104::/nonexistent:/usr/sbin/nologin\n")
                .append("sshd:x:105:65534::/run/sshd:/usr/sbin/nologin\n")
                .append("ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n");
        text(root, "/etc/passwd", passwd.toString(), installed);
        text(
                root,
                "/etc/shadow",
                "root:$6$Yq2cL0tA$0t5mQy1c3xRr2WbVQ9iX1Yl8Tq7dHnYp0sPz3mE2uKc6aLr9vB4wN1jF5gS7hD2kZ8xC0vB3nM6qW9eR1tY4u.:19600:0:99999:7:::\n"
                        + "daemon:*:19600:0:99999:7:::\nwww-data:*:19600:0:99999:7:::\nsshd:*:19600:0:99999:7:::\n"
                        + "ubuntu:!:19600:0:99999:7:::\n",
                installed);
        text(
                root,
                "/etc/group",
                "root:x:0:\nadm:x:4:syslog,ubuntu\nsudo:x:27:ubuntu\nwww-data:x:33:\nubuntu:x:1000:\n",
                installed);
        text(root, "/etc/hostname", m.hostname() + "\n", installed);
        text(
                root,
                "/etc/hosts",
                "127.0.0.1 localhost\n" + m.privateIp() + " " + m.hostname() + "\n\n"
                        + "# The following lines are desirable for IPv6 capable hosts\n::1 ip6-localhost ip6-loopback\n",
                installed);
        text(
                root,
                "/etc/resolv.conf",
                "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch ec2.internal\n",
                installed);
        text(root, "/etc/issue", "Ubuntu 22.04.3 LTS \\n \\l\n\n", installed);
        text(
                root,
                "/etc/os-release",
                "PRETTY_NAME=\"" + m.osName() + "\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
                        + "VERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n"
                        + "HOME_URL=\"https://www.ubuntu.com/\"\nUBUNTU_CODENAME=jammy\n",
                installed);
        text(
                root,
                "/etc/crontab",
                "SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n\n"
                        + "17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n",
                installed);
        text(
                root,
                "/etc/ssh/sshd_config",
                "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n"
                        + "PasswordAuthentication yes\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\n"
                        + "PrintMotd no\nAcceptEnv LANG LC_*\nSubsystem sftp /usr/lib/openssh/sftp-server\n",
                installed);
        String bashrc = "# ~/.bashrc: executed by bash(1) for non-login shells.\n[ -z \"$PS1\" ] && return\n"
                + "HISTCONTROL=ignoreboth\nshopt -s histappend\nHISTSIZE=1000\nHISTFILESIZE=2000\n"
                + "alias ls='ls --color=auto'\nalias ll='ls -alF'\n";
        text(root, "/root/.bashrc", bashrc, installed);
        text(
                root,
                "/root/.profile",
                "if [ \"$BASH\" ]; then\n  if [ -f ~/.bashrc ]; then\n    . ~/.bashrc\n  fi\nfi\n"
                        + "mesg n 2> /dev/null || true\n",
                installed);
        text(root, "/root/.ssh/authorized_keys", "", installed);
        text(root, "/home/ubuntu/.bashrc", bashrc, installed);
        text(
                root,
                "/home/ubuntu/.profile",
                "if [ -n \"$BASH_VERSION\" ]; then\n    if [ -f \"$HOME/.bashrc\" ]; then\n"
                        + "\t. \"$HOME/.bashrc\"\n    fi\nfi\n",
                installed);
        text(root, "/var/log/auth.log", "", booted);
        text(root, "/var/log/syslog", "", booted);
        text(root, "/var/www/html/index.html", "<html><body><h1>It works!</h1></body></html>\n", installed);
        put(root, "/dev/null", new File(() -> new byte[0], 0, "root", "crw-rw-rw-", booted));

        mkdirs(root, "/proc", booted);
        proc(root, "/proc/cpuinfo", () -> cpuinfo(m), booted);
        proc(root, "/proc/meminfo", () -> meminfo(m), booted);
        proc(
                root,
                "/proc/version",
                () -> "Linux version " + m.kernel()
                        + " (buildd@lcy02-amd64-045) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38)"
                        + " #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n",
                booted);
        proc(
                root,
                "/proc/uptime",
                () -> {
                    double up = m.uptime().toMillis() / 1000.0;
                    return String.format(Locale.ROOT, "%.2f %.2f%n", up, up * m.cpus() * 0.97);
                },
                booted);
        proc(
                root,
                "/proc/loadavg",
                () -> "0.08 0.03 0.01 1/142 " + (2000 + m.uptime().toMinutes() % 30000) + "\n",
                booted);
        proc(
                root,
                "/proc/mounts",
                () -> "/dev/root / ext4 rw,relatime,discard,errors=remount-ro 0 0\n"
                        + "devtmpfs /dev devtmpfs rw,relatime,size=" + m.memoryKb() / 2 + "k,mode=755 0 0\n"
                        + "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
                        + "tmpfs /run tmpfs rw,nosuid,nodev,size=" + m.memoryKb() / 5 + "k,mode=755 0 0\n",
                booted);
        return new FakeFileSystem(root);
    }

    static String cpuinfo(FakeMachine m) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < m.cpus(); i++) {
            s.append("processor\t: ")
                    .append(i)
                    .append('\n')
                    .append("vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n")
                    .append("model name\t: ")
                    .append(m.cpuModel())
                    .append('\n')
                    .append("stepping\t: 7\nmicrocode\t: 0x5003604\ncpu MHz\t\t: 2499.998\ncache size\t: 36608 KB\n")
                    .append("physical id\t: 0\nsiblings\t: ")
                    .append(m.cpus())
                    .append('\n')
                    .append("core id\t\t: ")
                    .append(i / 2)
                    .append('\n')
                    .append("cpu cores\t: ")
                    .append(m.cpus() / 2)
                    .append('\n')
                    .append(
                            "fpu\t\t: yes\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36"
                                    + " clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl"
                                    + " xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2"
                                    + " x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch avx2"
                                    + " avx512f avx512dq avx512cd avx512bw avx512vl\n")
                    .append("bogomips\t: 4999.99\naddress sizes\t: 46 bits physical, 48 bits virtual\n\n");
        }
        return s.toString();
    }

    static String meminfo(FakeMachine m) {
        long total = m.memoryKb();
        long free = total * 41 / 100 - m.uptime().toMinutes() % 4096;
        return String.format(
                Locale.ROOT,
                "MemTotal:       %8d kB%nMemFree:        %8d kB%nMemAvailable:   %8d kB%nBuffers:        %8d kB%n"
                        + "Cached:         %8d kB%nSwapCached:            0 kB%nActive:         %8d kB%n"
                        + "Inactive:       %8d kB%nSwapTotal:             0 kB%nSwapFree:              0 kB%n",
                total,
                free,
                total * 72 / 100,
                total / 40,
                total * 30 / 100,
                total * 22 / 100,
                total * 25 / 100);
    }

    private static File binary(byte[] elf, long size, Instant at) {
        return new File(() -> elf, size, "root", "-rwxr-xr-x", at);
    }

    private static void text(Dir root, String path, String content, Instant at) {
        String mode = path.equals("/etc/shadow") ? "-rw-r-----" : "-rw-r--r--";
        put(root, path, File.text(content, "root", mode, at));
    }

    private static void proc(Dir root, String path, Supplier<String> content, Instant at) {
        put(root, path, new File(() -> content.get().getBytes(StandardCharsets.UTF_8), 0, "root", "-r--r--r--", at));
    }

    private static void put(Dir root, String path, FakeFileSystem.Node node) {
        Dir parent = mkdirs(root, FakeFileSystem.parentOf(path), node.modified());
        parent.children.put(FakeFileSystem.nameOf(path), node);
    }

    private static Dir mkdirs(Dir root, String path, Instant at) {
        Dir d = root;
        for (String s : path.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            FakeFileSystem.Node n = d.children.get(s);
            if (n instanceof Dir next) {
                d = next;
            } else {
                String owner = path.startsWith("/home/ubuntu") ? "ubuntu" : "root";
                String mode = s.equals(".ssh") || s.equals("root")
                        ? "drwx------"
                        : s.equals("tmp") ? "drwxrwxrwt" : "drwxr-xr-x";
                Dir created = new Dir(owner, mode, at);
                d.children.put(s, created);
                d = created;
            }
        }
        return d;
    }
}
