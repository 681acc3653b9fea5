///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Race

// Reference answers to the exercises of lessons/03_race.java.
// Run it to see each answer at work: ./jbang solutions/03_race.java

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

class Race {

    static void main(String[] args) throws Exception {
        Counter counter = new Counter();
        List<Thread> incrementers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            incrementers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100_000; i++) counter.increment();
            }));
        }
        for (Thread thread : incrementers) thread.join();
        System.out.println("3.1 8 threads x 100,000 increments: " + counter.get());

        List<Account> accounts = List.of(new Account(1, 1_000), new Account(2, 1_000), new Account(3, 1_000));
        List<Thread> tellers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            tellers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 50_000; i++) {
                    int from = random.nextInt(3), to = (from + 1 + random.nextInt(2)) % 3;
                    transfer(accounts.get(from), accounts.get(to), random.nextLong(1, 500));
                }
            }));
        }
        for (Thread thread : tellers) thread.join();
        System.out.println("3.2 after 200,000 random transfers the total is "
                + accounts.stream().mapToLong(account -> account.balance).sum() + " (it started at 3000)");

        ConcurrentLinkedQueue<String> said = new ConcurrentLinkedQueue<>();
        tellInOrder(List.of("I", "don't", "want", "any", "race", "conditions", "like", "last", "time"),
                () -> {}, word -> said.add(word + "(" + Thread.currentThread().getName() + ")"));
        System.out.println("3.3 " + String.join(" ", said));

        Lazy<String> lazy = new Lazy<>(() -> {
            System.out.println("3.4 the supplier runs, once, on " + Thread.currentThread().getName());
            return "the value";
        });
        List<Thread> getters = new ArrayList<>();
        for (int t = 0; t < 4; t++) getters.add(Thread.ofPlatform().name("getter-" + t).start(lazy::get));
        for (Thread thread : getters) thread.join();
        System.out.println("3.4 and every get() returns: " + lazy.get());
    }

    // Exercise 3.1: LongAdder is made for a counter written by many threads and read
    // rarely. (AtomicLong, or synchronized on both methods, are right too.)
    static final class Counter {
        private final LongAdder count = new LongAdder();

        void increment() {
            count.increment();
        }

        long get() {
            return count.sum();
        }
    }

    // Exercise 3.2: lock both accounts, always in the order of their numbers, so no two
    // transfers can wait for each other in a cycle; check and move under both locks.
    static final class Account {
        final int number;
        long balance;

        Account(int number, long balance) {
            this.number = number;
            this.balance = balance;
        }
    }

    static boolean transfer(Account from, Account to, long amount) {
        Account first = from.number < to.number ? from : to;
        Account second = first == from ? to : from;
        synchronized (first) {
            synchronized (second) {
                if (from.balance < amount) return false;
                from.balance -= amount;
                to.balance += amount;
                return true;
            }
        }
    }

    // Exercise 3.3: start every thread first; thread i waits for latch i (opened by
    // thread i-1 after its say) and then opens latch i+1. Latch 0 starts open.
    static void tellInOrder(List<String> words, Runnable ready, Consumer<String> say) throws InterruptedException {
        List<CountDownLatch> turns = new ArrayList<>();
        for (int i = 0; i <= words.size(); i++) turns.add(new CountDownLatch(i == 0 ? 0 : 1));
        List<Thread> speakers = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int index = i;
            speakers.add(Thread.ofPlatform().name("says-" + words.get(i)).start(() -> {
                ready.run();
                try {
                    turns.get(index).await();
                    say.accept(words.get(index));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    turns.get(index + 1).countDown(); // even on failure, so no one waits forever
                }
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }

    // Exercise 3.4: double-checked locking. The volatile read makes the fast path safe
    // (it sees a fully built value); the second check under the lock makes it once only.
    static final class Lazy<T> {
        private final Supplier<T> supplier;
        private volatile T value;

        Lazy(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            T result = value;
            if (result != null) return result;
            synchronized (this) {
                if (value == null) value = supplier.get();
                return value;
            }
        }
    }
}
