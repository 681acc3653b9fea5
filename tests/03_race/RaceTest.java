import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.VariableTree;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests for the exercises of lessons/03_race.java. Tags name the exercise.
 *
 * A racy answer must fail every time, not usually: each race test makes more threads than
 * cores collide behind a start gate, and repeats rounds until the invariant breaks or a
 * time budget ends. A correct answer passes every round.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RaceTest {

    /** How long a race test keeps trying to break an answer (a racy one breaks in the
     *  first round or two; the budget is for a loaded machine). */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);

    // ---- 3.1 Counter -------------------------------------------------------------------

    @Test
    @Tag("3.1")
    @DisplayName("3.1 starts at zero and counts one thread's increments")
    void counterCountsOnOneThread() {
        Race.Counter counter = new Race.Counter();
        assertThat(counter.get()).as("a new counter").isEqualTo(0L);
        for (int i = 0; i < 5; i++) counter.increment();
        assertThat(counter.get()).as("after 5 increments on one thread").isEqualTo(5L);
    }

    @Test
    @Tag("3.1")
    @DisplayName("3.1 loses no update: 8 threads x 100,000 increments end at exactly 800,000; get() never goes back meanwhile")
    void counterLosesNoUpdate() throws Exception {
        // The learner's exercise text promises 8 x 100,000. A reader calls get() all along:
        // the count it sees may only grow (an increment that writes back an old value
        // makes it go back) and never pass the total.
        int threads = 8, perThread = 100_000;
        long expected = (long) threads * perThread;
        long begin = System.nanoTime();
        for (int round = 1; round <= 2 && System.nanoTime() - begin < BUDGET_NANOS / 3; round++) {
            Race.Counter counter = new Race.Counter();
            int thisRound = round;
            CountDownLatch writersDone = new CountDownLatch(threads);
            long[] backwards = new long[3]; // times seen going back, and the first: from, to
            long[] reads = new long[1];
            runTogether(threads + 1, index -> {
                if (index < threads) {
                    try {
                        for (int i = 0; i < perThread; i++) counter.increment();
                    } finally {
                        writersDone.countDown();
                    }
                    return;
                }
                long last = 0;
                while (writersDone.getCount() > 0) {
                    Thread.yield(); // let the writers run: they have the work to do
                    long seen = counter.get();
                    reads[0]++;
                    if (seen < last && backwards[0]++ == 0) {
                        backwards[1] = last;
                        backwards[2] = seen;
                    }
                    if (seen > expected) fail("round %d: get() said %,d while %d threads made %,d increments in all: "
                            + "more than were made", thisRound, seen, threads, expected);
                    last = Math.max(last, seen);
                }
            });
            long counted = counter.get();
            if (counted != expected) {
                fail("round %d: %d threads made %,d increments, the counter says %,d: lost %,d. "
                        + "Is increment() one atomic step? (count++ is read, add, write, even on a volatile field)",
                        round, threads, expected, counted, expected - counted);
            }
            if (backwards[0] > 0) {
                fail("round %d: a reader saw get() go back from %,d to %,d while the increments ran (%,d times in %,d reads): "
                        + "an increment wrote back a value it had read long before. Make the read and the write one step",
                        round, backwards[1], backwards[2], backwards[0], reads[0]);
            }
        }
    }

    @Test
    @Tag("3.1")
    @DisplayName("3.1 keeps the count where every thread sees it: volatile, atomic, or read and written under one lock")
    void counterIsSafelyShared() throws Exception {
        // x86 shows a reader the newest value almost always, so no run here can prove a
        // read wrong: we read your source instead (JLS 17.4, happens-before).
        String problem = sharedStateProblem("Counter", "3.1");
        if (problem != null) fail(problem);
    }

    // ---- 3.2 transfer ------------------------------------------------------------------

    @Test
    @Tag("3.2")
    @DisplayName("3.2 moves the amount when the balance covers it, and nothing when it does not")
    void transferMovesOrRefuses() {
        Race.Account alice = new Race.Account(1, 100), bob = new Race.Account(2, 50);
        assertThat(Race.transfer(alice, bob, 30)).as("transfer 30 from a balance of 100").isTrue();
        assertThat(alice.balance).as("the payer's balance after moving 30 of 100").isEqualTo(70L);
        assertThat(bob.balance).as("the payee's balance after receiving 30 on 50").isEqualTo(80L);
        assertThat(Race.transfer(alice, bob, 71)).as("transfer 71 from a balance of 70").isFalse();
        assertThat(alice.balance).as("a refused transfer must not change the payer").isEqualTo(70L);
        assertThat(bob.balance).as("a refused transfer must not change the payee").isEqualTo(80L);
        assertThat(Race.transfer(bob, alice, 80)).as("transfer all 80 of a balance of 80").isTrue();
        assertThat(bob.balance).as("the payer's balance after moving everything").isEqualTo(0L);
        assertThat(alice.balance).as("the payee's balance after receiving 80 on 70").isEqualTo(150L);
    }

    @Test
    @Tag("3.2")
    @DisplayName("3.2 conserves the total and never deadlocks under concurrent random transfers both ways")
    void transfersConserveTheTotalAndNeverDeadlock() throws Exception {
        // A deadlock shows in the first milliseconds; lost updates and overdrafts have tests
        // of their own below that need no luck.
        int threads = 8, perThread = 100_000, accountCount = 4;
        long begin = System.nanoTime();
        for (int round = 1; round <= 2 && System.nanoTime() - begin < BUDGET_NANOS; round++) {
            List<Race.Account> accounts = new ArrayList<>();
            for (int i = 0; i < accountCount; i++) accounts.add(new Race.Account(i + 1, 1_000));
            runTogether(threads, index -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < perThread; i++) {
                    int from = random.nextInt(accountCount);
                    int to = (from + 1 + random.nextInt(accountCount - 1)) % accountCount;
                    Race.transfer(accounts.get(from), accounts.get(to), random.nextLong(1, 400));
                }
            });
            long total = accounts.stream().mapToLong(account -> account.balance).sum();
            if (total != 1_000L * accountCount) {
                fail("round %d: %d accounts held 4,000 in total; after %,d concurrent transfers they hold %,d (%s). "
                        + "Money appeared or vanished: are the debit and the credit done under locks on both accounts?",
                        round, accountCount, (long) threads * perThread, total, balances(accounts));
            }
            for (Race.Account account : accounts) {
                if (account.balance < 0) {
                    fail("round %d: account %d ended at %,d (%s): a transfer took money that was not there. "
                            + "Are the check and the debit one atomic step?", round, account.number, account.balance,
                            balances(accounts));
                }
            }
        }
    }

    @Test
    @Tag("3.2")
    @DisplayName("3.2 checks and debits under one lock: 8 transfers of 100 from 100, held at each lock they take, one succeeds")
    void transferChecksTheBalanceUnderTheLock() throws Exception {
        // In turn, we hold each lock a transfer could take (the accounts' monitors, their
        // lock fields, Account.class, Race.class, Race's static locks) while 8 transfers of
        // 100 from an account holding 100 start, and let go once each has finished or is
        // parked. An answer that checks the balance before taking a lock, or under another
        // lock than the debit, has let all 8 past the check by then, and every one pays.
        // A lock the answer does not use does not hold it up, and does not harm it.
        int threads = 8;
        for (Candidate candidate : candidateLocks(new Race.Account(0, 100), accounts(1, threads), "the payer", "the payees")) {
            Race.Account source = new Race.Account(0, 100);
            List<Race.Account> payees = accounts(1, threads);
            Candidate held = candidate.on(source, payees);
            AtomicInteger succeeded = new AtomicInteger();
            AtomicReference<RuntimeException> thrown = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> payers = new ArrayList<>();
            List<String> waitedAt = new ArrayList<>();
            held.holding(() -> {
                for (int t = 0; t < threads; t++) {
                    Race.Account payee = payees.get(t);
                    payers.add(Thread.ofPlatform().name("payer-" + t).daemon().start(() -> {
                        try {
                            if (Race.transfer(source, payee, 100)) succeeded.incrementAndGet();
                        } catch (RuntimeException e) {
                            thrown.compareAndSet(null, e);
                        } finally {
                            done.countDown();
                        }
                    }));
                }
                Probe.eventually(() -> payers.stream().allMatch(RaceTest::parkedOrDone));
                for (Thread payer : payers) waitedAt.add(payer.getName() + " " + whereInLesson(payer));
            });
            if (!Probe.await(done)) {
                fail("%d of %d transfers had not returned %d s after they started: are they waiting for each other?",
                        done.getCount(), threads, Probe.PATIENCE.toSeconds());
            }
            if (thrown.get() != null) throw thrown.get();
            if (succeeded.get() != 1 || source.balance != 0) {
                fail("%d transfers of 100 from an account holding 100 started while we held %s, and %d returned true: "
                        + "the account ended at %,d (payees: %s). What happened, step by step:%n"
                        + "  1. we held %s;%n  2. each transfer ran as far as it could, and stopped: %s;%n"
                        + "  3. we let go, and they went on: %d paid, so %d had found 100 >= 100 before the first took the "
                        + "money.%nExactly one should succeed: check the balance and debit it while holding the same lock",
                        threads, held.name(), succeeded.get(), source.balance, balances(payees), held.name(),
                        String.join(", ", summarize(waitedAt.stream().map(RaceTest::withCode).toList())),
                        succeeded.get(), succeeded.get());
            }
        }
    }

    @Test
    @Tag("3.2")
    @DisplayName("3.2 takes the two accounts' locks in one order, whichever way the money goes")
    void transfersTakeTheLocksInOneOrder() throws Exception {
        // A deadlock needs two transfers, each holding one account's lock and waiting, with no time
        // limit, for the other's. We hold each lock of the receiving account in turn, start a transfer,
        // and look at what it holds while it waits. If a transfer from #1 to #2 waits for #2 holding #1,
        // and one from #2 to #1 waits for #1 holding #2, then those two, started together, can wait for
        // each other forever: no run needs to be unlucky for that to be true.
        Race.Account one = new Race.Account(1, 1_000), two = new Race.Account(2, 1_000);
        String oneWay = holdsWhileWaiting(one, two);
        String otherWay = holdsWhileWaiting(two, one);
        if (oneWay != null && otherWay != null) {
            fail("a transfer from #1 to #2 held %s; a transfer from #2 to #1 held %s. Started together, each takes its "
                    + "first lock and waits forever for the other's: a deadlock. Take the two accounts' locks in one "
                    + "global order, the same whichever way the money goes (by number, say)", oneWay, otherWay);
        }
    }

    /** Which of {@code from}'s locks a transfer holds while it waits, untimed, for one of {@code to}'s; null if none. */
    static String holdsWhileWaiting(Race.Account from, Race.Account to) throws Exception {
        List<Candidate> fromLocks = accountLocks(from);
        for (Candidate candidate : accountLocks(to)) {
            Probe.Caller<Boolean>[] transfer = new Probe.Caller[1];
            String[] held = new String[1];
            candidate.holding(() -> {
                transfer[0] = Probe.call("transfer-" + from.number + "-to-" + to.number, () -> Race.transfer(from, to, 1));
                Probe.eventually(() -> parkedOrDone(transfer[0].thread()));
                Thread thread = transfer[0].thread();
                Thread.State state = thread.getState();
                if (state != Thread.State.BLOCKED && state != Thread.State.WAITING) return; // done, or a timed wait
                ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] {thread.threadId()}, true,
                        true)[0];
                Set<Integer> monitors = java.util.Arrays.stream(info.getLockedMonitors())
                        .map(java.lang.management.LockInfo::getIdentityHashCode).collect(Collectors.toSet());
                for (Candidate mine : fromLocks) {
                    if (heldBy(mine.lock(), monitors)) held[0] = mine.name() + " while it waited for " + candidate.name();
                }
            });
            if (!Probe.eventually(transfer[0]::returned)) {
                fail("a transfer of 1 from #%d to #%d had not returned %d s after we let go of %s: is it waiting for "
                        + "something that never comes?", from.number, to.number, Probe.PATIENCE.toSeconds(), candidate.name());
            }
            transfer[0].result();
            if (held[0] != null) return held[0];
        }
        return null;
    }

    /** An account's own locks: its monitor and its lock fields. */
    static List<Candidate> accountLocks(Race.Account account) {
        return candidateLocks(account, List.of(), "account #" + account.number, "").stream()
                .filter(candidate -> candidate.name().startsWith("account #")).toList();
    }

    /** Whether a lock is held by the transfer we watch (the only other thread that touches it). */
    static boolean heldBy(Object lock, Set<Integer> monitors) {
        return switch (lock) {
            case java.util.concurrent.locks.ReentrantLock reentrant -> reentrant.isLocked();
            case java.util.concurrent.locks.ReentrantReadWriteLock readWrite -> readWrite.isWriteLocked();
            case java.util.concurrent.locks.StampedLock stamped -> stamped.isWriteLocked();
            case null -> false;
            default -> monitors.contains(System.identityHashCode(lock));
        };
    }

    @Test
    @Tag("3.2")
    @DisplayName("3.2 two transfers that write the same account always share a lock")
    void transfersThatShareAnAccountShareALock() throws Exception {
        // For each transfer we find the locks that hold it up: we hold a lock, start the
        // transfer, and see whether it parks. Two transfers into account #3 (from #1 and from
        // #2) that share no lock can write #3's balance at the same moment, and one write is
        // lost: no run needs to be lucky for that to be true.
        Race.Account one = new Race.Account(1, 1_000), two = new Race.Account(2, 1_000), three = new Race.Account(3, 1_000);
        record Pair(Race.Account from1, Race.Account to1, Race.Account from2, Race.Account to2, Race.Account shared) {}
        List<Pair> pairs = List.of(new Pair(one, three, two, three, three), new Pair(one, two, two, three, two),
                new Pair(one, two, one, three, one));
        boolean anyBlocked = false;
        for (Pair pair : pairs) {
            List<Candidate> first = blockers(pair.from1(), pair.to1()), second = blockers(pair.from2(), pair.to2());
            anyBlocked |= !first.isEmpty() || !second.isEmpty();
            if (first.isEmpty() || second.isEmpty()) continue; // a lock we cannot see: we cannot tell
            boolean share = first.stream().anyMatch(a -> second.stream().anyMatch(b -> b.lock() == a.lock()));
            if (!share) {
                fail("a transfer from #%d to #%d waits only for %s; one from #%d to #%d waits only for %s. Both write "
                        + "account #%d's balance, and no lock stops them from doing it at the same moment: both read the same "
                        + "balance, both write back their own result, and one write is lost. Lock both accounts (in one "
                        + "global order, by number)", pair.from1().number, pair.to1().number, names(first),
                        pair.from2().number, pair.to2().number, names(second), pair.shared().number);
            }
        }
        if (!anyBlocked) {
            fail("transfer finished every time while we held each lock it could take (%s)%s: two transfers can read and "
                    + "write the same balance at the same moment, and one write is lost. Lock both accounts (in one "
                    + "global order, by number); a lock made inside transfer is a new one on every call, and excludes nobody",
                    names(candidateLocks(one, List.of(), "account #1", "")),
                    takesALock() ? "" : ", and its source locks nothing");
        }
    }

    /** A lock a transfer might take, as the test can hold it: a monitor, a Lock, or several of them. */
    record Candidate(String name, Object lock, java.util.function.BiFunction<Race.Account, List<Race.Account>, Object> find) {

        /** The same lock, for a fresh set of accounts. */
        Candidate on(Race.Account payer, List<Race.Account> payees) {
            return new Candidate(name, find.apply(payer, payees), find);
        }

        void holding(Runnable body) throws Exception {
            hold(lock, body);
        }

        private static void hold(Object lock, Runnable body) throws Exception {
            if (lock instanceof List<?> all) {
                if (all.isEmpty()) {
                    body.run();
                } else {
                    hold(all.get(0), () -> {
                        try {
                            hold(all.subList(1, all.size()), body);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                return;
            }
            java.util.concurrent.locks.Lock explicit = switch (lock) {
                case java.util.concurrent.locks.Lock plain -> plain;
                case java.util.concurrent.locks.ReadWriteLock readWrite -> readWrite.writeLock();
                case java.util.concurrent.locks.StampedLock stamped -> stamped.asWriteLock();
                default -> null;
            };
            synchronized (lock) {
                if (explicit == null) {
                    body.run();
                    return;
                }
                explicit.lock();
                try {
                    body.run();
                } finally {
                    explicit.unlock();
                }
            }
        }
    }

    /** Every lock we can find that a transfer from {@code payer} might take (for payees: all of them at once). */
    static List<Candidate> candidateLocks(Race.Account payer, List<Race.Account> payees, String payerName, String payeesName) {
        List<Candidate> found = new ArrayList<>();
        found.add(new Candidate(payerName + "'s monitor", payer, (a, b) -> a));
        if (!payees.isEmpty()) found.add(new Candidate(payeesName + "' monitors", payees, (a, b) -> List.copyOf(b)));
        found.add(new Candidate("Account.class", Race.Account.class, (a, b) -> Race.Account.class));
        found.add(new Candidate("Race.class", Race.class, (a, b) -> Race.class));
        for (Class<?> owner : List.of(Race.class, Race.Account.class)) {
            for (java.lang.reflect.Field field : owner.getDeclaredFields()) {
                if (!lockType(field.getType())) continue;
                field.setAccessible(true);
                String name = owner.getSimpleName() + "." + field.getName();
                if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    Object value = read(field, null);
                    if (value instanceof Object[] stripes) value = java.util.Arrays.asList(stripes); // all of them
                    Object lock = value;
                    if (lock != null) found.add(new Candidate(name, lock, (a, b) -> lock));
                } else if (owner == Race.Account.class) {
                    found.add(new Candidate(payerName + "'s " + field.getName(), read(field, payer), (a, b) -> read(field, a)));
                    if (!payees.isEmpty()) {
                        found.add(new Candidate(payeesName + "' " + field.getName(), payees.stream().map(p -> read(field, p))
                                .toList(), (a, b) -> b.stream().map(p -> read(field, p)).toList()));
                    }
                }
            }
        }
        return found;
    }

    static boolean lockType(Class<?> type) {
        if (type.isArray()) return lockType(type.getComponentType());
        return type == Object.class || java.util.concurrent.locks.Lock.class.isAssignableFrom(type)
                || java.util.concurrent.locks.ReadWriteLock.class.isAssignableFrom(type)
                || type == java.util.concurrent.locks.StampedLock.class;
    }

    static Object read(java.lang.reflect.Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The locks that hold up a transfer of 1 from {@code from} to {@code to}: it parks while we hold them. */
    static List<Candidate> blockers(Race.Account from, Race.Account to) throws Exception {
        List<Candidate> blocking = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>(candidateLocks(from, List.of(), "account #" + from.number, ""));
        candidates.addAll(candidateLocks(to, List.of(), "account #" + to.number, "").stream()
                .filter(c -> c.name().startsWith("account #")).toList());
        for (Candidate candidate : candidates) {
            Probe.Caller<Boolean>[] transfer = new Probe.Caller[1];
            boolean[] parked = new boolean[1];
            candidate.holding(() -> {
                transfer[0] = Probe.call("transfer-" + from.number + "-to-" + to.number, () -> Race.transfer(from, to, 1));
                Probe.eventually(() -> parkedOrDone(transfer[0].thread()));
                parked[0] = transfer[0].thread().isAlive();
            });
            if (!Probe.eventually(transfer[0]::returned)) {
                fail("a transfer of 1 from #%d to #%d had not returned %d s after we let go of %s: is it waiting for "
                        + "something that never comes?", from.number, to.number, Probe.PATIENCE.toSeconds(), candidate.name());
            }
            transfer[0].result();
            if (parked[0]) blocking.add(candidate);
        }
        return blocking;
    }

    static String names(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::name).collect(Collectors.joining(" and "));
    }

    /** True if the lesson's transfer or Account mention any way to lock. */
    static boolean takesALock() throws Exception {
        Source source = lesson();
        StringBuilder text = new StringBuilder();
        source.type("Account").ifPresent(type -> text.append(source.text(type)));
        source.type("Race").ifPresent(type -> Source.methods(type, "transfer").forEach(m -> text.append(source.text(m))));
        return java.util.regex.Pattern.compile("synchronized|[lL]ock|acquire|compareAndSet").matcher(text).find();
    }

    static List<Race.Account> accounts(int firstNumber, int count) {
        List<Race.Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) accounts.add(new Race.Account(firstNumber + i, 0));
        return accounts;
    }

    /** Where in the lesson's code a parked thread is: "waited at line N (method)", or "had returned". */
    static String whereInLesson(Thread thread) {
        if (!thread.isAlive()) return "had returned";
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().startsWith("Race") && !frame.getClassName().startsWith("RaceTest")
                    && frame.getLineNumber() > 0) {
                return "waited at line " + frame.getLineNumber() + " (in "
                        + frame.getMethodName().replaceAll("^lambda\\$(\\w+)\\$\\d+$", "$1") + ")";
            }
        }
        return "waited (" + thread.getState() + ")";
    }

    /** "payer-0 waited at line 5 (transfer)" with that line's code added, for a failure message. */
    static String withCode(String where) {
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("at line (\\d+) \\(in \\w+\\)$").matcher(where);
        if (!line.find()) return where;
        try {
            String[] lines = lesson().text.split("\n", -1);
            int number = Integer.parseInt(line.group(1));
            return number <= lines.length ? where + ": `" + lines[number - 1].strip() + "`" : where;
        } catch (Exception e) {
            return where;
        }
    }

    /** "payer-0 waited at line 5", "payer-1 waited at line 5" -> "payer-0..payer-1 waited at line 5". */
    static List<String> summarize(List<String> lines) {
        java.util.Map<String, List<String>> byWhere = new java.util.LinkedHashMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            byWhere.computeIfAbsent(line.substring(space + 1), k -> new ArrayList<>()).add(line.substring(0, space));
        }
        List<String> result = new ArrayList<>();
        byWhere.forEach((where, who) -> result.add((who.size() == 1 ? who.get(0)
                : who.size() + " of them (" + String.join(", ", who) + ")") + " " + where));
        return result;
    }

    static boolean parkedOrDone(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.BLOCKED || state == Thread.State.WAITING
                || state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED;
    }

    /** Reads an account's balance fresh from memory, without any lock: only to watch. */
    static final VarHandle BALANCE;

    static {
        try {
            BALANCE = MethodHandles.lookup().findVarHandle(Race.Account.class, "balance", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    @Tag("3.2")
    @DisplayName("3.2 never overdraws: 8 threads take 1 at a time from an account that a depositor refills 1 at a time")
    void transferNeverOverdraws() throws Exception {
        int withdrawers = 8, deposits = 10_000;
        long begin = System.nanoTime();
        for (int round = 1; round <= 2 && System.nanoTime() - begin < BUDGET_NANOS / 3; round++) {
            // The balance hovers at 0 and 1: every deposit is a moment where several
            // withdrawers may find "there is enough" and all take it. A watcher reads the
            // balance without a lock after each successful transfer: a correct answer
            // never writes a negative balance, so no read can see one.
            Race.Account bank = new Race.Account(0, deposits), source = new Race.Account(1, 0);
            List<Race.Account> payees = new ArrayList<>();
            for (int i = 0; i < withdrawers; i++) payees.add(new Race.Account(i + 2, 0));
            AtomicBoolean depositorDone = new AtomicBoolean();
            AtomicLong lowestSeen = new AtomicLong();
            AtomicLong withdrawn = new AtomicLong();
            runTogether(withdrawers + 1, index -> {
                if (index == withdrawers) {
                    for (int i = 0; i < deposits; i++) {
                        if (!Race.transfer(bank, source, 1)) throw new AssertionError("a deposit of 1 from an account "
                                + "holding " + bank.balance + " was refused");
                        lowestSeen.accumulateAndGet((long) BALANCE.getOpaque(source), Math::min);
                    }
                    depositorDone.set(true);
                    return;
                }
                Race.Account payee = payees.get(index);
                while (true) {
                    boolean last = depositorDone.get();
                    if (Race.transfer(source, payee, 1)) {
                        withdrawn.incrementAndGet();
                        lowestSeen.accumulateAndGet((long) BALANCE.getOpaque(source), Math::min);
                    } else if (last) {
                        return; // refused after the last deposit: the account is empty
                    }
                }
            });
            long received = payees.stream().mapToLong(account -> account.balance).sum();
            if (lowestSeen.get() < 0 || source.balance != 0 || withdrawn.get() != deposits || received != deposits) {
                fail("round %d: %,d deposits of 1 into an account that %d threads emptied 1 at a time: the balance was "
                        + "seen as low as %,d and ended at %,d; %,d withdrawals returned true, the payees got %,d. %s",
                        round, deposits, withdrawers, lowestSeen.get(), source.balance, withdrawn.get(), received,
                        lowestSeen.get() < 0 || source.balance < 0
                                ? "The balance went below zero: a transfer checked it, then another took the money, "
                                        + "then the first took it too. Check and debit while holding the lock."
                                : "A debit or a credit was lost: are both done under locks on both accounts?");
            }
        }
    }

    // ---- 3.3 tellInOrder ---------------------------------------------------------------

    static final List<String> PUNCHLINE = List.of("I", "don't", "want", "any", "race", "conditions", "like", "last", "time");

    record Said(String word, Thread thread) {}

    @Test
    @Tag("3.3")
    @DisplayName("3.3 says every word in order, each from its own thread, all threads alive at once, round after round")
    void tellInOrderKeepsTheOrder() throws Exception {
        long begin = System.nanoTime();
        for (int round = 1; round <= 100 && (round <= 2 || System.nanoTime() - begin < BUDGET_NANOS / 3); round++) {
            // Rounds 1 and 2 are conducted: the threads leave ready() one at a time, each once
            // the one before is parked or done. Round 1 lets the last caller of ready() go
            // first, and the first word is not done before every other thread is parked, and
            // then takes 100 ms: order must not come from timing, and a hand-over must reach
            // the thread it is meant for. Round 2 lets them go in the order they came (about
            // the words' order), so the first word is said while the second word's thread is
            // still in ready(): a hand-over must not be lost when its receiver is not waiting
            // yet. Later rounds let the threads run freely.
            tellOneRound(round, round == 1 ? 100 : 0, round <= 2 ? (round == 1 ? Release.REVERSED : Release.IN_ORDER)
                    : Release.ALL_AT_ONCE);
        }
    }

    enum Release { ALL_AT_ONCE, IN_ORDER, REVERSED }

    void tellOneRound(int round, long slowFirstWordMillis, Release release) throws Exception {
        int count = PUNCHLINE.size();
        CountDownLatch allReady = new CountDownLatch(count);
        AtomicBoolean gaveUpWaiting = new AtomicBoolean();
        AtomicInteger readyWhenGaveUp = new AtomicInteger();
        ConcurrentLinkedQueue<Said> said = new ConcurrentLinkedQueue<>();
        List<Thread> arrived = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.Map<Thread, CountDownLatch> leave = new java.util.concurrent.ConcurrentHashMap<>();
        Set<Thread> released = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger saying = new AtomicInteger();
        List<String> overlaps = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable ready = () -> {
            CountDownLatch mine = new CountDownLatch(release == Release.ALL_AT_ONCE ? 0 : 1);
            leave.put(Thread.currentThread(), mine);
            arrived.add(Thread.currentThread());
            allReady.countDown();
            // Returns once every word's thread has called ready(): threads started one at a
            // time never get there, so we stop waiting after a while and remember it.
            if (!gaveUpWaiting.get() && !Probe.await(allReady) && !gaveUpWaiting.getAndSet(true)) {
                readyWhenGaveUp.set((int) (count - allReady.getCount()));
            }
            if (!gaveUpWaiting.get() && !Probe.await(mine) && !gaveUpWaiting.getAndSet(true)) {
                readyWhenGaveUp.set((int) (count - allReady.getCount()));
            }
            released.add(Thread.currentThread());
        };
        if (release != Release.ALL_AT_ONCE) {
            Thread.ofPlatform().name("test-conductor").daemon().start(() -> {
                if (!Probe.await(allReady)) return;
                List<Thread> order = new ArrayList<>(arrived);
                if (release == Release.REVERSED) java.util.Collections.reverse(order);
                for (Thread speaker : order) {
                    leave.get(speaker).countDown();
                    // A moment to park (a thread that spins instead is let be after 200 ms).
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    while (!(released.contains(speaker) && parkedOrDone(speaker)) && System.nanoTime() < until) {
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000); // polling, 0.1 ms
                    }
                }
            });
        }
        Probe.Caller<Void> caller = Probe.call("test-caller", () -> {
            Race.tellInOrder(PUNCHLINE, ready, word -> {
                if (saying.incrementAndGet() > 1) overlaps.add(word);
                try {
                    if (word.equals(PUNCHLINE.get(0)) && release == Release.REVERSED) {
                        // Not done until every other thread has left ready() and is parked (or
                        // done, or saying its word too, which is wrong).
                        Probe.eventually(() -> !overlaps.isEmpty() || arrived.stream().filter(t -> t != Thread.currentThread())
                                .allMatch(t -> released.contains(t) && parkedOrDone(t)));
                    }
                    if (word.equals(PUNCHLINE.get(0)) && slowFirstWordMillis > 0) sleepQuietly(slowFirstWordMillis);
                    said.add(new Said(word, Thread.currentThread()));
                } finally {
                    saying.decrementAndGet();
                }
            });
            return null;
        });
        // (twice PATIENCE: a thread may spend one in ready(), waiting for the others)
        if (!Probe.eventually(caller::returned) && !Probe.eventually(caller::returned)) {
            fail("round %d: tellInOrder has not returned after %d s (words said so far: %s; %s): does a thread wait "
                    + "for a turn that never comes? A hand-over is lost if it is made before its receiver waits, and "
                    + "notify() wakes one waiter, maybe not the one whose turn it is%s", round, 2 * Probe.PATIENCE.toSeconds(),
                    words(said), String.join(", ", summarize(arrived.stream().filter(Thread::isAlive)
                            .map(t -> t.getName() + " " + withCode(whereInLesson(t))).toList())),
                    release == Release.ALL_AT_ONCE ? "" : " (this round the threads left ready() one at a time, "
                            + (release == Release.IN_ORDER ? "in the order they called it" : "last caller first") + ")");
        }
        caller.result();
        if (gaveUpWaiting.get()) {
            fail("round %d: only %d of %d threads had called ready() after %d s: start every word's thread before "
                    + "waiting for any of them", round, readyWhenGaveUp.get(), count, Probe.PATIENCE.toSeconds());
        }
        List<String> words = words(said);
        if (!overlaps.isEmpty()) {
            fail("round %d: '%s' was said while another word was still being said (the words came out as %s): a thread "
                    + "may start its word only after the previous word's say has returned. Hand the turn over after "
                    + "say, not before", round, overlaps.get(0), words);
        }
        if (!words.equals(PUNCHLINE)) {
            fail("round %d: the words were said as %s%s: each thread must wait until the previous word is said",
                    round, words, slowFirstWordMillis > 0 ? " (the first word took " + slowFirstWordMillis
                            + " ms to say: sleeping is no way to keep order)" : "");
        }
        Set<Thread> speakers = said.stream().map(Said::thread).collect(Collectors.toSet());
        if (speakers.size() != count) {
            fail("round %d: %d words were said by only %d different threads (%s): each word needs a thread of its own",
                    round, count, speakers.size(), said.stream().map(s -> s.thread().getName()).distinct().toList());
        }
        if (speakers.contains(caller.thread())) {
            fail("round %d: a word was said on the thread that called tellInOrder: say it from the word's own thread",
                    round);
        }
        for (Thread speaker : speakers) {
            if (speaker.isAlive()) {
                fail("round %d: thread '%s' was still alive after tellInOrder returned: join every thread",
                        round, speaker.getName());
            }
        }
    }

    // ---- 3.4 Lazy ----------------------------------------------------------------------

    @Test
    @Tag("3.4")
    @DisplayName("3.4 calls the supplier on the first get() only, not before, not again")
    void lazyCallsTheSupplierOnFirstGetOnly() {
        AtomicInteger calls = new AtomicInteger();
        Race.Lazy<Object> lazy = new Race.Lazy<>(() -> {
            calls.incrementAndGet();
            return new Object();
        });
        assertThat(calls.get()).as("supplier calls made by the constructor (it must wait for the first get())").isEqualTo(0);
        Object first = lazy.get();
        assertThat(calls.get()).as("supplier calls after the first get()").isEqualTo(1);
        assertThat(lazy.get()).as("the second get() must return the same object as the first").isSameAs(first);
        assertThat(calls.get()).as("supplier calls after two get()s").isEqualTo(1);
    }

    @Test
    @Tag("3.4")
    @DisplayName("3.4 calls the supplier exactly once when 8 threads call get() at the same time")
    void lazyCreatesOnceUnderContention() throws Exception {
        // Round 1 calls get() on one thread first, and on the 7 others only once the first
        // is inside the supplier: each of them then meets a value that is being created.
        // Rounds 2 and 3 let all 8 call at the same moment.
        for (int round = 1; round <= 3; round++) lazyRound(round, round == 1);
    }

    void lazyRound(int round, boolean othersWhileCreating) throws Exception {
        int threads = 8;
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch secondCallStarted = new CountDownLatch(1);
        CountDownLatch firstCallStarted = new CountDownLatch(1);
        CountDownLatch allCalling = new CountDownLatch(threads);
        List<Thread> getters = new ArrayList<>();
        Thread tester = Thread.currentThread();
        Race.Lazy<Object> lazy = new Race.Lazy<>(() -> {
            if (calls.incrementAndGet() > 1) {
                secondCallStarted.countDown();
            } else if (Thread.currentThread() != tester) { // not called by the constructor (another test fails that)
                // The first call holds the window open until another call has started too,
                // or every other getter is parked (behind a lock) or done: a correct answer
                // gets there at once, a racy one has let a second call in by then.
                firstCallStarted.countDown();
                Probe.await(allCalling);
                Probe.eventually(() -> secondCallStarted.getCount() == 0 || othersParked(getters));
            }
            return new Object();
        });
        AtomicReference<Object>[] results = newResults(threads);
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        CyclicBarrier startGate = new CyclicBarrier(threads);
        boolean stagger = othersWhileCreating && calls.get() == 0;
        for (int t = 0; t < threads; t++) {
            int index = t;
            getters.add(Thread.ofPlatform().name("getter-" + t).daemon().unstarted(() -> {
                if (stagger ? index > 0 && !Probe.await(firstCallStarted) : !passGate(startGate)) return;
                allCalling.countDown();
                try {
                    results[index].set(lazy.get());
                } catch (RuntimeException e) {
                    thrown.compareAndSet(null, e);
                } finally {
                    if (index == 0) firstCallStarted.countDown(); // a get() that never called the supplier is over
                }
            }));
        }
        getters.forEach(Thread::start);
        String how = stagger ? "getter-0 called get(), and the 7 others called it while getter-0 was inside the "
                + "supplier" : threads + " threads called get() at the same moment";
        for (Thread getter : getters) {
            if (!getter.join(Probe.PATIENCE)) {
                fail("round %d: %s; %s has not returned from get() after %d s (it %s). A lost wake-up? Whoever stores the "
                        + "value must wake every thread that waits for it (notifyAll, not notify), and a waiter must check "
                        + "again in a loop", round, how, getter.getName(), Probe.PATIENCE.toSeconds(),
                        withCode(whereInLesson(getter)));
            }
        }
        if (thrown.get() != null) throw thrown.get();
        if (calls.get() != 1) {
            fail("round %d: %s, and the supplier ran %d times: is the check \"not created yet?\" and the creation one "
                    + "atomic step (check again under the same lock, one lock shared by all callers)?", round, how, calls.get());
        }
        Object first = results[0].get();
        for (int t = 0; t < threads; t++) {
            if (results[t].get() == null) {
                fail("round %d: %s; getter-%d's get() returned null. It found the value \"created\" before it was "
                        + "stored: store the value first, then let other threads see that it exists", round, how, t);
            }
            assertThat(results[t].get()).as("round %d: what get() returned to getter-%d (all must get the same object)",
                    round, t).isSameAs(first);
        }
    }

    @Test
    @Tag("3.4")
    @DisplayName("3.4 publishes the value safely: a field read without the lock is volatile (JLS 17.4, 17.5)")
    void lazyPublishesSafely() throws Exception {
        // Double-checked locking without volatile passes every run on x86: we read your
        // source instead.
        String problem = sharedStateProblem("Lazy", "3.4");
        if (problem != null) fail(problem);
    }

    /** True when every getter but the one running the supplier is parked or done. */
    static boolean othersParked(List<Thread> getters) {
        return getters.stream().filter(getter -> getter != Thread.currentThread()).allMatch(RaceTest::parkedOrDone);
    }

    @SuppressWarnings("unchecked")
    static AtomicReference<Object>[] newResults(int size) {
        AtomicReference<Object>[] results = new AtomicReference[size];
        for (int i = 0; i < size; i++) results[i] = new AtomicReference<>();
        return results;
    }

    // ---- reading the source: what no run on x86 can show ----------------------------

    /**
     * What is wrong with how the fields of {@code typeName} are shared, by JLS 17.4, or null.
     * A field that a method writes must be either volatile (and then changed in one step,
     * or under one lock) or used under one lock everywhere; a final atomic must not be
     * updated as a get() then a set().
     */
    static String sharedStateProblem(String typeName, String exercise) throws Exception {
        Source source = lesson();
        ClassTree type = source.type(typeName).orElse(null);
        if (type == null) return "exercise " + exercise + ": no class " + typeName + " found in the lesson file";
        Guards guards = Guards.of(source, type);
        for (Guards.SplitUpdate split : guards.splitUpdates) {
            if (split.locks().isEmpty()) {
                return String.format("line %d, %s(): `%s` reads %s and then writes it, two atomic steps with a gap between: "
                        + "another thread can update it in the gap, and that update is lost. Use one atomic step "
                        + "(incrementAndGet, updateAndGet, or a LongAdder)", split.line(), split.method(), split.code(),
                        split.field());
            }
        }
        java.util.regex.Matcher plain = java.util.regex.Pattern.compile("\\.(getPlain|setPlain)\\(").matcher(source.text(type));
        if (plain.find()) {
            return String.format("%s uses %s(), a plain access to an atomic: it has no happens-before edge with the "
                    + "other threads' updates (JLS 17.4), so it may see a stale value or be seen late. Use get() and set() "
                    + "(volatile), or the atomic update methods", typeName, plain.group(1));
        }
        for (VariableTree field : Source.fields(type)) {
            String name = field.getName().toString();
            List<Guards.Use> uses = guards.usesOf(name);
            if (Guards.isFinal(field) || uses.stream().noneMatch(Guards.Use::writes)) continue;
            if (Guards.isVolatile(field)) {
                List<Guards.Use> compound = uses.stream().filter(Guards.Use::compound).toList();
                if (!compound.isEmpty() && Guards.common(compound).isEmpty()) {
                    Guards.Use use = compound.stream().filter(u -> u.locks().isEmpty()).findFirst().orElse(compound.get(0));
                    return String.format("line %d, %s(): `%s` on the volatile field %s is still three steps (read, add, "
                            + "write): volatile makes each step visible, not the three one atomic step. Hold one lock "
                            + "around it, or use an AtomicLong or a LongAdder", use.line(), use.method(), use.code(), name);
                }
                continue;
            }
            if (!Guards.common(uses).isEmpty()) continue;
            Guards.Use bare = uses.stream().filter(u -> u.locks().isEmpty() && u.writes()).findFirst()
                    .orElse(uses.stream().filter(u -> u.locks().isEmpty()).findFirst().orElse(null));
            Guards.Use locked = uses.stream().filter(u -> !u.locks().isEmpty()).findFirst().orElse(null);
            if (bare != null && bare.writes()) {
                return String.format("line %d, %s(): `%s` changes the plain field %s with no lock: %s, and no other "
                        + "thread is promised to see the change at all (JLS 17.4). Hold one lock around every use of %s%s",
                        bare.line(), bare.method(), bare.code(), name, exercise.equals("3.4")
                                ? "two threads can both find it not created yet and both create it (check-then-act)"
                                : "two threads can read the same value and both write it back (a lost update)",
                        name, exercise.equals("3.4") ? "" : ", or use an atomic");
            }
            if (bare != null && locked != null) {
                return String.format("line %d, %s(): `%s` reads the plain field %s without a lock, but line %d, %s(), writes "
                        + "it holding %s. Only the same lock (its unlock happens-before the next lock, JLS 17.4.5) or a "
                        + "volatile field promises a reader the newest value; without either the JIT may keep a stale value "
                        + "for good, even if x86 rarely shows it. Read it under %s too, or make the field volatile%s",
                        bare.line(), bare.method(), bare.code(), name, locked.line(), locked.method(), held(locked.locks()),
                        held(locked.locks()), exercise.equals("3.4") ? " (JLS 17.5: an object published through a plain field "
                                + "may be seen before its constructor's writes; double-checked locking needs volatile)" : "");
            }
            if (locked != null) {
                Guards.Use other = uses.stream().filter(u -> !u.locks().equals(locked.locks())).findFirst().orElse(locked);
                return String.format("line %d, %s() uses %s holding %s, line %d, %s() holding %s: two different locks do not "
                        + "exclude each other, and one's unlock happens-before only a later lock of the same one (JLS "
                        + "17.4.5). Use one lock for every use of %s", locked.line(), locked.method(), name,
                        held(locked.locks()), other.line(), other.method(), held(other.locks()), name);
            }
        }
        return null;
    }

    private static Source lesson;

    /** The lesson's source, parsed once (javac takes a while to start). */
    static synchronized Source lesson() throws java.io.IOException {
        if (lesson == null) lesson = Source.lesson();
        return lesson;
    }

    static String held(Set<String> locks) {
        return locks.isEmpty() ? "no lock" : locks.stream().map(lock -> "`" + lock + "`").collect(Collectors.joining(" and "));
    }

    // ---- helpers -----------------------------------------------------------------------

    interface Work {
        void run(int index) throws Exception;
    }

    /**
     * Runs {@code work} on {@code threads} platform threads that start together: each
     * spins at a gate until all have arrived, so they collide. Waits for them to end; if
     * they make no progress, fails with what the deadlock detector sees. The threads are
     * daemons: a deadlocked answer leaves them behind instead of hanging the tests.
     */
    static void runTogether(int threads, Work work) throws Exception {
        AtomicInteger arrived = new AtomicInteger();
        AtomicBoolean go = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers.add(Thread.ofPlatform().name("racer-" + t).daemon().start(() -> {
                try {
                    arrived.incrementAndGet();
                    long spinUntil = System.nanoTime() + Probe.PATIENCE.toNanos();
                    while (!go.get() && System.nanoTime() < spinUntil) Thread.onSpinWait();
                    work.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }));
        }
        Probe.eventually(() -> arrived.get() == threads);
        go.set(true);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // A deadlock is found at once; the limit is only for a lost wake-up or a livelock,
        // and generous, so that a slow but correct answer on a busy machine passes.
        long limit = System.nanoTime() + 3 * Probe.PATIENCE.toNanos();
        while (!done.await(20, TimeUnit.MILLISECONDS)) {
            String deadlock = deadlockAmong(mx, workers);
            if (deadlock != null) {
                fail("deadlock: %s. Two transfers took the same two locks in opposite orders: "
                        + "take them in one global order (e.g. by account number)", deadlock);
            }
            if (System.nanoTime() > limit) {
                fail("%d of %d threads still running after %d s (states: %s): a deadlock or a lost wake-up?",
                        done.getCount(), threads, 3 * Probe.PATIENCE.toSeconds(),
                        workers.stream().map(w -> w.getName() + " " + w.getState()).toList());
            }
        }
        if (failure.get() != null) {
            Throwable error = failure.get();
            if (error instanceof Exception exception) throw exception;
            throw new AssertionError(error);
        }
    }

    static String deadlockAmong(ThreadMXBean mx, List<Thread> workers) {
        long[] stuck = mx.findDeadlockedThreads(); // monitors and ownable synchronizers (ReentrantLock) only
        if (stuck == null) return null;
        Set<Long> ours = workers.stream().map(Thread::threadId).collect(Collectors.toSet());
        List<String> cycle = new ArrayList<>();
        for (ThreadInfo info : mx.getThreadInfo(stuck)) {
            if (info != null && ours.contains(info.getThreadId())) {
                cycle.add("'" + info.getThreadName() + "' waits for " + info.getLockName()
                        + " held by '" + info.getLockOwnerName() + "'");
            }
        }
        return cycle.isEmpty() ? null : String.join("; ", cycle);
    }

    static String balances(List<Race.Account> accounts) {
        return accounts.stream().map(a -> "#" + a.number + "=" + a.balance).collect(Collectors.joining(", "));
    }

    static List<String> words(ConcurrentLinkedQueue<Said> said) {
        return said.stream().map(Said::word).toList();
    }

    static boolean passGate(CyclicBarrier gate) {
        try {
            gate.await(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A slow call: latency, not ordering. */
    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
