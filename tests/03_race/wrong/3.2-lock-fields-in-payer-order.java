// Known-wrong answer to exercise 3.2: each account has a ReentrantLock, and a transfer takes the
// payer's, then the payee's. A transfer from A to B and one from B to A can each hold one lock
// and wait for the other forever: a lock-order deadlock, with explicit locks this time.
import java.util.concurrent.locks.ReentrantLock;

class Race {
    static final class Account {
        final int number;
        long balance;
        final ReentrantLock lock = new ReentrantLock();

        Account(int number, long balance) {
            this.number = number;
            this.balance = balance;
        }
    }

    static boolean transfer(Account from, Account to, long amount) {
        from.lock.lock();
        try {
            to.lock.lock();
            try {
                if (from.balance < amount) return false;
                from.balance -= amount;
                to.balance += amount;
                return true;
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }
}
