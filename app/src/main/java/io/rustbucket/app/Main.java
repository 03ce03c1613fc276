package io.rustbucket.app;

public final class Main {
    public static void main(String[] a) {}
}
