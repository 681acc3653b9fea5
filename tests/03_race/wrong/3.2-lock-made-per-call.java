// Known-wrong answer to exercise 3.2: makes a ReentrantLock inside transfer and locks it: every call
// has its own lock, which no other thread ever sees, so nothing is excluded (check-then-act, lost updates).
class Race {
    static boolean transfer(Account from, Account to, long amount) {
        java.util.concurrent.locks.Lock lock = new java.util.concurrent.locks.ReentrantLock();
        lock.lock();
        try {
            if (from.balance < amount) return false;
            from.balance -= amount;
            to.balance += amount;
            return true;
        } finally {
            lock.unlock();
        }
    }
}
