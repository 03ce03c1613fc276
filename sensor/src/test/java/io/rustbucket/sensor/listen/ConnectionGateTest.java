package io.rustbucket.sensor.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {
    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void perIpLimitAdmitsNAndRefusesNPlusOne() throws Exception {
        ConnectionGate gate = new ConnectionGate(100, 3);
        List<ConnectionGate.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(((ConnectionGate.Admitted) gate.admit(ip("203.0.113.1"))).permit());
        }
        assertThat(gate.admit(ip("203.0.113.1"))).isEqualTo(new ConnectionGate.Refused("per_ip_connections", 3, 3));
        assertThat(gate.admit(ip("203.0.113.2"))).isInstanceOf(ConnectionGate.Admitted.class);
        permits.getFirst().close();
        permits.getFirst().close(); // closing twice releases once
        assertThat(gate.open(ip("203.0.113.1"))).isEqualTo(2);
        assertThat(gate.admit(ip("203.0.113.1"))).isInstanceOf(ConnectionGate.Admitted.class);
    }

    @Test
    void globalLimitRefusesWithCounts() throws Exception {
        ConnectionGate gate = new ConnectionGate(2, 2);
        gate.admit(ip("198.51.100.1"));
        gate.admit(ip("198.51.100.2"));
        assertThat(gate.admit(ip("198.51.100.3"))).isEqualTo(new ConnectionGate.Refused("max_connections", 2, 2));
        assertThat(gate.open()).isEqualTo(2);
    }

    @Test
    void addressesLeaveTheMapWhenTheirLastConnectionCloses() throws Exception {
        ConnectionGate gate = new ConnectionGate(10_000, 5);
        for (int i = 0; i < 1000; i++) { // a scan from many addresses
            ((ConnectionGate.Admitted) gate.admit(ip("10.9." + (i / 256) + "." + (i % 256))))
                    .permit()
                    .close();
        }
        assertThat(gate.addresses()).isZero();
        assertThat(gate.open()).isZero();
    }

    @Test
    void concurrentAdmitsNeverExceedTheLimits() throws Exception {
        ConnectionGate gate = new ConnectionGate(50, 10);
        ConcurrentLinkedQueue<ConnectionGate.Admission> results = new ConcurrentLinkedQueue<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 400; i++) {
                String addr = "192.0.2." + (i % 8);
                pool.submit(() -> results.add(gate.admit(InetAddress.getByName(addr))));
            }
        }
        long admitted = results.stream()
                .filter(a -> a instanceof ConnectionGate.Admitted)
                .count();
        assertThat(admitted).isEqualTo(50); // 8 addresses x 10 would be 80: the global cap of 50 binds
        assertThat(gate.open()).isEqualTo(50);
        for (int i = 0; i < 8; i++) {
            assertThat(gate.open(ip("192.0.2." + i))).isLessThanOrEqualTo(10);
        }
    }
}
